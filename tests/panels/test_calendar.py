"""The calendar files that travel with a seat's emails: one entry that moves, and times in Oslo."""

import base64
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from outbox.models import OutboxMessage
from panels import services
from panels.enums import Language
from panels.public import answers
from tests.factories.links import ConfidentialityTextFactory, invited_seat
from tests.factories.panels import InterviewFactory, OpenRoundFactory, PoolRepresentativeFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def _calendar_of(message: OutboxMessage) -> Calendar:
    [attachment] = message.attachments
    assert attachment["content_type"].startswith("text/calendar; method=")
    return Calendar.from_ical(base64.b64decode(attachment["content"]))


def _event(message: OutboxMessage):
    [event] = _calendar_of(message).events
    return event


def _invited_on(office, leader, start: datetime, **representative):
    hiring_round = OpenRoundFactory(office=office, position_title="Erfaringskonsulent")
    interview = InterviewFactory(
        round=hiring_round, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    panel = services.panel_create(hiring_round=hiring_round, interviews=[interview])
    person = PoolRepresentativeFactory(offices=[office], **representative)
    seat = services.seat_invite(panel=panel, representative=person, by=leader)
    return seat, interview


def test_the_invitation_carries_a_tentative_free_entry_nobody_can_answer_in_the_calendar(
    office_a, leader_a
):
    seat, _interview = _invited_on(office_a, leader_a, datetime(2030, 3, 26, 9, 0, tzinfo=OSLO))

    message = OutboxMessage.objects.get(kind="invitation")

    calendar = _calendar_of(message)
    event = _event(message)
    assert message.attachments[0]["filename"] == "invitasjon.ics"
    assert message.attachments[0]["content_type"] == "text/calendar; method=PUBLISH; charset=utf-8"
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["version"]) == "2.0"
    assert calendar["prodid"]
    assert str(event["uid"]) == f"seat-{seat.pk}@navpanel.nav.no"
    assert event["sequence"] == 0
    assert (str(event["status"]), str(event["transp"])) == ("TENTATIVE", "TRANSPARENT")
    assert "attendee" not in event
    assert str(event["summary"]) == "Ikke svart ennå: Intervjupanel: Erfaringskonsulent, NAV Rana"
    assert str(event["location"]) == "Møterom Saltfjellet"
    assert "/r/plass/" in str(event["description"])
    assert event["dtstamp"].dt.tzinfo is not None


def test_the_calendar_file_names_no_candidate_and_no_background(office_a):
    seat = invited_seat(office=office_a, candidates=("Siri Søker", "Ola Søkersen"))

    raw = base64.b64decode(OutboxMessage.objects.get(kind="invitation").attachments[0]["content"])

    text = raw.decode()
    assert "Siri" not in text and "Søkersen" not in text
    assert not any(
        slug in text for slug in seat.representative.backgrounds.values_list("slug", flat=True)
    )


def test_an_english_speaking_representative_gets_an_english_summary_and_file_names(
    office_a, leader_a
):
    seat, _interview = _invited_on(
        office_a, leader_a, datetime(2030, 3, 26, 9, 0, tzinfo=OSLO), language=Language.EN
    )
    services.panel_cancel(panel=seat.panel, by=leader_a)

    invitation = OutboxMessage.objects.get(kind="invitation")
    cancelled = OutboxMessage.objects.get(kind="cancelled")

    assert (
        str(_event(invitation)["summary"])
        == "Not answered yet: Interview panel: Erfaringskonsulent, NAV Rana"
    )
    assert invitation.attachments[0]["filename"] == "invitation.ics"
    assert cancelled.attachments[0]["filename"] == "cancellation.ics"


