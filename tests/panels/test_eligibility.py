"""Eligibility is one rule: whoever the panel page leaves out, ``seat_invite`` refuses, and why."""

import pytest
from django.core.exceptions import ValidationError

from panels import services
from panels.eligibility import Ineligible, eligible_representatives, representative_ineligibility
from panels.enums import RepresentativeStatus, SeatStatus
from panels.models import ConflictOfInterest
from panels.suggestions.pool import pool_members_for_panel
from tests.factories.panels import OpenRoundFactory, PoolRepresentativeFactory, panel_for

pytestmark = pytest.mark.django_db


def _awaiting_consent(panel, person, leader):
    person.status = RepresentativeStatus.AWAITING_CONSENT
    person.save(update_fields=["status"])


def _in_another_pool(panel, person, leader):
    person.offices.set([OpenRoundFactory().office])


def _on_the_panel(panel, person, leader):
    services.seat_invite(panel=panel, representative=person, by=leader)


def _booked_at_the_same_time(panel, person, leader):
    same_time = panel_for(OpenRoundFactory(office=panel.round.office))
    services.seat_invite(panel=same_time, representative=person, by=leader)


def _declined_in_this_round(panel, person, leader):
    earlier = panel_for(panel.round, days=12)
    seat = services.seat_invite(panel=earlier, representative=person, by=leader)
    services.seat_transition(seat=seat, to=SeatStatus.DECLINED, actor="representative")


def _knows_a_candidate(panel, person, leader):
    candidate = panel.interviews.get().candidate
    ConflictOfInterest.objects.create(representative=person, candidate=candidate)


CASES = [
    (_awaiting_consent, Ineligible.NO_CONSENT),
    (_in_another_pool, Ineligible.NOT_IN_POOL),
    (_on_the_panel, Ineligible.ON_PANEL),
    (_booked_at_the_same_time, Ineligible.BOOKED),
    (_declined_in_this_round, Ineligible.SAID_NO),
    (_knows_a_candidate, Ineligible.CONFLICT),
]


@pytest.mark.parametrize(("arrange", "reason"), CASES, ids=[reason for _, reason in CASES])
def test_a_person_the_page_does_not_suggest_is_refused_by_invite_for_the_same_reason(
    office_a, leader_a, arrange, reason
):
    panel = panel_for(OpenRoundFactory(office=office_a))
    person = PoolRepresentativeFactory(offices=[office_a])
    other = PoolRepresentativeFactory(offices=[office_a])
    arrange(panel, person, leader_a)

    suggested = {member.id for member in pool_members_for_panel(panel=panel)}

    assert suggested == {other.pk}
    assert set(eligible_representatives(panel=panel)) == {other}
    assert representative_ineligibility(panel=panel, representative=person) == reason
    assert representative_ineligibility(panel=panel, representative=other) is None
    with pytest.raises(ValidationError) as refused:
        services.seat_invite(panel=panel, representative=person, by=leader_a)
    assert refused.value.code == reason.value


def test_an_erased_persons_seat_on_the_panel_hides_nobody(office_a, leader_a):
    panel = panel_for(OpenRoundFactory(office=office_a))
    gone = PoolRepresentativeFactory(offices=[office_a])
    services.seat_invite(panel=panel, representative=gone, by=leader_a)
    panel.seats.update(representative=None)
    gone.delete()
    person = PoolRepresentativeFactory(offices=[office_a])

    eligible = set(eligible_representatives(panel=panel))

    assert eligible == {person}
