"""Candidates: pasted one a line, all or none, and shown to the office's leaders only."""

import pytest
from django.urls import reverse

from interviews.enums import RoundState
from interviews.models import Candidate
from interviews.services import round_transition
from tests.factories import HiringRoundFactory
from tests.factories.rounds import CandidateFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def add_url(hiring_round) -> str:
    return reverse("candidates_add", args=[hiring_round.pk])


def test_leader_pastes_names_with_and_without_reference_and_they_are_added_in_order(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(
        add_url(hiring_round),
        {"names": "Kari Nordmann; 2024-117\n\n  Ola Hansen  \nAsha Ali;A-9\n"},
        headers=EN,
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("round_detail", args=[hiring_round.pk]) + "#candidates"
    assert list(hiring_round.candidates.order_by("id").values_list("name", "reference")) == [
        ("Kari Nordmann", "2024-117"),
        ("Ola Hansen", ""),
        ("Asha Ali", "A-9"),
    ]


def test_the_round_page_lists_the_candidates_and_announces_how_many_were_added(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(
        add_url(hiring_round), {"names": "Kari Nordmann\nOla Hansen"}, headers=EN, follow=True
    )

    assert "2 candidates were added." in response.text
    assert "Kari Nordmann" in response.text
    assert "Ola Hansen" in response.text


def test_a_line_without_a_name_is_refused_naming_the_line_and_nothing_is_added(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(
        add_url(hiring_round), {"names": "Kari Nordmann\n; 2024-118\nOla Hansen"}, headers=EN
    )

    assert response.status_code == 200
    assert response.context["candidates_form"].errors == {"names": ["Line 2: the name is missing."]}
    assert "Line 2: the name is missing." in response.text
    assert not Candidate.objects.exists()


def test_every_bad_line_is_named(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(add_url(hiring_round), {"names": f";x\nKari\n{'N' * 201}"}, headers=EN)

    assert response.context["candidates_form"].errors["names"] == [
        "Line 1: the name is missing.",
        "Line 3: the line is too long.",
    ]
    assert not Candidate.objects.exists()


def test_an_empty_paste_asks_for_a_name(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(add_url(hiring_round), {"names": "\n  \n"}, headers=EN)

    assert response.context["candidates_form"].errors == {"names": ["Paste at least one name."]}


def test_a_closed_round_takes_no_more_candidates(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    round_transition(hiring_round=hiring_round, to=RoundState.OPEN, by=leader_a)
    round_transition(hiring_round=hiring_round, to=RoundState.CLOSED, by=leader_a)
    client.force_login(leader_a)

    response = client.post(add_url(hiring_round), {"names": "Kari Nordmann"}, headers=EN)

    assert response.status_code == 200
    assert "The round is closed" in response.text
    assert not Candidate.objects.exists()


def test_leader_of_another_office_gets_404_when_adding_candidates(client, leader_b, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_b)

    response = client.post(add_url(hiring_round), {"names": "Kari Nordmann"})

    assert response.status_code == 404
    assert not Candidate.objects.exists()


def test_hr_gets_403_when_adding_candidates(client, hr, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(hr)

    response = client.post(add_url(hiring_round), {"names": "Kari Nordmann"})

    assert response.status_code == 403
    assert not Candidate.objects.exists()


def test_anonymous_user_adding_candidates_is_sent_to_sign_in(client, office_a):
    hiring_round = HiringRoundFactory(office=office_a)

    response = client.post(add_url(hiring_round), {"names": "Kari Nordmann"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Candidate.objects.exists()


def test_adding_candidates_answers_only_post(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.get(add_url(hiring_round))

    assert response.status_code == 405


def test_hr_reads_the_round_without_the_candidates_names(client, hr, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    CandidateFactory(round=hiring_round, name="Kari Nordmann")
    CandidateFactory(round=hiring_round, name="Ola Hansen")
    client.force_login(hr)

    response = client.get(reverse("round_detail", args=[hiring_round.pk]), headers=EN)

    assert response.status_code == 200
    assert "Kari Nordmann" not in response.text
    assert "The round has 2 candidates." in response.text
    assert reverse("candidates_add", args=[hiring_round.pk]) not in response.text


# No duplicates (issue 18, point 2) ----------------------------------------------------------


def test_pasting_the_same_candidates_twice_adds_nothing_the_second_time_naming_each_line(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)
    paste = {"names": "Kari Nordmann; 2024-117\nOla Hansen"}
    client.post(add_url(hiring_round), paste)

    response = client.post(add_url(hiring_round), paste, headers=EN)

    assert hiring_round.candidates.count() == 2
    errors = response.context["candidates_form"].errors["names"]
    assert errors == [
        "Line 1: Kari Nordmann; 2024-117 is already a candidate in this round.",
        "Line 2: Ola Hansen is already a candidate in this round.",
    ]
    assert "No candidates were added" in response.text


def test_a_name_pasted_twice_in_one_paste_is_refused_naming_both_lines(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(
        add_url(hiring_round), {"names": "Asha Ali\nOla Hansen\n  asha   ali "}, headers=EN
    )

    assert not hiring_round.candidates.exists()
    assert response.context["candidates_form"].errors["names"] == [
        "Line 3: asha   ali is also on line 1."
    ]


def test_the_same_name_with_another_reference_is_another_candidate(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    CandidateFactory(round=hiring_round, name="Kari Nordmann", reference="2024-117")
    client.force_login(leader_a)

    client.post(add_url(hiring_round), {"names": "Kari Nordmann; 2024-230"})

    assert hiring_round.candidates.filter(name="Kari Nordmann").count() == 2


def test_the_same_candidate_may_apply_in_another_round(client, leader_a, office_a):
    first = HiringRoundFactory(office=office_a)
    second = HiringRoundFactory(office=office_a)
    CandidateFactory(round=first, name="Kari Nordmann")
    client.force_login(leader_a)

    client.post(add_url(second), {"names": "Kari Nordmann"})

    assert second.candidates.filter(name="Kari Nordmann").exists()
