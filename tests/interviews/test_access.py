"""Scoping: a leader sees their own offices only; HR reads in scope and changes nothing."""

import pytest
from django.urls import reverse

from interviews.enums import RoundState
from interviews.models import HiringRound
from interviews.selectors import offices_for_user, offices_led_by
from tests.factories import HiringRoundFactory

pytestmark = pytest.mark.django_db


def test_leader_sees_only_the_offices_they_lead(leader_a, office_a, office_b):
    assert list(offices_for_user(leader_a)) == [office_a]
    assert list(offices_led_by(leader_a)) == [office_a]


def test_hr_with_national_scope_sees_every_office_and_leads_none(hr, office_a, office_b):
    assert set(offices_for_user(hr)) == {office_a, office_b}
    assert list(offices_led_by(hr)) == []


def test_hr_with_county_scope_sees_only_that_countys_offices(hr_b, office_a, office_b):
    assert list(offices_for_user(hr_b)) == [office_b]


@pytest.mark.parametrize("name", ["round_detail", "round_edit"])
def test_leader_of_other_office_gets_404_on_round_pages(client, leader_a, office_b, name):
    hadeland_round = HiringRoundFactory(office=office_b)
    client.force_login(leader_a)

    response = client.get(reverse(name, args=[hadeland_round.pk]))

    assert response.status_code == 404


def test_leader_of_other_office_gets_404_when_changing_round_state(client, leader_a, office_b):
    hadeland_round = HiringRoundFactory(office=office_b)
    client.force_login(leader_a)

    response = client.post(reverse("round_change_state", args=[hadeland_round.pk]), {"to": "open"})

    assert response.status_code == 404
    hadeland_round.refresh_from_db()
    assert hadeland_round.state == RoundState.DRAFT


def test_guessed_round_id_that_does_not_exist_gets_404(client, leader_a):
    client.force_login(leader_a)

    response = client.get(reverse("round_detail", args=[987654]))

    assert response.status_code == 404


def test_hr_reads_a_round_in_scope_without_change_buttons(client, hr, office_a):
    hiring_round = HiringRoundFactory(office=office_a, position_title="Erfaringskonsulent")
    client.force_login(hr)

    response = client.get(reverse("round_detail", args=[hiring_round.pk]))

    assert response.status_code == 200
    assert "Erfaringskonsulent" in response.text
    assert reverse("round_edit", args=[hiring_round.pk]) not in response.text


def test_hr_cannot_change_a_round_state(client, hr, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(hr)

    response = client.post(reverse("round_change_state", args=[hiring_round.pk]), {"to": "open"})

    assert response.status_code == 403
    hiring_round.refresh_from_db()
    assert hiring_round.state == RoundState.DRAFT


def test_hr_cannot_edit_a_round(client, hr, office_a):
    hiring_round = HiringRoundFactory(office=office_a, position_title="Veileder")
    client.force_login(hr)

    response = client.post(
        reverse("round_edit", args=[hiring_round.pk]),
        {"position_title": "Endret av HR", "seats_per_panel": 2, "answer_deadline_days": 5},
    )

    assert response.status_code == 403
    hiring_round.refresh_from_db()
    assert hiring_round.position_title == "Veileder"


def test_hr_cannot_create_a_round(client, hr, office_a):
    client.force_login(hr)

    response = client.post(
        reverse("round_create"),
        {
            "office": office_a.pk,
            "position_title": "Veileder",
            "seats_per_panel": 2,
            "answer_deadline_days": 5,
        },
    )

    assert response.status_code == 403
    assert not HiringRound.objects.exists()


def test_leader_cannot_create_a_round_for_another_office(client, leader_a, office_b):
    client.force_login(leader_a)

    response = client.post(
        reverse("round_create"),
        {
            "office": office_b.pk,
            "position_title": "Veileder",
            "seats_per_panel": 2,
            "answer_deadline_days": 5,
        },
    )

    assert response.status_code == 200
    assert "office" in response.context["form"].errors
    assert not HiringRound.objects.exists()


def test_round_list_shows_only_rounds_of_own_office(client, leader_a, office_a, office_b):
    HiringRoundFactory(office=office_a, position_title="Rana-runden")
    HiringRoundFactory(office=office_b, position_title="Hadeland-runden")
    client.force_login(leader_a)

    response = client.get(reverse("round_list"))

    assert "Rana-runden" in response.text
    assert "Hadeland-runden" not in response.text


def test_choosing_another_offices_id_in_the_switcher_gets_404(client, leader_a, office_b):
    client.force_login(leader_a)

    response = client.post(reverse("office_choose"), {"office": office_b.pk})

    assert response.status_code == 404
    assert "office_id" not in client.session


def test_anonymous_user_is_sent_to_sign_in(client, office_a):
    hiring_round = HiringRoundFactory(office=office_a)

    response = client.get(reverse("round_detail", args=[hiring_round.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
