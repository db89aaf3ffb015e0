"""Every way a seat ends before the day frees it, in one place (``services.seat_transition``):
the next suggestion is invited when the round says so, the leaders are told, and whoever was
taken off or cannot come is not suggested for that panel again. Also "I can't come after all"
and the answer a leader records for someone who phoned (issue 14, points 3, 4 and 9)."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse

from audit.enums import AuditAction
from audit.models import AuditEvent
from outbox.models import OutboxMessage
from panels import jobs, links, selectors, services
from panels.enums import SeatStatus
from panels.models import Seat
from panels.public.my_page import consent_withdraw
from panels.suggestions import pool as suggested
from tests.factories.links import database_snapshot, invited_seat
from tests.factories.panels import PoolRepresentativeFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def _accepted(seat: Seat) -> Seat:
    return services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")


def _decline(seat: Seat, leader) -> None:
    services.seat_decline(seat=seat, reason="Syk")


def _expire(seat: Seat, leader) -> None:
    jobs.invitations_expire(now=seat.answer_by + timedelta(minutes=1))


def _withdraw(seat: Seat, leader) -> None:
    consent_withdraw(representative=seat.representative)


def _cant_come(seat: Seat, leader) -> None:
    services.seat_cant_come(seat=_accepted(seat), reason="Ny jobb")


def _take_off(seat: Seat, leader) -> None:
    services.seat_cancel(seat=seat, by=leader)


def _phone_decline(seat: Seat, leader) -> None:
    services.seat_answer_by_phone(seat=seat, accepted=False, by=leader)


WAYS: dict[str, Callable[[Seat, object], None]] = {
    "decline": _decline,
    "expiry": _expire,
    "withdrawal": _withdraw,
    "cant_come": _cant_come,
    "taken_off": _take_off,
    "declined_by_phone": _phone_decline,
}


@pytest.fixture
def seat(office_a, leader_a) -> Seat:
    return invited_seat(office=office_a)


@pytest.fixture
def next_one(office_a):
    return PoolRepresentativeFactory(offices=[office_a], name="Nils Neste")


def _invitations_to(person) -> int:
    return OutboxMessage.objects.filter(kind="invitation", to=person.email).count()


@pytest.mark.parametrize("way", WAYS, ids=list(WAYS))
def test_every_way_a_seat_ends_before_the_day_invites_the_next_suggestion(
    seat, next_one, leader_a, way
):
    WAYS[way](seat, leader_a)

    invited = Seat.objects.get(panel=seat.panel, representative=next_one)
    assert invited.status == SeatStatus.INVITED
    assert invited.transitions.get().actor == "system"
    assert _invitations_to(next_one) == 1


@pytest.mark.parametrize("way", WAYS, ids=list(WAYS))
def test_without_automatic_invitation_nobody_is_invited_whatever_ended_the_seat(
    seat, next_one, leader_a, way
):
    seat.panel.round.invite_next_automatically = False
    seat.panel.round.save(update_fields=["invite_next_automatically"])

    WAYS[way](seat, leader_a)

    assert not Seat.objects.filter(panel=seat.panel, representative=next_one).exists()
    assert _invitations_to(next_one) == 0


def test_a_cancelled_panel_invites_nobody(seat, next_one, leader_a):
    services.panel_cancel(panel=seat.panel, by=leader_a)

    assert not Seat.objects.filter(panel=seat.panel, representative=next_one).exists()


@pytest.mark.parametrize(
    ("way", "reason"),
    [("decline", "har sagt nei"), ("cant_come", "likevel ikke kan komme")],
)
def test_the_leaders_are_told_what_happened_and_that_the_next_one_was_invited(
    seat, next_one, leader_a, way, reason
):
    WAYS[way](seat, leader_a)

    [notice] = OutboxMessage.objects.filter(kind="seat_freed_notice")
    assert notice.to == leader_a.email
    assert reason in notice.body_text
    assert "Den neste foreslåtte brukerrepresentanten er invitert automatisk." in notice.body_text


def test_a_leader_who_takes_someone_off_gets_no_email_about_it(seat, next_one, leader_a):
    _take_off(seat, leader_a)

    assert not OutboxMessage.objects.filter(to=leader_a.email).exists()


def test_the_leader_is_told_when_nobody_could_be_invited(seat, leader_a):
    _decline(seat, leader_a)

    [notice] = OutboxMessage.objects.filter(kind="seat_freed_notice")
    assert "Ingen ble invitert i stedet." in notice.body_text


# --- not suggested again -------------------------------------------------------------------


@pytest.mark.parametrize("way", ["taken_off", "cant_come", "decline"])
def test_whoever_was_taken_off_or_said_no_is_not_suggested_first_for_that_panel(
    seat, leader_a, way
):
    person = seat.representative
    seat.panel.round.invite_next_automatically = False
    seat.panel.round.save(update_fields=["invite_next_automatically"])

    WAYS[way](seat, leader_a)
    panel = seat.panel
    suggestions = suggested.panel_suggestions(
        panel=panel,
        seats=selectors.panel_seats(panel=panel),
        wants=suggested.panel_wants(panel=panel),
    )

    assert person not in [representative for representative, _ in suggestions.suggested]


def test_someone_taken_off_by_mistake_can_still_be_chosen_from_the_others(seat, leader_a):
    person = seat.representative
    seat.panel.round.invite_next_automatically = False
    seat.panel.round.save(update_fields=["invite_next_automatically"])
    _take_off(seat, leader_a)
    panel = seat.panel

    suggestions = suggested.panel_suggestions(
        panel=panel,
        seats=selectors.panel_seats(panel=panel),
        wants=suggested.panel_wants(panel=panel),
    )

    assert person in [representative for representative, _ in suggestions.others]


# --- taken off -----------------------------------------------------------------------------


def test_taking_off_sends_its_own_short_email_with_the_calendar_entry_cancelled(seat, leader_a):
    _take_off(seat, leader_a)

    [email] = OutboxMessage.objects.filter(kind="taken_off")
    assert email.to == seat.representative.email
    assert "Takk for at du sa ja" not in email.body_text
    assert "Thank you for saying yes" not in email.body_text
    [ics] = email.attachments
    assert "METHOD:CANCEL" in _ics_text(ics)


@pytest.mark.usefixtures("chose_english")
def test_the_page_of_someone_taken_off_says_the_panel_goes_ahead(client, seat, leader_a):
    _take_off(seat, leader_a)

    response = client.get(reverse("seat_link", args=[links.seat_token(seat.pk)]), headers=EN)

    assert "The office no longer needs you on this interview panel." in response.text
    assert "goes ahead without you" in response.text
    assert "has been cancelled" not in response.text


@pytest.mark.usefixtures("chose_english")
def test_the_page_of_a_cancelled_panel_still_says_it_is_cancelled(client, seat, leader_a):
    services.panel_cancel(panel=seat.panel, by=leader_a)

    response = client.get(reverse("seat_link", args=[links.seat_token(seat.pk)]), headers=EN)

    assert "This interview panel has been cancelled." in response.text


# --- I can't come after all ----------------------------------------------------------------


def _ics_text(attachment: dict) -> str:
    import base64

    return base64.b64decode(attachment["content"]).decode()


def _page(client, seat: Seat):
    return client.get(reverse("seat_link", args=[links.seat_token(seat.pk)]), headers=EN)


@pytest.mark.usefixtures("chose_english")
def test_an_accepted_seat_offers_i_cant_come_and_opening_the_page_changes_nothing(client, seat):
    _accepted(seat)
    before = database_snapshot()

    response = _page(client, seat)

    assert "Can you not come after all?" in response.text
    # The form posts to this seat's can't-come address (its token is signed anew, so the
    # second it was signed in may differ from one the test signs).
    actions = [resolve(path) for path in re.findall(r'action="([^"]+)"', response.text)]
    assert any(match.url_name == "seat_link_cant_come" for match in actions)
    assert database_snapshot() == before


def test_an_invited_seat_does_not_offer_i_cant_come(client, seat):
    response = _page(client, seat)

    assert "Can you not come after all?" not in response.text


@pytest.mark.usefixtures("chose_english")
def test_i_cant_come_frees_the_seat_keeps_the_reason_and_confirms_by_email(client, seat):
    _accepted(seat)
    token = links.seat_token(seat.pk)

    response = client.post(
        reverse("seat_link_cant_come", args=[token]), {"reason": "Ny jobb"}, headers=EN
    )

    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.status, seat.decline_reason) == (SeatStatus.CANCELLED, "Ny jobb")
    last = seat.transitions.last()
    assert (last.from_status, last.actor, last.note) == ("accepted", "representative", "Ny jobb")
    [email] = OutboxMessage.objects.filter(kind="cant_come")
    assert email.to == seat.representative.email
    assert "METHOD:CANCEL" in _ics_text(email.attachments[0])
    page = _page(client, seat)
    assert "You have told us that you cannot come after all." in page.text
    assert "Can you not come after all?" not in page.text


def test_i_cant_come_is_refused_once_the_panel_has_started(seat):
    _accepted(seat)

    with pytest.raises(ValidationError):
        services.seat_cant_come(seat=seat, now=seat.panel.starts_at + timedelta(minutes=1))

    seat.refresh_from_db()
    assert seat.status == SeatStatus.ACCEPTED


def test_i_cant_come_on_an_invited_seat_changes_nothing(client, seat):
    token = links.seat_token(seat.pk)

    client.post(reverse("seat_link_cant_come", args=[token]), {"reason": ""})

    seat.refresh_from_db()
    assert seat.status == SeatStatus.INVITED
    assert not OutboxMessage.objects.filter(kind="cant_come").exists()


def test_i_cant_come_is_only_a_post(client, seat):
    _accepted(seat)

    response = client.get(reverse("seat_link_cant_come", args=[links.seat_token(seat.pk)]))

    assert response.status_code == 405
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ACCEPTED


def test_the_dashboard_lists_who_cannot_come_after_all(client, seat, next_one, leader_a):
    _cant_come(seat, leader_a)
    client.force_login(leader_a)

    response = client.get(reverse("dashboard"), headers=EN)

    assert "Representatives who cannot come after all" in response.text
    assert seat.representative.name in response.text
    assert "the next suggestion has been invited" in response.text


# --- an answer given by phone --------------------------------------------------------------


def test_a_leader_records_a_yes_given_by_phone_shown_as_such_in_history_and_audit(
    client, seat, leader_a
):
    client.force_login(leader_a)

    response = client.post(
        reverse("seat_phone_answer", args=[seat.pk]), {"answer": "accepted"}, headers=EN
    )

    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ACCEPTED
    assert seat.backgrounds_snapshot == sorted(
        seat.representative.backgrounds.values_list("slug", flat=True)
    )
    last = seat.transitions.last()
    assert (last.actor, last.by, last.by_phone) == ("representative", leader_a, True)
    event = AuditEvent.objects.get(
        action=AuditAction.SEAT_CHANGED, object_id=seat.pk, detail__to_status="accepted"
    )
    assert (event.actor, event.detail["by_phone"], event.detail["to_status"]) == (
        leader_a,
        True,
        "accepted",
    )
    assert OutboxMessage.objects.filter(kind="confirmation", to=seat.representative.email).exists()
    page = client.get(reverse("panel_detail", args=[seat.panel_id]), headers=EN)
    assert "the representative, by phone (recorded by Rita Rana)" in page.text


def test_a_leader_records_a_no_given_by_phone_with_the_reason(client, seat, leader_a):
    client.force_login(leader_a)

    client.post(
        reverse("seat_phone_answer", args=[seat.pk]),
        {"answer": "declined", "reason": "Reiser bort"},
    )

    seat.refresh_from_db()
    assert (seat.status, seat.decline_reason) == (SeatStatus.DECLINED, "Reiser bort")
    assert seat.transitions.last().by_phone


def test_a_phone_answer_without_a_choice_changes_nothing(client, seat, leader_a):
    client.force_login(leader_a)

    client.post(reverse("seat_phone_answer", args=[seat.pk]), {"answer": ""})

    seat.refresh_from_db()
    assert seat.status == SeatStatus.INVITED


def test_a_phone_answer_to_an_answered_seat_is_refused(seat, leader_a):
    _accepted(seat)

    with pytest.raises(ValidationError):
        services.seat_answer_by_phone(seat=seat, accepted=False, by=leader_a)


def test_hr_cannot_record_a_phone_answer(client, seat, hr):
    client.force_login(hr)

    response = client.post(reverse("seat_phone_answer", args=[seat.pk]), {"answer": "accepted"})

    assert response.status_code == 403


def test_a_leader_of_another_office_gets_404_recording_a_phone_answer(client, seat, leader_b):
    client.force_login(leader_b)

    response = client.post(reverse("seat_phone_answer", args=[seat.pk]), {"answer": "accepted"})

    assert response.status_code == 404
    seat.refresh_from_db()
    assert seat.status == SeatStatus.INVITED
