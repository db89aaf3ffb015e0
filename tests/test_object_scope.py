"""Every staff URL that names an object answers 404 to anyone outside that object's offices.

The URLs come from the resolver, so a new page that takes an id is covered at once, and one
with no sample object here makes the test fail until it gets one.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from panels import services
from tests.factories.panels import (
    InterviewFactory,
    OpenRoundFactory,
    PoolRepresentativeFactory,
    panel_for,
)

pytestmark = pytest.mark.django_db

# Apps whose URLs name no object of an office (or are not staff pages).
OUTSIDE = ("django.", "allauth.", "navpanel.health", "panels.public_views")


def _object_urls() -> list[tuple[str, tuple[str, ...]]]:
    found = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                module = pattern.callback.__module__
                keys = tuple(pattern.pattern.converters)
                if keys and not module.startswith(OUTSIDE):
                    found.append((pattern.name, keys))

    walk(get_resolver().url_patterns)
    return sorted(set(found))


OBJECT_URLS = _object_urls()


@pytest.fixture
def rana(office_a, leader_a):
    """One of each kind of object, all belonging to NAV Rana."""
    hiring_round = OpenRoundFactory(office=office_a)
    panel = panel_for(hiring_round)
    representative = PoolRepresentativeFactory(offices=[office_a])
    seat = services.seat_invite(panel=panel, representative=representative, by=leader_a)
    interview = InterviewFactory(
        round=hiring_round, starts_at=timezone.now() + timedelta(days=20, hours=1)
    )
    return {
        "round": hiring_round,
        "panel": panel,
        "representative": representative,
        "seat": seat,
        "interview": interview,
    }


def _kwargs(name: str, keys: tuple[str, ...], rana: dict) -> dict[str, object]:
    owner = {
        "interview_day": "round",
        "representative": "representative",
        "panel": "panel",
        "seat": "seat",
        "interview": "interview",
        "round": "round",
        "candidates": "round",
    }
    kind = next((kind for prefix, kind in owner.items() if name.startswith(prefix)), None)
    if name == "panel_create":
        kind = "round"
    assert kind is not None, f"the URL {name!r} names an object this test has no sample for"
    values = {"pk": rana[kind].pk, "round_pk": rana[kind].pk}
    values["day"] = timezone.localdate(rana["panel"].starts_at).isoformat()
    return {key: values[key] for key in keys}


def test_every_object_url_is_known_to_this_test(rana):
    for name, keys in OBJECT_URLS:
        _kwargs(name, keys, rana)

    assert len(OBJECT_URLS) >= 15


def _ask(client, url: str):
    """GET the URL, or POST it when it only takes POST (or only GET when it takes no POST)."""
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


@pytest.mark.parametrize(("name", "keys"), OBJECT_URLS)
def test_leader_of_another_office_gets_404(client, leader_b, rana, name, keys):
    client.force_login(leader_b)

    response = _ask(client, reverse(name, kwargs=_kwargs(name, keys, rana)))

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "keys"), OBJECT_URLS)
def test_hr_of_another_county_gets_404(client, hr_b, rana, name, keys):
    client.force_login(hr_b)

    response = _ask(client, reverse(name, kwargs=_kwargs(name, keys, rana)))

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "keys"), OBJECT_URLS)
def test_the_leader_of_the_office_is_not_refused(client, leader_a, rana, name, keys):
    client.force_login(leader_a)

    response = _ask(client, reverse(name, kwargs=_kwargs(name, keys, rana)))

    assert response.status_code not in (403, 404)
