""" "My page": the representative's panels and agreements, and withdraw, download and delete.

Reached by a signed link valid for 30 days. Opening it changes nothing; each button is a POST,
and pressing it again finds the work done, writes nothing and sends nothing.
"""

import json
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEvent
from interviews.models import Candidate
from outbox.models import OutboxMessage
from panels import eligibility, links, texts
from panels.enums import RepresentativeStatus, SeatStatus
from panels.models import ConflictOfInterest, ConsentGiven, LinkVia, Representative, Seat
from panels.public import answers
from tests.factories import BackgroundFactory
from tests.factories.links import (
    ActiveRepresentativeFactory,
    ConsentTextFactory,
    database_snapshot,
    invited_seat,
)
from tests.factories.panels import PanelRowFactory, SeatFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def my_page_path(representative: Representative) -> str:
    return reverse("my_page", args=[links.my_page_token(representative.pk)])


def old_my_page_token(representative_id: int, days: int) -> str:
    class OldSigner(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - days * 24 * 3600)

    return OldSigner(salt=links.MY_PAGE_SALT).sign_object(representative_id, compress=True)


@pytest.fixture
def kari(office_a, leader_a):
    """Kari has consented, accepted a seat ahead (with a conflict declared) and sat last week."""
    representative = ActiveRepresentativeFactory(
        offices=[office_a], name="Kari Nordmann", email="kari@example.no"
    )
    representative.backgrounds.set([BackgroundFactory(slug="senior", name="Senior (55+)")])
    ConsentGiven.objects.create(
        representative=representative,
        text=ConsentTextFactory(),
        given_at=timezone.now(),
        via=LinkVia.CONSENT_LINK,
    )
    seat = invited_seat(
        office=office_a, representative=representative, candidates=("Siri Søker",), signed=True
    )
    answers.invitation_accept(
        seat=seat, declaration=texts.confidentiality_text_current(), sign_declaration=False
    )
    ConflictOfInterest.objects.create(
        representative=representative, candidate=Candidate.objects.get(name="Siri Søker")
    )
    SeatFactory(
        representative=representative,
        status=SeatStatus.ATTENDED,
        panel=PanelRowFactory(round__office=office_a, round__position_title="Erfaringskonsulent"),
    )
    return representative


def test_my_page_shows_panels_ahead_and_behind_and_what_was_agreed(client, kari):
    response = client.get(my_page_path(kari), headers=EN)

    assert response.status_code == 200
    assert "Kari Nordmann" in response.text
    assert "Veileder, NAV Rana" in response.text
    assert "Erfaringskonsulent, NAV Rana" in response.text
    assert "Consent, version 1: given" in response.text
    assert "Confidentiality declaration, version 1: signed" in response.text
    assert response["Cache-Control"].startswith("max-age=0")
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("query", ["", "?confirm=withdraw", "?confirm=delete"])
def test_opening_my_page_and_its_confirm_steps_changes_nothing(client, kari, query):
    before = database_snapshot()

    response = client.get(my_page_path(kari) + query, headers=EN)

    assert response.status_code == 200
    assert database_snapshot() == before


def test_the_confirm_step_asks_before_withdrawing(client, kari):
    response = client.get(my_page_path(kari) + "?confirm=withdraw", headers=EN)

    assert "Are you sure?" in response.text
    assert "Yes, withdraw my consent" in response.text


def test_withdrawing_consent_takes_the_person_off_open_seats_and_tells_the_leader(
    client, kari, leader_a
):
    seat = kari.seats.get(status=SeatStatus.ACCEPTED)
    past = kari.seats.get(status=SeatStatus.ATTENDED)

    response = client.post(my_page_path(kari), {"action": "withdraw"})

    assert response.status_code == 302
    kari.refresh_from_db()
    assert kari.status == RepresentativeStatus.WITHDRAWN
    assert ConsentGiven.objects.get(representative=kari).withdrawn_at is not None
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.WITHDRAWN
    assert Seat.objects.get(pk=past.pk).status == SeatStatus.ATTENDED
    notice = OutboxMessage.objects.get(kind="withdrawn_notice")
    assert notice.to == leader_a.email
    assert notice.representative_id == kari.pk
    assert "Kari Nordmann" in notice.subject
    assert "Veileder" in notice.body_text
    assert AuditEvent.objects.filter(action=AuditAction.CONSENT_WITHDRAWN).count() == 1


def test_withdrawing_twice_changes_nothing_and_sends_nothing(client, kari):
    client.post(my_page_path(kari), {"action": "withdraw"})
    before = database_snapshot()
    outbox = list(OutboxMessage.objects.values_list("pk", flat=True))

    response = client.post(my_page_path(kari), {"action": "withdraw"})

    assert response.status_code == 302
    assert database_snapshot() == before
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == outbox


