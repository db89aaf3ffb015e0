"""Hiring rounds: creation, state changes recorded, and rules the database enforces."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from interviews.enums import RoundState
from interviews.models import HiringRound, RoundTransition
from interviews.services import round_transition
from tests.factories import HiringRoundFactory

pytestmark = pytest.mark.django_db


def test_leader_creates_a_draft_round_and_the_creation_is_recorded(client, leader_a, office_a):
    client.force_login(leader_a)

    response = client.post(
        reverse("round_create"),
        {
            "office": office_a.pk,
            "position_title": "Erfaringskonsulent",
            "team": "Oppfølging",
            "seats_per_panel": 3,
            "answer_deadline_days": 7,
        },
    )

    hiring_round = HiringRound.objects.get()
    assert response.status_code == 302
    assert (hiring_round.office, hiring_round.state, hiring_round.seats_per_panel) == (
        office_a,
        RoundState.DRAFT,
        3,
    )
    assert list(hiring_round.transitions.values_list("to_state", "by")) == [("draft", leader_a.pk)]


def test_round_form_refuses_zero_seats_with_a_message_by_the_field(client, leader_a, office_a):
    client.force_login(leader_a)

    response = client.post(
        reverse("round_create"),
        {
            "office": office_a.pk,
            "position_title": "Veileder",
            "seats_per_panel": 0,
            "answer_deadline_days": 5,
        },
    )

    assert response.status_code == 200
    assert not HiringRound.objects.exists()
    assert "aksel-error-message" in response.text


def test_opening_then_closing_records_each_change_with_who_and_when(leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)

    round_transition(hiring_round=hiring_round, to=RoundState.OPEN, by=leader_a)
    closed = round_transition(hiring_round=hiring_round, to=RoundState.CLOSED, by=leader_a)

    assert closed.state == RoundState.CLOSED
    assert closed.closed_at is not None
    assert list(
        RoundTransition.objects.filter(round=hiring_round).values_list("from_state", "to_state")
    ) == [("draft", "open"), ("open", "closed")]


def test_a_closed_round_cannot_be_reopened(leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    round_transition(hiring_round=hiring_round, to=RoundState.OPEN, by=leader_a)
    round_transition(hiring_round=hiring_round, to=RoundState.CLOSED, by=leader_a)

    with pytest.raises(ValidationError):
        round_transition(hiring_round=hiring_round, to=RoundState.OPEN, by=leader_a)

    assert RoundTransition.objects.filter(round=hiring_round).count() == 2


def test_leader_sees_a_message_when_the_state_change_is_not_allowed(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(
        reverse("round_change_state", args=[hiring_round.pk]), {"to": "closed"}, follow=True
    )

    assert "ikke mulig" in response.text
    hiring_round.refresh_from_db()
    assert hiring_round.state == RoundState.DRAFT


def test_database_refuses_a_round_with_zero_seats(office_a):
    with pytest.raises(IntegrityError):
        HiringRound.objects.create(office=office_a, position_title="X", seats_per_panel=0)


@pytest.fixture
def rounds_in_every_state(leader_a, office_a) -> None:
    HiringRoundFactory(office=office_a, position_title="Utkast-runden")
    opened = HiringRoundFactory(office=office_a, position_title="Åpen runde")
    round_transition(hiring_round=opened, to=RoundState.OPEN, by=leader_a)
    closed = HiringRoundFactory(office=office_a, position_title="Lukket runde")
    round_transition(hiring_round=closed, to=RoundState.OPEN, by=leader_a)
    round_transition(hiring_round=closed, to=RoundState.CLOSED, by=leader_a)


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        ("draft", ["Utkast-runden"]),
        ("open", ["Åpen runde"]),
        ("closed", ["Lukket runde"]),
        ("", ["Lukket runde", "Åpen runde", "Utkast-runden"]),
        ("nonsense", ["Lukket runde", "Åpen runde", "Utkast-runden"]),
    ],
)
def test_round_list_filters_by_state(client, leader_a, rounds_in_every_state, state, shown):
    client.force_login(leader_a)

    response = client.get(reverse("round_list"), {"state": state})

    assert response.status_code == 200
    assert [r.position_title for r in response.context["rounds"]] == shown


def test_round_list_filter_keeps_the_chosen_state_selected(client, leader_a, office_a):
    client.force_login(leader_a)

    response = client.get(
        reverse("round_list"), {"state": "open"}, headers={"accept-language": "en"}
    )

    assert '<option value="open" selected' in response.text
    assert "No hiring rounds in that state." in response.text


def test_round_list_filter_never_shows_another_offices_rounds(client, leader_a, office_b):
    HiringRoundFactory(office=office_b, position_title="Hadeland-runden")
    client.force_login(leader_a)

    response = client.get(reverse("round_list"), {"state": "draft"})

    assert list(response.context["rounds"]) == []


@pytest.mark.parametrize("count", [1, 3])
def test_round_list_makes_the_same_number_of_queries_for_one_or_three_rounds(
    client, leader_a, office_a, django_assert_num_queries, count
):
    for _ in range(count):
        HiringRoundFactory(office=office_a)
    client.force_login(leader_a)
    client.get(reverse("round_list"))

    with django_assert_num_queries(3):
        client.get(reverse("round_list"), {"state": "draft"})
