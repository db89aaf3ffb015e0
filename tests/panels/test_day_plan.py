"""The day itself (issue 18, point 4): the day plan, audited and for the office's leaders only,
and the agenda of the coming interview days."""

import pytest
from django.urls import reverse

from audit.enums import AuditAction
from audit.models import AuditEvent
from panels import services
from panels.enums import SeatStatus
from tests.factories.panels import OpenRoundFactory, PoolRepresentativeFactory, panel_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(office_a, leader_a):
    hiring_round = OpenRoundFactory(office=office_a, position_title="Veileder, Team Ung")
    panel = panel_for(hiring_round, interviews=2)
    panel.staff.create(name="Tone Tillitsvalgt", role="Tillitsvalgt", email="tone@nav.no")
    kari = PoolRepresentativeFactory(
        name="Kari Nordmann",
        phone="+47 912 34 567",
        support_needs="Trinnfri adgang",
        offices=[office_a],
    )
    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    services.seat_invite(
        panel=panel,
        representative=PoolRepresentativeFactory(name="Ola Venter", offices=[office_a]),
        by=leader_a,
    )
    return panel


def test_the_day_plan_holds_times_candidates_staff_and_representatives_with_phone_and_needs(
    client, leader_a, panel
):
    client.force_login(leader_a)

    response = client.get(reverse("panel_day_plan", args=[panel.pk]))

    text = response.text
    assert response.status_code == 200
    for interview in panel.interviews.all():
        assert interview.candidate.name in text
    assert "09:00–10:00" in text and "10:00–11:00" in text
    assert "Tone Tillitsvalgt (Tillitsvalgt)" in text
    assert "Kari Nordmann" in text and "+47 912 34 567" in text and "Trinnfri adgang" in text
    assert "Ikke svart ennå: Ola Venter" in text
    event = AuditEvent.objects.get(action=AuditAction.DAY_PLAN_VIEWED)
    assert (event.actor, event.object_id) == (leader_a, panel.pk)


@pytest.mark.parametrize("who", ["leader_b", "hr"])
def test_anyone_but_the_offices_leaders_gets_404_for_the_day_plan(client, request, panel, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("panel_day_plan", args=[panel.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.DAY_PLAN_VIEWED).exists()


def test_the_agenda_lists_the_coming_days_of_my_office_only(
    client, leader_a, leader_b, panel, office_b
):
    other = panel_for(OpenRoundFactory(office=office_b, position_title="Rådgiver Hadeland"))
    client.force_login(leader_a)

    response = client.get(reverse("agenda"))

    assert "Veileder, Team Ung" in response.text
    assert "Rådgiver Hadeland" not in response.text
    assert reverse("panel_day_plan", args=[panel.pk]) in response.text
    assert reverse("panel_day_plan", args=[other.pk]) not in response.text
    assert "2 av 3 brukerrepresentanter invitert eller kommer" in response.text
    assert "2 intervjuer" in response.text


def test_hr_has_no_agenda(client, hr):
    client.force_login(hr)

    assert client.get(reverse("agenda")).status_code == 403
