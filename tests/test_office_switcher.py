"""The header's office switcher: a leader of several offices narrows the pages to one."""

import pytest
from django.urls import reverse

from tests.factories import HiringRoundFactory, OfficeRoleFactory

pytestmark = pytest.mark.django_db


def test_leader_of_two_offices_narrows_the_dashboard_to_one(client, leader_a, office_a, office_b):
    OfficeRoleFactory(user=leader_a, office=office_b)
    HiringRoundFactory(office=office_a, position_title="Runde i Rana", state="open")
    HiringRoundFactory(office=office_b, position_title="Runde på Hadeland", state="open")
    client.force_login(leader_a)
    both = client.get(reverse("dashboard")).text

    client.post(reverse("office_choose"), {"office": office_b.pk, "next": "/"})
    narrowed = client.get(reverse("dashboard")).text

    assert "Runde i Rana" in both and "Runde på Hadeland" in both
    assert "Runde på Hadeland" in narrowed
    assert "Runde i Rana" not in narrowed


def test_switcher_is_shown_only_to_users_with_several_offices(client, leader_a, office_b, hr):
    client.force_login(leader_a)
    single = client.get(reverse("dashboard")).text
    client.force_login(hr)

    several = client.get(reverse("dashboard")).text

    assert 'id="office-switcher"' not in single
    assert 'id="office-switcher"' in several


def test_switcher_refuses_an_address_outside_the_site_as_next(client, leader_a, office_a):
    client.force_login(leader_a)

    response = client.post(
        reverse("office_choose"), {"office": office_a.pk, "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("dashboard")