def test_withdrawing_ends_the_standing_consent_and_leaves_a_renewed_one_as_it_was(client, kari):
    [standing] = kari.consents.all()
    renewed = ConsentGiven.objects.create(
        representative=kari,
        text=standing.text,
        given_at=timezone.now() - timedelta(days=800),
        via=LinkVia.CONSENT_LINK,
        renewed_at=standing.given_at,
    )

    client.post(my_page_path(kari), {"action": "withdraw"})

    renewed.refresh_from_db()
    standing.refresh_from_db()
    assert (renewed.renewed_at, renewed.withdrawn_at) == (standing.given_at, None)
    assert standing.withdrawn_at is not None
    event = AuditEvent.objects.get(action=AuditAction.CONSENT_WITHDRAWN)
    assert event.detail["consents_withdrawn"] == 1


def test_after_withdrawal_the_page_says_so_and_the_person_is_no_longer_suggested(client, kari):
    seat = kari.seats.get(status=SeatStatus.ACCEPTED)

    response = client.post(my_page_path(kari), {"action": "withdraw"}, follow=True, headers=EN)

    assert "You have withdrawn your consent." in response.text
    assert "Yes, withdraw my consent" not in response.text
    assert kari not in eligibility.eligible_representatives(panel=seat.panel)


def test_the_download_holds_my_data_but_no_candidate_names_and_is_audited(client, kari):
    response = client.post(my_page_path(kari), {"action": "download"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["name"] == "Kari Nordmann"
    assert data["contact"]["email"] == "kari@example.no"
    assert data["offices"] == ["NAV Rana"]
    assert [b["code"] for b in data["backgrounds"]] == ["senior"]
    assert sorted(s["status"] for s in data["seats"]) == ["accepted", "attended"]
    assert data["consents"][0]["version"] == 1
    assert data["confidentiality_declarations_signed"][0]["version"] == 1
    assert data["conflicts_of_interest_declared"]["count"] == 1
    assert len(data["conflicts_of_interest_declared"]["interview_days"]) == 1
    assert "Siri" not in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.DATA_DOWNLOADED)
    assert event.object_id == kari.pk
    assert "Kari" not in json.dumps(event.detail)


def test_asking_for_deletion_is_registered_withdraws_and_tells_the_leader_once(
    client, kari, leader_a
):
    response = client.post(my_page_path(kari), {"action": "delete"}, follow=True, headers=EN)

    assert "Your request is registered" in response.text
    assert "Yes, delete my data" not in response.text
    kari.refresh_from_db()
    assert kari.deletion_requested_at is not None
    assert kari.status == RepresentativeStatus.WITHDRAWN
    notice = OutboxMessage.objects.get(kind="deletion_requested")
    assert notice.to == leader_a.email
    assert notice.representative_id == kari.pk

    before = database_snapshot()
    client.post(my_page_path(kari), {"action": "delete"})

    assert database_snapshot() == before
    assert OutboxMessage.objects.filter(kind="deletion_requested").count() == 1


def test_the_administrator_erases_those_who_asked_and_leaves_the_others(
    admin_client, kari, office_a
):
    Client().post(my_page_path(kari), {"action": "delete"})
    other = ActiveRepresentativeFactory(offices=[office_a])

    response = admin_client.post(
        reverse("admin:panels_representative_changelist"),
        {"action": "erase_requested", "_selected_action": [kari.pk, other.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert not Representative.objects.filter(pk=kari.pk).exists()
    assert Representative.objects.filter(pk=other.pk).exists()
    assert Seat.objects.filter(status=SeatStatus.ATTENDED, representative=None).count() == 1


def test_a_my_page_link_older_than_30_days_shows_the_friendly_expired_page(client, kari):
    response = client.get(reverse("my_page", args=[old_my_page_token(kari.pk, 31)]), headers=EN)

    assert response.status_code == 410
    assert "This link has expired" in response.text


def test_an_expired_my_page_link_cannot_withdraw(client, kari):
    response = client.post(
        reverse("my_page", args=[old_my_page_token(kari.pk, 31)]), {"action": "withdraw"}
    )

    assert response.status_code == 410
    assert Representative.objects.get(pk=kari.pk).status == RepresentativeStatus.ACTIVE


def test_a_tampered_my_page_link_or_a_seat_token_shows_the_friendly_page(client, kari):
    seat = kari.seats.first()

    tampered = client.get(my_page_path(kari)[:-3] + "xx/", headers=EN)
    seat_token = client.get(reverse("my_page", args=[links.seat_token(seat.pk)]), headers=EN)

    assert tampered.status_code == 404 and seat_token.status_code == 404
    assert "The link is not valid" in tampered.text


def test_the_confirmation_email_leads_to_my_page_and_the_seat_page_hands_out_no_link(client, kari):
    seat = kari.seats.get(status=SeatStatus.ACCEPTED)
    confirmation = OutboxMessage.objects.get(kind="confirmation")

    page = client.get(reverse("seat_link", args=[links.seat_token(seat.pk)]), headers=EN)

    assert "/r/min-side/" in confirmation.body_text
    assert "/r/min-side/" in confirmation.body_html
    assert page.status_code == 200
    assert "/r/min-side/" not in page.text and "/r/samtykke/" not in page.text
    my_page_link = confirmation.body_text.split("/r/min-side/", 1)[1].split()[0]
    assert client.get("/r/min-side/" + my_page_link).status_code == 200
