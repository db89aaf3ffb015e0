"""Moves (issue 14, point 6): a panel's span and its seats' booked ranges follow the real span
of its interviews, the whole day moves at once, and each person gets one email per change."""

import base64
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from outbox.models import OutboxMessage, OutboxStatus
from panels import services
from panels.eligibility import eligible_representatives
from panels.enums import SeatStatus
from tests.factories.panels import OpenRoundFactory, PoolRepresentativeFactory, day_at, panel_for
from tests.factories.rounds import local, working_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_of_three(office_a, leader_a):
    panel = panel_for(OpenRoundFactory(office=office_a), interviews=3)
    kari = PoolRepresentativeFactory(offices=[office_a], email="kari@example.no")
    ola = PoolRepresentativeFactory(offices=[office_a], email="ola@example.no")
    accepted = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_accept(seat=accepted)
    services.seat_invite(panel=panel, representative=ola, by=leader_a)
    return panel


def _moved(to: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind="moved", to=to).order_by("pk"))


def test_moving_the_whole_day_moves_every_interview_and_tells_each_person_once(
    panel_of_three, leader_a
):
    before = list(panel_of_three.interviews.order_by("starts_at"))

    services.panel_move(
        panel=panel_of_three, day=day_at(21, 0).date(), starts_at=time(10, 30), by=leader_a
    )

    panel_of_three.refresh_from_db()
    after = list(panel_of_three.interviews.order_by("starts_at"))
    assert [i.starts_at for i in after] == [
        day_at(21, 10, 30) + timedelta(hours=n) for n in range(3)
    ]
    assert [i.pk for i in after] == [i.pk for i in before]
    assert (panel_of_three.starts_at, panel_of_three.ends_at) == (
        day_at(21, 10, 30),
        day_at(21, 13, 30),
    )
    for seat in panel_of_three.seats.all():
        assert (seat.starts_at, seat.ends_at) == (panel_of_three.starts_at, panel_of_three.ends_at)
        [moved] = _moved(seat.representative.email)
        assert "10:30–13:30" in moved.subject and "10:30–13:30" in moved.body_text


def test_a_second_move_before_the_first_email_went_replaces_it(panel_of_three, leader_a):
    first, _second, third = panel_of_three.interviews.order_by("starts_at")

    services.interview_move(
        interview=third, starts_at=day_at(14, 15), ends_at=day_at(14, 16), by=leader_a
    )
    services.interview_move(
        interview=first, starts_at=day_at(14, 8), ends_at=day_at(14, 9), by=leader_a
    )

    for address in ("kari@example.no", "ola@example.no"):
        earlier, latest = _moved(address)
        assert earlier.status == OutboxStatus.SUPERSEDED
        assert latest.status == OutboxStatus.QUEUED
        assert "08:00–16:00" in latest.subject


def test_moving_one_interview_by_a_week_gives_the_new_real_span_in_subject_and_calendar(
    panel_of_three, leader_a
):
    last = panel_of_three.interviews.order_by("starts_at").last()

    services.interview_move(
        interview=last, starts_at=day_at(21, 11), ends_at=day_at(21, 12), by=leader_a
    )

    panel_of_three.refresh_from_db()
    assert (panel_of_three.starts_at, panel_of_three.ends_at) == (day_at(14, 9), day_at(21, 12))
    seat = panel_of_three.seats.get(status=SeatStatus.ACCEPTED)
    [moved] = _moved(seat.representative.email)
    assert seat.calendar_sequence == 2
    assert moved.subject.count("09:00") == 1 and moved.subject.endswith("12:00")
    [entry] = Calendar.from_ical(base64.b64decode(moved.attachments[0]["content"])).walk("VEVENT")
    assert (entry.decoded("dtstart"), entry.decoded("dtend")) == (day_at(14, 9), day_at(21, 12))


