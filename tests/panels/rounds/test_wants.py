"""Wanted backgrounds: chosen with the round, saved with it in one transaction, shown on it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interviews.models import HiringRound
from panels.models import BackgroundWant
from panels.rounds.services import round_create, round_update
from tests.factories import BackgroundFactory, HiringRoundFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


@pytest.fixture
def substance_use(db):
    return BackgroundFactory(
        slug="substance_use", name="Rus og rusbehandling", name_en="Substance use", order=1
    )


@pytest.fixture
def young_adult(db):
    return BackgroundFactory(
        slug="young_adult", name="Ung voksen (18–29)", name_en="Young adult (18–29)", order=2
    )


def round_data(office, **changes) -> dict[str, object]:
    return {
        "office": office.pk,
        "position_title": "Veileder, Team Voksen",
        "seats_per_panel": 2,
        "answer_deadline_days": 5,
        **changes,
    }


def wants_of(hiring_round) -> dict[str, int]:
    return dict(hiring_round.wants.values_list("background__slug", "at_least"))


def test_the_round_form_has_a_number_field_for_every_background(
    client, leader_a, office_a, substance_use, young_adult
):
    client.force_login(leader_a)

    response = client.get(reverse("round_create"), headers=EN)

    form = response.context["form"]
    assert [f.label for f in form.want_fields()] == ["Substance use", "Young adult (18–29)"]
    assert [f.value() for f in form.want_fields()] == [0, 0]
    assert "Wanted backgrounds" in response.text


def test_leader_creates_a_round_with_a_wanted_background(
    client, leader_a, office_a, substance_use, young_adult
):
    client.force_login(leader_a)

    response = client.post(
        reverse("round_create"),
        round_data(office_a, **{f"want_{substance_use.pk}": 1, f"want_{young_adult.pk}": 0}),
    )

    hiring_round = HiringRound.objects.get()
    assert response.status_code == 302
    assert wants_of(hiring_round) == {"substance_use": 1}


def test_an_empty_want_field_means_not_wanted(client, leader_a, office_a, substance_use):
    client.force_login(leader_a)

    client.post(reverse("round_create"), round_data(office_a, **{f"want_{substance_use.pk}": ""}))

    assert wants_of(HiringRound.objects.get()) == {}


def test_the_round_page_shows_the_wanted_backgrounds(client, leader_a, office_a, substance_use):
    hiring_round = round_create(
        office=office_a, by=leader_a, wants={substance_use: 1}, position_title="Veileder"
    )
    client.force_login(leader_a)

    response = client.get(reverse("round_detail", args=[hiring_round.pk]), headers=EN)

    assert "At least 1 with Substance use" in response.text


def test_a_want_above_the_seats_per_panel_is_refused_next_to_the_field_and_nothing_is_saved(
    client, leader_a, office_a, substance_use
):
    client.force_login(leader_a)

    response = client.post(
        reverse("round_create"),
        round_data(office_a, seats_per_panel=2, **{f"want_{substance_use.pk}": 3}),
        headers=EN,
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"want_{substance_use.pk}": ["Between 0 and 2, the seats per panel."]
    }
    assert "aksel-error-message" in response.text
    assert not HiringRound.objects.exists()
    assert not BackgroundWant.objects.exists()


def test_a_negative_want_is_refused(client, leader_a, office_a, substance_use):
    client.force_login(leader_a)

    response = client.post(
        reverse("round_create"), round_data(office_a, **{f"want_{substance_use.pk}": -1})
    )

    assert f"want_{substance_use.pk}" in response.context["form"].errors
    assert not HiringRound.objects.exists()


def test_the_edit_form_starts_from_the_rounds_wants(client, leader_a, office_a, substance_use):
    hiring_round = round_create(
        office=office_a, by=leader_a, wants={substance_use: 2}, position_title="Veileder"
    )
    client.force_login(leader_a)

    response = client.get(reverse("round_edit", args=[hiring_round.pk]), headers=EN)

    assert response.context["form"][f"want_{substance_use.pk}"].value() == 2
    assert "office" not in response.context["form"].fields


def test_editing_changes_adds_and_removes_wants_together_with_the_round(
    client, leader_a, office_a, substance_use, young_adult
):
    hiring_round = round_create(
        office=office_a, by=leader_a, wants={substance_use: 1}, position_title="Veileder"
    )
    client.force_login(leader_a)

    response = client.post(
        reverse("round_edit", args=[hiring_round.pk]),
        {
            "position_title": "Erfaringskonsulent",
            "seats_per_panel": 3,
            "answer_deadline_days": 5,
            f"want_{substance_use.pk}": 0,
            f"want_{young_adult.pk}": 3,
        },
    )

    hiring_round.refresh_from_db()
    assert response.status_code == 302
    assert (hiring_round.position_title, hiring_round.seats_per_panel) == ("Erfaringskonsulent", 3)
    assert wants_of(hiring_round) == {"young_adult": 3}


def test_a_refused_edit_changes_neither_the_round_nor_its_wants(
    client, leader_a, office_a, substance_use
):
    hiring_round = round_create(
        office=office_a, by=leader_a, wants={substance_use: 1}, position_title="Veileder"
    )
    client.force_login(leader_a)

    response = client.post(
        reverse("round_edit", args=[hiring_round.pk]),
        {
            "position_title": "Endret",
            "seats_per_panel": 1,
            "answer_deadline_days": 5,
            f"want_{substance_use.pk}": 2,
        },
    )

    hiring_round.refresh_from_db()
    assert response.status_code == 200
    assert hiring_round.position_title == "Veileder"
    assert wants_of(hiring_round) == {"substance_use": 1}


def test_leader_of_another_office_gets_404_when_editing_wants(
    client, leader_b, office_a, substance_use
):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_b)

    response = client.post(
        reverse("round_edit", args=[hiring_round.pk]),
        {
            "position_title": "X",
            "seats_per_panel": 2,
            "answer_deadline_days": 5,
            f"want_{substance_use.pk}": 1,
        },
    )

    assert response.status_code == 404
    assert not BackgroundWant.objects.exists()


def test_hr_gets_403_when_editing_wants(client, hr, office_a, substance_use):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(hr)

    response = client.post(
        reverse("round_edit", args=[hiring_round.pk]),
        {
            "position_title": "X",
            "seats_per_panel": 2,
            "answer_deadline_days": 5,
            f"want_{substance_use.pk}": 1,
        },
    )

    assert response.status_code == 403
    assert not BackgroundWant.objects.exists()


def test_anonymous_user_on_the_round_form_is_sent_to_sign_in(client, office_a):
    hiring_round = HiringRoundFactory(office=office_a)

    for url in (reverse("round_create"), reverse("round_edit", args=[hiring_round.pk])):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_round_update_refuses_fewer_seats_than_a_kept_want_asks_for(
    leader_a, office_a, substance_use
):
    hiring_round = round_create(
        office=office_a,
        by=leader_a,
        wants={substance_use: 2},
        position_title="Veileder",
        seats_per_panel=2,
    )

    with pytest.raises(ValidationError) as refused:
        round_update(hiring_round=hiring_round, seats_per_panel=1)

    assert refused.value.message_dict == {
        f"want_{substance_use.pk}": ["Between 0 and 1, the seats per panel."]
    }
    hiring_round.refresh_from_db()
    assert hiring_round.seats_per_panel == 2


def test_round_create_with_a_want_above_the_seats_writes_nothing(leader_a, office_a, substance_use):
    with pytest.raises(ValidationError):
        round_create(
            office=office_a,
            by=leader_a,
            wants={substance_use: 4},
            position_title="Veileder",
            seats_per_panel=3,
        )

    assert not HiringRound.objects.exists()
    assert not BackgroundWant.objects.exists()
