"""Every calendar entry a person was sent is cancelled when their seat ends before the day,
whatever ends it (issue 14, point 5): checked in the last calendar that reached them through
a real worker and SMTP server."""

# ruff: noqa: F811 - the real-parts fixtures are imported from tests.mail and requested by name

from collections.abc import Callable
from datetime import timedelta

import pytest
from icalendar import Calendar

from panels import calendar, jobs, services
from panels.enums import SeatStatus
from panels.models import Seat
from panels.public.my_page import consent_withdraw
from tests.factories.links import invited_seat
from tests.mail import (  # noqa: F401 - fixtures
    broker,
    calendars_for,
    event_of,
    last_calendar_for,
    redis_server,
    smtp_sink,
    start_worker,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _decline(seat: Seat, leader) -> None:
    services.seat_decline(seat=seat, reason="")


def _expire(seat: Seat, leader) -> None:
    jobs.invitations_expire(now=seat.answer_by + timedelta(minutes=1))


def _withdraw(seat: Seat, leader) -> None:
    consent_withdraw(representative=seat.representative)


def _take_off(seat: Seat, leader) -> None:
    services.seat_cancel(seat=seat, by=leader)


def _cancel_panel(seat: Seat, leader) -> None:
    services.panel_cancel(panel=seat.panel, by=leader)


@pytest.mark.parametrize(
    ("accepted", "end", "ended_as"),
    [
        (False, _decline, SeatStatus.DECLINED),
        (False, _expire, SeatStatus.EXPIRED),
        (True, _withdraw, SeatStatus.WITHDRAWN),
        (False, _withdraw, SeatStatus.WITHDRAWN),
        (True, _take_off, SeatStatus.CANCELLED),
        (False, _take_off, SeatStatus.CANCELLED),
        (True, _cancel_panel, SeatStatus.CANCELLED),
    ],
    ids=[
        "declined",
        "expired",
        "accepted-then-withdrawn",
        "invited-then-withdrawn",
        "accepted-then-taken-off",
        "invited-then-taken-off",
        "panel-cancelled",
    ],
)
def test_the_last_calendar_a_person_received_cancels_the_entry_of_the_seat_that_ended(
    broker,
    smtp_sink,
    start_worker,
    office_a,
    leader_a,
    accepted: bool,
    end: Callable,
    ended_as: str,
):
    start_worker()
    seat = invited_seat(office=office_a)
    address = seat.representative.email
    if accepted:
        services.seat_accept(seat=seat)
    sent_before = 2 if accepted else 1
    assert wait_for(lambda: len(calendars_for(smtp_sink, address)) == sent_before)

    end(seat, leader_a)

    assert wait_for(lambda: len(calendars_for(smtp_sink, address)) == sent_before + 1)
    seat.refresh_from_db()
    assert seat.status == ended_as
    earlier = calendars_for(smtp_sink, address)[:-1]
    last = last_calendar_for(smtp_sink, address)
    event = event_of(last)
    assert str(last["method"]) == "CANCEL"
    assert str(event["uid"]) == calendar.seat_uid(seat)
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] > max(event_of(c)["sequence"] for c in earlier)


def test_only_an_accepted_seat_is_a_busy_entry_in_the_persons_calendar(
    broker, smtp_sink, start_worker, office_a
):
    start_worker()
    seat = invited_seat(office=office_a)
    address = seat.representative.email
    assert wait_for(lambda: len(calendars_for(smtp_sink, address)) == 1)

    services.seat_accept(seat=seat)

    assert wait_for(lambda: len(calendars_for(smtp_sink, address)) == 2)
    invitation, confirmation = calendars_for(smtp_sink, address)
    assert (str(invitation["method"]), str(event_of(invitation)["transp"])) == (
        "PUBLISH",
        "TRANSPARENT",
    )
    assert "attendee" not in event_of(invitation)
    event = event_of(confirmation)
    assert (str(confirmation["method"]), str(event["transp"])) == ("REQUEST", "OPAQUE")
    assert event["sequence"] > event_of(invitation)["sequence"]
    assert event["attendee"].params["PARTSTAT"] == "ACCEPTED"
    assert event["attendee"].params["RSVP"] == "FALSE"
    [alarm] = event.walk("VALARM")
    assert alarm["trigger"].dt == timedelta(days=-1)
    [received] = [r for r in smtp_sink.received if address in r.to][1:]
    content_types = [
        part["Content-Type"]
        for part in received.parsed.walk()
        if part.get_content_type() == "text/calendar"
    ]
    assert [ct.replace('"', "") for ct in content_types] == [
        "text/calendar; method=REQUEST; charset=utf-8"
    ]
    # As iMIP expects, so that Outlook shows a meeting: the calendar is one of the alternatives
    # beside the text and the HTML, and the file to import by hand is not a second calendar.
    [alternatives] = [
        p for p in received.parsed.walk() if p.get_content_type() == "multipart/alternative"
    ]
    assert [p.get_content_type() for p in alternatives.get_payload()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    [ics_file] = [p for p in received.parsed.walk() if p.get_filename()]
    assert ics_file.get_content_type() == "application/ics"
    assert Calendar.from_ical(ics_file.get_payload(decode=True))["method"] == "REQUEST"
