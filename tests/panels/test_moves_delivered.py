"""A move as the person meets it: one email per seat through a real worker and SMTP server,
whose subject and calendar carry the panel's new span (issue 14, point 6)."""

# ruff: noqa: F811 - the real-parts fixtures are imported from tests.mail and requested by name

import pytest

from panels import calendar, services
from tests.factories.panels import OpenRoundFactory, PoolRepresentativeFactory, day_at, panel_for
from tests.mail import (  # noqa: F401 - fixtures
    broker,
    calendars_for,
    event_of,
    last_calendar_for,
    received_by,
    redis_server,
    smtp_sink,
    start_worker,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_moving_one_interview_of_three_by_a_week_sends_each_seat_one_email_with_the_new_span(
    broker, smtp_sink, start_worker, office_a, leader_a
):
    start_worker()
    panel = panel_for(OpenRoundFactory(office=office_a), interviews=3)
    kari = PoolRepresentativeFactory(offices=[office_a], email="kari@example.no")
    ola = PoolRepresentativeFactory(offices=[office_a], email="ola@example.no")
    accepted = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_accept(seat=accepted)
    invited = services.seat_invite(panel=panel, representative=ola, by=leader_a)
    assert wait_for(lambda: len(received_by(smtp_sink, "kari@example.no")) == 2)
    assert wait_for(lambda: len(received_by(smtp_sink, "ola@example.no")) == 1)
    last = panel.interviews.order_by("starts_at").last()

    services.interview_move(
        interview=last, starts_at=day_at(21, 11), ends_at=day_at(21, 12), by=leader_a
    )

    for seat, address, before in ((accepted, "kari@example.no", 2), (invited, "ola@example.no", 1)):
        assert wait_for(lambda a=address, n=before: len(received_by(smtp_sink, a)) == n + 1)
        moved = received_by(smtp_sink, address)[-1]
        event = event_of(last_calendar_for(smtp_sink, address))
        assert "09:00" in moved.subject and moved.subject.endswith("12:00")
        assert str(event["uid"]) == calendar.seat_uid(seat)
        assert (event["dtstart"].dt, event["dtend"].dt) == (day_at(14, 9), day_at(21, 12))
        assert event["sequence"] > max(
            event_of(c)["sequence"] for c in calendars_for(smtp_sink, address)[:-1]
        )
