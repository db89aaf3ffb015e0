"""Less typing (issue 18, point 3): one office is never picked, rounds and panels start as
copies, staff interviewers are picked from a list; a draft round invites nobody and can go."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.enums import AuditAction
from audit.models import AuditEvent
from interviews.enums import RoundState
from interviews.models import HiringRound
from outbox.models import OutboxMessage
from panels import services
from panels.models import Panel
from tests.factories import BackgroundFactory, HiringRoundFactory, OfficeRoleFactory
from tests.factories.panels import (
    BackgroundWantFactory,
    InterviewFactory,
    OpenRoundFactory,
    PoolRepresentativeFactory,
    panel_for,
)

pytestmark = pytest.mark.django_db


def test_a_leader_of_one_office_never_picks_the_office(client, leader_a, office_a):
    client.force_login(leader_a)

    page = client.get(reverse("round_create")).text
    response = client.post(
        reverse("round_create"),
        {
            "office": office_a.pk,
            "position_title": "Veileder",
            "seats_per_panel": 2,
            "answer_deadline_days": 5,
        },
    )

    assert '<select name="office"' not in page
    assert f'type="hidden" name="office" value="{office_a.pk}"' in page
    assert response.status_code == 302
    assert HiringRound.objects.get().office == office_a


def test_a_leader_of_two_offices_picks_one(client, leader_a, office_b):
    OfficeRoleFactory(user=leader_a, office=office_b)
    client.force_login(leader_a)

    page = client.get(reverse("round_create")).text

    assert '<select name="office"' in page


def test_a_new_round_starts_as_a_copy_of_an_earlier_one(client, leader_a, office_a):
    mental = BackgroundFactory(slug="mental_health")
    earlier = OpenRoundFactory(
        office=office_a,
        position_title="Erfaringskonsulent",
        description="Fast stilling, 100 %.",
        info_for_representatives="Du møter tre søkere.",
        seats_per_panel=3,
    )
    BackgroundWantFactory(round=earlier, background=mental, at_least=2)
    client.force_login(leader_a)

    form = client.get(reverse("round_create"), {"kopi": earlier.pk}).context["form"]

    assert form["position_title"].value() == "Erfaringskonsulent"
    assert form["description"].value() == "Fast stilling, 100 %."
    assert form["info_for_representatives"].value() == "Du møter tre søkere."
    assert form["seats_per_panel"].value() == 3
    assert form[f"want_{mental.pk}"].value() == 2


def test_a_round_of_another_office_cannot_be_copied(client, leader_b, office_a):
    earlier = OpenRoundFactory(office=office_a)
    client.force_login(leader_b)

    assert client.get(reverse("round_create"), {"kopi": earlier.pk}).status_code == 404


def test_staff_interviewers_are_remembered_and_picked_from_a_list(client, leader_a, office_a):
    hiring_round = OpenRoundFactory(office=office_a)
    first = panel_for(hiring_round)
    first.staff.create(name="Tone Tillitsvalgt", role="Tillitsvalgt", email="tone@nav.no")
    interview = InterviewFactory(round=hiring_round)
    client.force_login(leader_a)
    url = reverse("panel_create", args=[hiring_round.pk])

    page = client.get(url).text
    client.post(
        url,
        {
            "interviews": [interview.pk],
            "seats_wanted": 2,
            "known_staff": ["tone@nav.no"],
            "staff-TOTAL_FORMS": 4,
            "staff-INITIAL_FORMS": 0,
        },
    )

    assert "Tone Tillitsvalgt (Tillitsvalgt), tone@nav.no" in page
    second = Panel.objects.exclude(pk=first.pk).get()
    assert list(second.staff.values_list("name", "role", "email")) == [
        ("Tone Tillitsvalgt", "Tillitsvalgt", "tone@nav.no")
    ]


def test_ticking_more_staff_than_a_panel_holds_is_refused_next_to_the_list_and_saves_nothing(
    client, leader_a, office_a
):
    hiring_round = OpenRoundFactory(office=office_a)
    earlier = panel_for(hiring_round)
    for n in range(1, 5):
        earlier.staff.create(name=f"Ansatt {n}", role="", email=f"ansatt{n}@nav.no")
    interview = InterviewFactory(round=hiring_round)
    client.force_login(leader_a)

    response = client.post(
        reverse("panel_create", args=[hiring_round.pk]),
        {
            "interviews": [interview.pk],
            "seats_wanted": 2,
            "known_staff": [f"ansatt{n}@nav.no" for n in range(1, 5)],
            "staff-TOTAL_FORMS": 4,
            "staff-INITIAL_FORMS": 0,
            "staff-0-name": "Ny Ansatt",
            "staff-0-email": "ny@nav.no",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["known_staff"] == [
        "Et panel har høyst 4 ansatte intervjuere, avkrysset og skrevet inn til sammen; "
        "du valgte 5."
    ]
    assert "du valgte 5" in response.text
    assert Panel.objects.count() == 1
    assert not OutboxMessage.objects.filter(to="ny@nav.no").exists()


def test_four_staff_ticked_and_typed_together_make_a_panel(client, leader_a, office_a):
    hiring_round = OpenRoundFactory(office=office_a)
    earlier = panel_for(hiring_round)
    for n in range(1, 4):
        earlier.staff.create(name=f"Ansatt {n}", role="", email=f"ansatt{n}@nav.no")
    interview = InterviewFactory(round=hiring_round)
    client.force_login(leader_a)

    response = client.post(
        reverse("panel_create", args=[hiring_round.pk]),
        {
            "interviews": [interview.pk],
            "seats_wanted": 2,
            "known_staff": [f"ansatt{n}@nav.no" for n in range(1, 4)],
            "staff-TOTAL_FORMS": 4,
            "staff-INITIAL_FORMS": 0,
            "staff-0-name": "Ny Ansatt",
            "staff-0-email": "ny@nav.no",
        },
    )

    assert response.status_code == 302
    assert Panel.objects.exclude(pk=earlier.pk).get().staff.count() == 4


def test_the_service_refuses_a_fifth_staff_interviewer_whoever_calls_it(office_a):
    hiring_round = OpenRoundFactory(office=office_a)
    interview = InterviewFactory(round=hiring_round)
    staff = [{"name": f"Ansatt {n}", "role": "", "email": f"a{n}@nav.no"} for n in range(5)]

    with pytest.raises(ValidationError, match="at most 4 staff"):
        services.panel_create(hiring_round=hiring_round, interviews=[interview], staff=staff)

    assert not Panel.objects.exists()


def test_a_new_panel_starts_as_a_copy_of_an_earlier_one(client, leader_a, office_a):
    hiring_round = OpenRoundFactory(office=office_a)
    earlier = panel_for(hiring_round, seats_wanted=3)
    Panel.objects.filter(pk=earlier.pk).update(location="Møterom Saltfjellet")
    earlier.staff.create(name="Tone Tillitsvalgt", role="", email="tone@nav.no")
    client.force_login(leader_a)

    form = client.get(
        reverse("panel_create", args=[hiring_round.pk]), {"kopi": earlier.pk}
    ).context["form"]

    assert form["seats_wanted"].value() == 3
    assert form["location"].value() == "Møterom Saltfjellet"
    assert form["known_staff"].value() == ["tone@nav.no"]


def test_a_draft_round_invites_nobody(leader_a, office_a):
    panel = panel_for(HiringRoundFactory(office=office_a, state=RoundState.DRAFT))

    with pytest.raises(ValidationError, match="not open"):
        services.seat_invite(
            panel=panel, representative=PoolRepresentativeFactory(offices=[office_a]), by=leader_a
        )

    assert not panel.seats.exists()


def test_a_draft_rounds_panel_page_says_to_open_the_round_and_suggests_nobody(
    client, leader_a, office_a
):
    panel = panel_for(HiringRoundFactory(office=office_a, state=RoundState.DRAFT))
    PoolRepresentativeFactory(offices=[office_a])
    client.force_login(leader_a)

    response = client.get(reverse("panel_detail", args=[panel.pk]))

    assert 'data-testid="round-draft"' in response.text
    assert 'id="suggestions-heading"' not in response.text


def test_a_draft_round_is_deleted_with_its_panels_and_its_staff_told(client, leader_a, office_a):
    draft = HiringRoundFactory(office=office_a, state=RoundState.DRAFT)
    panel = panel_for(draft)
    panel.staff.create(name="Tone Tillitsvalgt", role="", email="tone@nav.no")
    client.force_login(leader_a)

    response = client.post(reverse("round_delete", args=[draft.pk]), follow=True)

    assert not HiringRound.objects.filter(pk=draft.pk).exists()
    assert not Panel.objects.filter(pk=panel.pk).exists()
    assert "ble slettet" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.ROUND_DELETED, actor=leader_a).exists()
    assert OutboxMessage.objects.filter(kind="staff_cancelled", to="tone@nav.no").exists()


def test_an_open_round_is_not_deleted(client, leader_a, office_a):
    hiring_round = OpenRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(reverse("round_delete", args=[hiring_round.pk]), follow=True)

    assert HiringRound.objects.filter(pk=hiring_round.pk).exists()
    assert "Bare et utkast kan slettes" in response.text


def test_leader_of_another_office_gets_404_deleting_a_draft(client, leader_b, office_a):
    draft = HiringRoundFactory(office=office_a, state=RoundState.DRAFT)
    client.force_login(leader_b)

    assert client.post(reverse("round_delete", args=[draft.pk])).status_code == 404
    assert HiringRound.objects.filter(pk=draft.pk).exists()