def test_a_move_updates_the_same_entry_with_a_higher_sequence_and_a_cancel_removes_it(
    office_a, leader_a
):
    start = datetime(2030, 3, 26, 9, 0, tzinfo=OSLO)
    seat, interview = _invited_on(office_a, leader_a, start)
    invitation = OutboxMessage.objects.get(kind="invitation")

    services.interview_move(
        interview=interview,
        starts_at=start + timedelta(days=1),
        ends_at=start + timedelta(days=1, hours=2),
        by=leader_a,
    )
    services.panel_cancel(panel=seat.panel, by=leader_a)

    moved = OutboxMessage.objects.get(kind="moved")
    cancelled = OutboxMessage.objects.get(kind="cancelled")
    uids = {str(_event(m)["uid"]) for m in (invitation, moved, cancelled)}
    assert uids == {f"seat-{seat.pk}@navpanel.nav.no"}
    assert [_event(m)["sequence"] for m in (invitation, moved)] == [0, 1]
    assert _event(cancelled)["sequence"] > _event(moved)["sequence"]
    assert _event(moved)["dtstart"].dt == start + timedelta(days=1)
    assert [str(_calendar_of(m)["method"]) for m in (invitation, moved, cancelled)] == [
        "PUBLISH",
        "PUBLISH",
        "CANCEL",
    ]
    assert str(_event(cancelled)["status"]) == "CANCELLED"
    assert cancelled.attachments[0]["content_type"] == "text/calendar; method=CANCEL; charset=utf-8"
    assert cancelled.attachments[0]["filename"] == "avlysning.ics"


@pytest.mark.parametrize(
    ("start", "utc_hour"),
    [
        (datetime(2030, 10, 28, 9, 0, tzinfo=OSLO), 8),  # the Monday after winter time begins
        (datetime(2030, 4, 1, 9, 0, tzinfo=OSLO), 7),  # the Monday after summer time begins
    ],
)
def test_an_interview_at_nine_in_oslo_is_at_nine_in_the_calendar_either_side_of_daylight_saving(
    office_a, leader_a, start, utc_hour
):
    _invited_on(office_a, leader_a, start)

    message = OutboxMessage.objects.get(kind="invitation")

    calendar = _calendar_of(message)
    dtstart = _event(message)["dtstart"].dt
    assert dtstart.astimezone(OSLO).hour == 9
    assert dtstart.astimezone(UTC).hour == utc_hour
    assert [str(tz["tzid"]) for tz in calendar.timezones] == ["Europe/Oslo"]
    assert "09:00" in message.body_text and "09:00" in message.subject


def test_accepting_queues_one_confirmation_with_the_calendar_entry(office_a):
    seat = invited_seat(office=office_a)

    answers.invitation_accept(
        seat=seat, declaration=ConfidentialityTextFactory(), sign_declaration=True
    )

    confirmation = OutboxMessage.objects.get(kind="confirmation")
    assert confirmation.key == f"confirmation:seat:{seat.pk}"
    assert confirmation.to == seat.representative.email
    assert confirmation.subject.startswith("Bekreftet: intervjupanel ved NAV Rana")
    assert "09:00" in confirmation.body_text and "/r/plass/" in confirmation.body_html
    event = _event(confirmation)
    assert str(event["uid"]) == f"seat-{seat.pk}@navpanel.nav.no"
    assert str(_calendar_of(confirmation)["method"]) == "REQUEST"


def test_accepting_twice_still_queues_one_confirmation(office_a):
    seat = invited_seat(office=office_a)
    declaration = ConfidentialityTextFactory()
    answers.invitation_accept(seat=seat, declaration=declaration, sign_declaration=True)

    with pytest.raises(ValidationError):
        answers.invitation_accept(seat=seat, declaration=declaration, sign_declaration=True)

    assert OutboxMessage.objects.filter(kind="confirmation").count() == 1


def test_a_refused_acceptance_queues_no_confirmation(office_a):
    seat = invited_seat(office=office_a)

    with pytest.raises(ValidationError):
        answers.invitation_accept(
            seat=seat, declaration=ConfidentialityTextFactory(), sign_declaration=False
        )

    assert not OutboxMessage.objects.filter(kind="confirmation").exists()
