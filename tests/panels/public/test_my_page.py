""" "My page": the representative's panels and agreements, and withdraw, download and delete.

Reached by a signed link valid for 30 days. Opening it changes nothing; each button is a POST,
and pressing it again finds the work done, writes nothing and sends nothing.
"""

import json
import time

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEvent
from interviews.models import Candidate
from outbox.models import OutboxMessage
from panels import links, texts
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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chose_english")]

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


@pytest.mark.parametrize("query", ["", "?confirm=withdraw"])
def test_opening_my_page_and_its_confirm_steps_changes_nothing(client, kari, query):
    before = database_snapshot()

    response = client.get(my_page_path(kari) + query, headers=EN)

    assert response.status_code == 200
    assert database_snapshot() == before


def test_the_confirm_step_asks_before_withdrawing_and_says_what_is_deleted(client, kari):
    response = client.get(my_page_path(kari) + "?confirm=withdraw", headers=EN)

    assert "Are you sure?" in response.text
    assert "We delete at once your name, email address, phone number" in response.text
    assert "Yes, withdraw my consent and delete my data" in response.text


def test_withdrawing_consent_erases_the_person_at_once_and_keeps_past_seats_anonymous(
    client, kari, leader_a
):
    seat = kari.seats.get(status=SeatStatus.ACCEPTED)
    past = kari.seats.get(status=SeatStatus.ATTENDED)
    snapshot = Seat.objects.get(pk=past.pk).backgrounds_snapshot

    response = client.post(my_page_path(kari), {"action": "withdraw"})

    assert response.status_code == 302
    assert response["Location"] == reverse("consent_withdrawn")
    assert not Representative.objects.filter(pk=kari.pk).exists()
    assert not ConsentGiven.objects.filter(representative_id=kari.pk).exists()
    assert not ConflictOfInterest.objects.filter(representative_id=kari.pk).exists()
    ahead = Seat.objects.get(pk=seat.pk)
    assert (ahead.status, ahead.representative_id) == (SeatStatus.WITHDRAWN, None)
    behind = Seat.objects.get(pk=past.pk)
    assert (behind.status, behind.representative_id) == (SeatStatus.ATTENDED, None)
    assert behind.backgrounds_snapshot == snapshot
    events = AuditEvent.objects.filter(object_id=kari.pk)
    assert set(events.values_list("action", flat=True)) >= {
        AuditAction.CONSENT_WITHDRAWN,
        AuditAction.REPRESENTATIVE_ERASED,
    }
    assert events.get(action=AuditAction.REPRESENTATIVE_ERASED).detail["reason"] == "withdrawn"


def test_withdrawing_tells_the_leader_which_seats_were_left_without_naming_the_person(
    client, kari, leader_a
):
    client.post(my_page_path(kari), {"action": "withdraw"})

    notice = OutboxMessage.objects.get(kind="withdrawn_notice")
    assert notice.to == leader_a.email
    assert notice.representative_id is None
    assert "Kari" not in notice.subject + notice.body_text + notice.body_html
    assert "Veileder" in notice.body_text
    assert "er navnet, kontaktopplysningene, bakgrunnen og alt annet om personen slettet" in (
        notice.body_text
    )


def test_withdrawing_sends_the_person_a_confirmation_of_what_was_deleted(client, kari):
    client.post(my_page_path(kari), {"action": "withdraw"})

    [confirmation] = OutboxMessage.objects.filter(kind="erased_confirmation")
    assert confirmation.to == "kari@example.no"
    assert confirmation.status == "queued"
    assert "Kari" not in confirmation.body_text
    assert "backgrounds" in confirmation.body_text or "bakgrunn" in confirmation.body_text
    assert "Veileder" in confirmation.body_text


def test_the_confirmation_is_blanked_once_sent(client, kari):
    from outbox.services import ERASED_ADDRESS, message_deliver

    client.post(my_page_path(kari), {"action": "withdraw"})
    confirmation = OutboxMessage.objects.get(kind="erased_confirmation")

    message_deliver(message_id=confirmation.pk)

    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.to, confirmation.body_text) == (
        "sent",
        ERASED_ADDRESS,
        "",
    )


def test_earlier_unsent_messages_to_the_person_are_stopped_by_the_withdrawal(client, kari):
    seat = kari.seats.get(status=SeatStatus.ACCEPTED)
    from panels import emails

    emails.seat_answer_reminder(seat=seat)
    reminder = OutboxMessage.objects.get(kind="answer_reminder")

    client.post(my_page_path(kari), {"action": "withdraw"})

    reminder.refresh_from_db()
    assert (reminder.status, reminder.last_error) == ("failed", "erased")


def test_withdrawing_again_with_the_old_link_finds_nobody_and_changes_nothing(client, kari):
    path = my_page_path(kari)
    client.post(path, {"action": "withdraw"})
    before = database_snapshot()
    outbox = list(OutboxMessage.objects.values_list("pk", flat=True))

    response = client.post(path, {"action": "withdraw"})

    assert response.status_code == 404
    assert database_snapshot() == before
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == outbox


def test_the_page_after_withdrawal_says_what_was_deleted(client, kari):
    response = client.post(my_page_path(kari), {"action": "withdraw"}, follow=True, headers=EN)

    assert response.status_code == 200
    assert "Your consent is withdrawn and your data deleted" in response.text
    assert "your name, email address, phone number, year of birth" in response.text
    assert "Kari" not in response.text


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


def test_asking_for_deletion_erases_at_once_like_withdrawing(client, kari):
    response = client.post(my_page_path(kari), {"action": "delete"}, follow=True, headers=EN)

    assert "Your consent is withdrawn and your data deleted" in response.text
    assert not Representative.objects.filter(pk=kari.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.REPRESENTATIVE_ERASED, object_id=kari.pk)
    assert event.detail["reason"] == "request"


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
