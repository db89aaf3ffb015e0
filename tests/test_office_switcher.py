"""The header's office switcher: a leader of several offices narrows the pages to one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from navpanel.cache_versions import caching_enabled
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


def test_switcher_marks_the_chosen_office_and_offers_all(client, hr, office_a, office_b):
    client.force_login(hr)
    client.post(reverse("office_choose"), {"office": office_b.pk, "next": "/"})

    page = client.get(reverse("dashboard")).text

    assert '<option value="">Alle kontorene mine</option>' in page
    assert f'<option value="{office_b.pk}" selected>NAV Hadeland</option>' in page
    assert f'<option value="{office_a.pk}">NAV Rana</option>' in page
    assert page.index("NAV Hadeland</option>") < page.index("NAV Rana</option>")


def test_switcher_shows_an_office_saved_since_the_last_page_at_once(client, hr, office_a, office_b):
    client.force_login(hr)
    client.get(reverse("dashboard"))
    office_b.name = "NAV Hadeland og Land"
    office_b.save()

    page = client.get(reverse("dashboard")).text

    assert f'<option value="{office_b.pk}">NAV Hadeland og Land</option>' in page


def test_switcher_reads_no_office_once_cached(client, hr, office_a, office_b):
    if not caching_enabled():
        pytest.skip("nothing is cached with the local-memory cache")
    client.force_login(hr)
    client.get(reverse("accessibility_statement"))

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accessibility_statement")).text

    assert 'id="office-switcher"' in page
    assert not [q for q in queries.captured_queries if '"interviews_office"' in q["sql"]]
