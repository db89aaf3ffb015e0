"""Staff interviewers get the calendar entry too: one per panel and person, that moves and goes."""

import base64
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from outbox.models import OutboxMessage
from panels import emails, services
from panels.models import StaffInterviewer
from tests.factories.panels import InterviewFactory, OpenRoundFactory, day_at

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
STAFF = [
    {"name": "Kari Leder", "role": "Leder", "email": "kari.leder@nav.no"},
    {"name": "Tor Tillitsvalgt", "role": "Tillitsvalgt", "email": "tor@nav.no"},
]


def _calendar_of(message: OutboxMessage) -> Calendar:
    [attachment] = message.attachments
    return Calendar.from_ical(base64.b64decode(attachment["content"]))


def _event(message: OutboxMessage):
    [event] = _calendar_of(message).events
    return event


def _panel(office, start: datetime):
    hiring_round = OpenRoundFactory(office=office, position_title="Erfaringskonsulent")
    interview = InterviewFactory(
        round=hiring_round, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    panel = services.panel_create(hiring_round=hiring_round, interviews=[interview], staff=STAFF)
    return panel, interview


def test_each_staff_interviewer_gets_a_calendar_invitation_when_the_panel_is_made(office_a):
    panel, _interview = _panel(office_a, datetime(2030, 3, 26, 9, tzinfo=OSLO))

    messages = OutboxMessage.objects.filter(kind="staff_invitation").order_by("to")

    assert [m.to for m in messages] == ["kari.leder@nav.no", "tor@nav.no"]
    kari = panel.staff.get(email="kari.leder@nav.no")
    event = _event(messages[0])
    assert str(_calendar_of(messages[0])["method"]) == "REQUEST"
    assert str(event["uid"]) == f"panel-{panel.pk}-staff-{kari.pk}@navpanel.nav.no"
    assert event["sequence"] == 0
    assert event["dtstart"].dt == datetime(2030, 3, 26, 9, tzinfo=OSLO)
    assert str(event["summary"]) == "Intervjupanel: Erfaringskonsulent, NAV Rana"
    assert "09:00" in messages[0].body_text
    assert messages[0].from_header == "NAV Rana <navpanel@nav.no>"
    assert messages[0].representative_id is None


def test_a_move_raises_the_sequence_of_the_same_entry_and_a_cancel_removes_it(office_a, leader_a):
    start = datetime(2030, 3, 26, 9, tzinfo=OSLO)
    panel, interview = _panel(office_a, start)

    services.interview_move(
        interview=interview,
        starts_at=start + timedelta(days=1),
        ends_at=start + timedelta(days=1, hours=2),
        by=leader_a,
    )
    services.panel_cancel(panel=panel, by=leader_a)

    panel.refresh_from_db()
    assert panel.calendar_sequence == 1
    tor = {"to": "tor@nav.no"}
    invitation = OutboxMessage.objects.get(kind="staff_invitation", **tor)
    moved = OutboxMessage.objects.get(kind="staff_moved", **tor)
    cancelled = OutboxMessage.objects.get(kind="staff_cancelled", **tor)
    assert len({str(_event(m)["uid"]) for m in (invitation, moved, cancelled)}) == 1
    assert [_event(m)["sequence"] for m in (invitation, moved, cancelled)] == [0, 1, 2]
    assert _event(moved)["dtstart"].dt == start + timedelta(days=1)
    assert [str(_calendar_of(m)["method"]) for m in (invitation, moved, cancelled)] == [
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    assert cancelled.attachments[0]["content_type"] == "text/calendar; method=CANCEL; charset=utf-8"


@pytest.mark.parametrize(
    ("start", "utc_hour"),
    [
        (datetime(2026, 10, 26, 10, tzinfo=OSLO), 9),  # the Monday after winter time begins
        (datetime(2030, 4, 1, 10, tzinfo=OSLO), 8),  # the Monday after summer time begins
    ],
)
def test_the_staff_entry_is_at_ten_in_oslo_either_side_of_daylight_saving(
    office_a, start, utc_hour
):
    hiring_round = OpenRoundFactory(office=office_a)
    interview = InterviewFactory(
        round=hiring_round, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    # A panel made for a day already past sends staff nothing, so the email is asked for here.
    panel = services.panel_create(hiring_round=hiring_round, interviews=[interview])
    staff = StaffInterviewer.objects.create(panel=panel, **STAFF[1])
    emails.staff_invitation(staff=staff)

    message = OutboxMessage.objects.get(kind="staff_invitation")
    dtstart = _event(message)["dtstart"].dt
    assert (dtstart.astimezone(OSLO).hour, dtstart.astimezone(UTC).hour) == (10, utc_hour)
    assert [str(tz["tzid"]) for tz in _calendar_of(message).timezones] == ["Europe/Oslo"]


def test_a_move_within_the_panel_that_changes_no_time_sends_nothing_new(office_a, leader_a):
    hiring_round = OpenRoundFactory(office=office_a)
    first = InterviewFactory(round=hiring_round, starts_at=day_at(20, 9))
    second = InterviewFactory(round=hiring_round, starts_at=day_at(20, 10))
    panel = services.panel_create(
        hiring_round=hiring_round, interviews=[first, second], staff=STAFF[:1]
    )

    services.panel_sync_times(panel=panel, by=leader_a)

    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["staff_invitation"]


def test_a_panel_made_for_a_past_day_sends_staff_nothing_and_cancelling_twice_sends_once(
    office_a, leader_a
):
    _panel(office_a, day_at(-3, 9))
    panel, _interview = _panel(office_a, day_at(20, 9))

    services.panel_cancel(panel=panel, by=leader_a)
    services.panel_cancel(panel=panel, by=leader_a)

    assert OutboxMessage.objects.filter(kind="staff_invitation").count() == 2
    assert OutboxMessage.objects.filter(kind="staff_cancelled").count() == 2
