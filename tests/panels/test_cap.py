"""Nobody carries too much (issue 18, point 9): the office's cap of panels per representative a
month and a quarter. The suggestions leave out whoever is at it, the invitation refuses them, and
a leader's "Invite anyway" passes over it, recorded in the seat's history, the audit log and a
warning on the panel page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEvent
from panels import services
from panels.eligibility import Ineligible, cap_periods
from panels.enums import SeatStatus
from panels.selectors import panel_seats
from panels.suggestions.pool import panel_suggestions, panel_wants, pool_members_for_panel
from tests.factories.panels import OpenRoundFactory, PoolRepresentativeFactory, panel_for

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
NB = {"accept-language": "nb"}


@pytest.fixture
def panel(office_a):
    return panel_for(OpenRoundFactory(office=office_a), hour=9)


@pytest.fixture
def busy(office_a, leader_a, panel):
    """Kari has two other panels on the same day (so in the same month): the default cap."""
    kari = PoolRepresentativeFactory(name="Kari Nordmann", offices=[office_a])
    for hour in (11, 13):
        other = panel_for(OpenRoundFactory(office=office_a), hour=hour)
        services.seat_invite(panel=other, representative=kari, by=leader_a)
    return kari


def test_the_default_cap_is_two_panels_a_month_and_four_a_quarter(office_a):
    assert (office_a.cap_per_month, office_a.cap_per_quarter) == (2, 4)


def test_the_suggestions_leave_out_someone_at_the_cap(office_a, panel, busy):
    free = PoolRepresentativeFactory(offices=[office_a])

    suggested = {member.id for member in pool_members_for_panel(panel=panel)}
    page = panel_suggestions(
        panel=panel, seats=panel_seats(panel=panel), wants=panel_wants(panel=panel)
    )

    assert suggested == {free.pk}
    assert page.over_cap == [busy]
    assert busy.pk not in {person.pk for person, _ in page.suggested + page.others}


def test_someone_one_panel_under_the_cap_is_still_suggested(office_a, panel, busy):
    office_a.cap_per_month = 3
    office_a.cap_per_quarter = 3
    office_a.save()
    panel.refresh_from_db()

    assert {member.id for member in pool_members_for_panel(panel=panel)} == {busy.pk}


def test_the_quarter_cap_counts_the_other_months_of_the_quarter(office_a, leader_a, panel):
    (month_start, month_end), (quarter_start, quarter_end) = cap_periods(panel)
    assert quarter_start <= month_start < month_end <= quarter_end
    office_a.cap_per_month = 5
    office_a.cap_per_quarter = 2
    office_a.save()
    panel.refresh_from_db()
    kari = PoolRepresentativeFactory(offices=[office_a])
    for hour in (11, 13):
        other = panel_for(OpenRoundFactory(office=office_a), hour=hour)
        services.seat_invite(panel=other, representative=kari, by=leader_a)

    assert pool_members_for_panel(panel=panel) == []


def test_a_declined_seat_does_not_count_towards_the_cap(office_a, leader_a, panel, busy):
    seat = busy.seats.first()
    services.seat_transition(seat=seat, to=SeatStatus.DECLINED, actor="representative")

    assert {member.id for member in pool_members_for_panel(panel=panel)} == {busy.pk}


def test_the_invitation_is_refused_at_the_cap_with_the_reason(leader_a, panel, busy):
    with pytest.raises(ValidationError) as refused:
        services.seat_invite(panel=panel, representative=busy, by=leader_a)

    assert refused.value.code == Ineligible.OVER_CAP
    assert "Kari Nordmann has already reached the office's cap of panels" in (
        " ".join(refused.value.messages)
    )
    assert not panel.seats.exists()


def test_invite_anyway_invites_and_records_the_override(leader_a, panel, busy):
    seat = services.seat_invite(panel=panel, representative=busy, by=leader_a, over_cap=True)

    assert seat.status == SeatStatus.INVITED
    assert seat.over_cap
    assert "cap" in seat.transitions.get().note
    event = AuditEvent.objects.filter(action=AuditAction.SEAT_CHANGED, object_id=seat.pk).get()
    assert event.detail["over_cap"] is True


def test_invite_anyway_does_not_pass_over_any_other_reason(office_a, leader_a, panel, busy):
    services.seat_invite(panel=panel, representative=busy, by=leader_a, over_cap=True)

    with pytest.raises(ValidationError) as refused:
        services.seat_invite(panel=panel, representative=busy, by=leader_a, over_cap=True)

    assert refused.value.code == Ineligible.ON_PANEL


def test_the_page_refuses_without_the_tick_and_warns_after_invite_anyway(
    client, leader_a, panel, busy
):
    client.force_login(leader_a)
    url = reverse("panel_invite", args=[panel.pk])

    page = client.get(reverse("panel_detail", args=[panel.pk]), headers=EN)
    refused = client.post(url, {"representative": [busy.pk]}, headers=EN, follow=True)
    invited = client.post(
        url, {"representative": [busy.pk], "over_cap": "1"}, headers=NB, follow=True
    )

    assert "1 representative at the office's cap of panels" in page.text.replace(
        "One representative", "1 representative"
    )
    assert "Invite anyway" in page.text
    assert "Kari Nordmann was not invited" in refused.text
    assert "Tick “Invite anyway”" in refused.text
    assert "Invitert: Kari Nordmann." in invited.text
    assert "Over kontorets grense for antall paneler" in invited.text
    assert panel.seats.get().over_cap


def test_the_cap_periods_are_the_local_calendar_month_and_quarter(panel):
    (month_start, month_end), (quarter_start, quarter_end) = cap_periods(panel)
    day = timezone.localtime(panel.starts_at)

    assert timezone.localtime(month_start).day == 1
    assert month_start <= panel.starts_at < month_end
    assert quarter_start <= panel.starts_at < quarter_end
    assert timezone.localtime(quarter_start).month == 3 * ((day.month - 1) // 3) + 1