def test_the_leader_moves_the_day_on_the_panel_page(client, panel_of_three, leader_a):
    client.force_login(leader_a)
    day = working_day(28)

    response = client.post(
        reverse("panel_move", args=[panel_of_three.pk]),
        {"move-day": day.isoformat(), "move-starts_at": "09:15"},
    )

    assert response.status_code == 302
    panel_of_three.refresh_from_db()
    assert panel_of_three.starts_at == local(day, "09:15")


def _saturday() -> date:
    day = working_day(28)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day


def test_moving_the_day_to_a_saturday_is_warned_about_and_moves_only_when_confirmed(
    client, panel_of_three, leader_a
):
    client.force_login(leader_a)
    before = panel_of_three.starts_at
    saturday = _saturday()
    data = {"move-day": saturday.isoformat(), "move-starts_at": "09:15"}

    warned = client.post(reverse("panel_move", args=[panel_of_three.pk]), data)
    panel_of_three.refresh_from_db()
    after_warning = (panel_of_three.starts_at, len(_moved("kari@example.no")))
    confirmed = client.post(
        reverse("panel_move", args=[panel_of_three.pk]), {**data, "move-plan_anyway": "on"}
    )

    assert warned.status_code == 200
    assert "er ikke en arbeidsdag (lørdag)" in warned.text
    assert "Planlegg likevel den dagen" in warned.text
    assert after_warning == (before, 0)
    assert confirmed.status_code == 302
    panel_of_three.refresh_from_db()
    assert panel_of_three.starts_at == local(saturday, "09:15")
    assert len(_moved("kari@example.no")) == 1


def test_the_panel_page_shows_no_confirmation_box_before_a_warning(
    client, panel_of_three, leader_a
):
    client.force_login(leader_a)

    page = client.get(reverse("panel_detail", args=[panel_of_three.pk])).text

    assert "move-plan_anyway" not in page


def test_a_leader_of_another_office_gets_404_on_moving_the_panel(client, panel_of_three, leader_b):
    client.force_login(leader_b)

    response = client.post(
        reverse("panel_move", args=[panel_of_three.pk]),
        {"move-day": day_at(28, 0).date().isoformat(), "move-starts_at": "09:15"},
    )

    assert response.status_code == 404
    panel_of_three.refresh_from_db()
    assert panel_of_three.starts_at == day_at(14, 9)


def test_after_one_interview_moved_a_week_the_person_can_sit_on_another_panel_in_the_gap(
    panel_of_three, leader_a
):
    last = panel_of_three.interviews.order_by("starts_at").last()
    services.interview_move(
        interview=last, starts_at=day_at(21, 11), ends_at=day_at(21, 12), by=leader_a
    )
    kari = panel_of_three.seats.get(status=SeatStatus.ACCEPTED).representative
    in_the_gap = panel_for(panel_of_three.round, days=17)

    assert kari in eligible_representatives(panel=in_the_gap)
    seat = services.seat_invite(panel=in_the_gap, representative=kari, by=leader_a)

    assert seat.status == SeatStatus.INVITED
    assert list(
        kari.bookings.filter(seat__panel=panel_of_three).values_list("starts_at", "ends_at")
    ) == [(day_at(14, 9), day_at(14, 11)), (day_at(21, 11), day_at(21, 12))]


def test_the_moved_interview_books_its_new_day_so_a_panel_then_is_refused(panel_of_three, leader_a):
    last = panel_of_three.interviews.order_by("starts_at").last()
    services.interview_move(
        interview=last, starts_at=day_at(21, 11), ends_at=day_at(21, 12), by=leader_a
    )
    kari = panel_of_three.seats.get(status=SeatStatus.ACCEPTED).representative
    same_hour = panel_for(panel_of_three.round, days=21, hour=11)

    assert kari not in eligible_representatives(panel=same_hour)
    with pytest.raises(ValidationError, match="already booked at that time"):
        services.seat_invite(panel=same_hour, representative=kari, by=leader_a)


def test_a_seat_that_ends_frees_its_days_for_other_panels(panel_of_three, leader_a):
    seat = panel_of_three.seats.get(status=SeatStatus.ACCEPTED)

    services.seat_cant_come(seat=seat)

    assert not seat.representative.bookings.exists()
