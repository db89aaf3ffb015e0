"""The reasons the panel page gives for a suggestion are true (issue 14, point 10).

"Past" means before now: a seat said yes to for next week is an upcoming panel, not "1 panel in
the last 12 months, last in …"; and every count says what it counts: an invitation to another
panel of the round that has no answer yet is said to be one, beside "never on a panel".
"""

from datetime import timedelta

import pytest
from django.utils import formats, timezone, translation

from panels import services
from panels.enums import SeatStatus
from panels.selectors import panel_seats
from panels.suggestions.pool import panel_suggestions, panel_wants
from tests.factories.panels import (
    OpenRoundFactory,
    PanelRowFactory,
    PoolRepresentativeFactory,
    SeatFactory,
    panel_for,
)

pytestmark = pytest.mark.django_db


def reasons_for(panel, now) -> str:
    found = panel_suggestions(
        panel=panel, seats=panel_seats(panel=panel), wants=panel_wants(panel=panel), now=now
    )
    [(_person, suggestion)] = found.suggested
    with translation.override("en"):
        return suggestion.text


def test_a_panel_ahead_is_upcoming_and_an_open_invitation_says_it_has_no_answer(office_a, leader_a):
    rana_round = OpenRoundFactory(office=office_a)
    panel = panel_for(rana_round, days=30, seats_wanted=1)
    per = PoolRepresentativeFactory(name="Per Annen", offices=[office_a])
    now = timezone.now()
    next_week = now + timedelta(days=7)
    SeatFactory(
        panel=PanelRowFactory(round__office=office_a, starts_at=next_week),
        representative=per,
        status=SeatStatus.ACCEPTED,
        starts_at=next_week,
        ends_at=next_week + timedelta(hours=2),
    )
    services.seat_invite(panel=panel_for(rana_round, days=20), representative=per, by=leader_a)

    before = reasons_for(panel, now)
    after = reasons_for(panel, next_week + timedelta(hours=3))

    assert before == (
        "not on a panel yet; said yes to 1 upcoming panel; "
        "invited to 1 other panel in this round, no answer yet"
    )
    with translation.override("en"):
        month = formats.date_format(timezone.localdate(next_week), "F Y")
    assert after == (
        f"1 panel in the last 12 months, last in {month}; "
        "invited to 1 other panel in this round, no answer yet"
    )


def test_a_newcomer_invited_elsewhere_in_the_round_is_never_said_to_sit_there_already(
    office_a, leader_a
):
    rana_round = OpenRoundFactory(office=office_a)
    panel = panel_for(rana_round, days=30, seats_wanted=1)
    siri = PoolRepresentativeFactory(name="Siri Ny", offices=[office_a])
    services.seat_invite(panel=panel_for(rana_round, days=20), representative=siri, by=leader_a)

    text = reasons_for(panel, timezone.now())

    assert text == "never on a panel; invited to 1 other panel in this round, no answer yet"
