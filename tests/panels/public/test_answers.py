"""The representative's answers by a seat link: saying yes signs the declaration and accepts a
newer consent text on the way, all or nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboxMessage
from panels import links, services, texts
from panels.enums import RepresentativeStatus, SeatStatus
from panels.models import ConfidentialitySigned, ConsentGiven, LinkVia, Representative, Seat
from panels.public import answers
from tests.factories import RepresentativeFactory
from tests.factories.links import (
    ActiveRepresentativeFactory,
    ConfidentialityTextFactory,
    ConsentTextFactory,
    database_snapshot,
    invited_seat,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def seat_path(seat: Seat, action: str = "") -> str:
    name = f"seat_link_{action}" if action else "seat_link"
    return reverse(name, args=[links.seat_token(seat.pk)])


@pytest.fixture
def seat_with_old_consent(office_a):
    """Kari consented to version 1; version 2 was published since; she is now invited."""
    representative = ActiveRepresentativeFactory(offices=[office_a])
    ConsentGiven.objects.create(
        representative=representative,
        text=ConsentTextFactory(version=1),
        given_at=timezone.now(),
        via=LinkVia.CONSENT_LINK,
    )
    ConsentTextFactory(
        version=2,
        body="# Nytt om samtykke\nVi lagrer nå også telefonnummer.",
        body_en="# New about consent\nWe now also store your phone number.",
    )
    return invited_seat(office=office_a, representative=representative, signed=True)


def accept(client, seat, **extra):
    return client.post(
        seat_path(seat, "accept"),
        {"declaration": ConfidentialityTextFactory().pk, "support_needs": "", **extra},
    )


@pytest.mark.usefixtures("chose_english")
def test_the_seat_page_shows_the_new_text_and_asks_to_accept_it(client, seat_with_old_consent):
    response = client.get(seat_path(seat_with_old_consent), headers=EN)

    assert "New text about consent" in response.text
    assert "We now also store your phone number." in response.text
    assert "I have read the new text about consent and agree" in response.text


def test_opening_the_seat_page_accepts_nothing(client, seat_with_old_consent):
    before = database_snapshot()

    client.get(seat_path(seat_with_old_consent))

    assert database_snapshot() == before


def test_saying_yes_without_accepting_the_new_text_writes_nothing(client, seat_with_old_consent):
    before = database_snapshot()

    response = accept(client, seat_with_old_consent, consent_text=texts.consent_text_current().pk)

    assert response.status_code == 200
    assert "Kryss av i boksen for å godta den nye teksten om samtykke." in response.content.decode()
    assert database_snapshot() == before


def test_accepting_records_version_time_and_seat_link_then_accepts_the_seat(
    client, seat_with_old_consent
):
    current = texts.consent_text_current()

    response = accept(client, seat_with_old_consent, consent_text=current.pk, agree_consent="on")

    assert response.status_code == 302
    given = ConsentGiven.objects.get(
        representative=seat_with_old_consent.representative, text=current
    )
    assert given.via == LinkVia.SEAT_LINK
    assert given.given_at is not None and given.withdrawn_at is None
    assert Seat.objects.get(pk=seat_with_old_consent.pk).status == SeatStatus.ACCEPTED
    assert OutboxMessage.objects.filter(kind="confirmation").count() == 1


def test_a_consent_text_published_while_the_page_was_open_is_asked_again(
    client, seat_with_old_consent
):
    shown = texts.consent_text_current()
    ConsentTextFactory(version=3, body="Versjon tre.")

    response = accept(client, seat_with_old_consent, consent_text=shown.pk, agree_consent="on")

    assert response.status_code == 200
    assert "Versjon tre." in response.content.decode()
    assert not ConsentGiven.objects.filter(text__version__in=[2, 3]).exists()
    assert Seat.objects.get(pk=seat_with_old_consent.pk).status == SeatStatus.INVITED


def test_both_the_new_consent_and_a_new_declaration_are_asked_and_given_together(client, office_a):
    representative = ActiveRepresentativeFactory(offices=[office_a])
    ConsentGiven.objects.create(
        representative=representative,
        text=ConsentTextFactory(version=1),
        given_at=timezone.now(),
        via=LinkVia.CONSENT_LINK,
    )
    ConsentTextFactory(version=2)
    seat = invited_seat(office=office_a, representative=representative)

    only_consent = accept(
        client, seat, consent_text=texts.consent_text_current().pk, agree_consent="on"
    )

    assert only_consent.status_code == 200
    assert not ConsentGiven.objects.filter(text__version=2).exists()

    accept(
        client,
        seat,
        consent_text=texts.consent_text_current().pk,
        agree_consent="on",
        sign_declaration="on",
    )

    assert ConsentGiven.objects.filter(text__version=2, via=LinkVia.SEAT_LINK).exists()
    assert ConfidentialitySigned.objects.filter(representative=representative).exists()
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.ACCEPTED


def test_someone_whose_consent_is_current_is_not_asked(client, office_a):
    representative = ActiveRepresentativeFactory(offices=[office_a])
    ConsentGiven.objects.create(
        representative=representative,
        text=ConsentTextFactory(version=1),
        given_at=timezone.now(),
        via=LinkVia.CONSENT_LINK,
    )
    seat = invited_seat(office=office_a, representative=representative, signed=True)

    page = client.get(seat_path(seat), headers=EN)
    response = accept(client, seat)

    assert "New text about consent" not in page.text
    assert response.status_code == 302
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.ACCEPTED


def test_a_link_for_seat_a_cannot_accept_seat_b(client, office_a, seat_with_old_consent):
    other = invited_seat(office=office_a, signed=True)

    accept(
        client,
        seat_with_old_consent,
        consent_text=texts.consent_text_current().pk,
        agree_consent="on",
    )

    assert Seat.objects.get(pk=other.pk).status == SeatStatus.INVITED


def test_signing_the_same_declaration_twice_keeps_the_first_signature():
    representative = RepresentativeFactory()
    declaration = ConfidentialityTextFactory()

    first = answers.confidentiality_sign(representative=representative, text=declaration)
    second = answers.confidentiality_sign(representative=representative, text=declaration)

    assert first == second
    assert ConfidentialitySigned.objects.count() == 1


def test_accepting_a_seat_that_can_no_longer_be_answered_signs_nothing(office_a):
    seat = invited_seat(office=office_a)
    services.seat_transition(seat=seat, to=SeatStatus.CANCELLED)

    with pytest.raises(ValidationError):
        answers.invitation_accept(
            seat=seat, declaration=ConfidentialityTextFactory(), sign_declaration=True
        )

    assert not ConfidentialitySigned.objects.exists()


def test_accepting_without_consent_is_refused(office_a):
    seat = invited_seat(office=office_a)
    Representative.objects.filter(pk=seat.representative_id).update(
        status=RepresentativeStatus.WITHDRAWN
    )
    seat.representative.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        answers.invitation_accept(
            seat=seat, declaration=ConfidentialityTextFactory(), sign_declaration=True
        )

    assert refused.value.code == "consent_missing"
    assert not ConfidentialitySigned.objects.exists()


@pytest.mark.usefixtures("chose_english")
def test_a_seat_page_without_consent_points_to_the_consent_email_and_hands_out_no_link(
    client, office_a
):
    seat = invited_seat(office=office_a)
    Representative.objects.filter(pk=seat.representative_id).update(
        status=RepresentativeStatus.AWAITING_CONSENT
    )

    response = client.get(reverse("seat_link", args=[links.seat_token(seat.pk)]), headers=EN)

    assert "Before you can answer, we need your consent" in response.text
    assert "Answer the email about consent that we sent you" in response.text
    assert "/r/samtykke/" not in response.text
    assert "Yes, I'll come" not in response.text
