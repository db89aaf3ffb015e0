"""Pages computed again by a worker right after a change (navpanel.warming): the leader's and
HR's next request after someone else's write finds its page in the cache, and it shows the
write; a broker that does not answer never fails the write."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation

from interviews.enums import RoleKind
from interviews.models import OfficeRole
from navpanel import warming
from navpanel.cache_versions import (
    LOOKUPS,
    caching_enabled,
    data_version_bump,
    office_scope,
    office_scopes,
    versioned_key,
)
from panels import links, services
from panels import warming as panels_warming
from panels.enums import SeatStatus
from panels.public.seat_page import seat_where
from panels.public.views.seat import seat_page_scopes
from panels.selectors import panel_cache_scopes
from rosters import views as rosters_views
from rosters.forms import RosterFilterForm
from rosters.selectors import filters_as_detail, roster_page_scopes
from rosters.views import PAGE_SIZE
from tests.factories.panels import OpenRoundFactory, PoolRepresentativeFactory, panel_for

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _warming_on(settings):
    if not caching_enabled():
        pytest.skip("nothing is cached with the local-memory cache")
    settings.PAGES_WARM = True


def _looked_up(name: str, result: str) -> float:
    return LOOKUPS.labels(name, result)._value.get()


def _until_cached(name: str, parts: tuple, scopes: list[str], seconds: float = 30) -> None:
    """Wait for the worker to store the entry the page will ask for."""
    key = versioned_key(name, parts, scopes)
    deadline = time.monotonic() + seconds
    while cache.get(key) is None:
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not compute {name} in {seconds} s")
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_after_a_representative_answers_the_leaders_next_pages_come_from_the_cache_and_show_it(
    celery_worker, client, leader_a, office_a
):
    panel = panel_for(OpenRoundFactory(office=office_a), seats_wanted=2)
    kari = PoolRepresentativeFactory(name="Kari Nordmann", offices=[office_a])
    client.force_login(leader_a)
    client.post(reverse("panel_invite", args=[panel.pk]), {"representative": [kari.pk]})
    seat = panel.seats.get()
    # Kari says yes on her link: another person's write, in another request.
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")

    seats_section = ("panel-seats-html", (panel.pk, True, True, False), panel_cache_scopes(panel))
    with translation.override("nb"):
        _until_cached(*seats_section)
        _until_cached("dashboard-rounds", ([office_a.pk],), office_scopes([office_a.pk]))
        accepted = str(SeatStatus.ACCEPTED.label)
    misses = _looked_up("panel-seats-html", "miss") + _looked_up("dashboard-rounds", "miss")
    hits = _looked_up("panel-seats-html", "hit")

    page = client.get(reverse("panel_detail", args=[panel.pk]))
    dashboard = client.get(reverse("dashboard"))

    assert page.status_code == dashboard.status_code == 200
    assert _looked_up("panel-seats-html", "miss") + _looked_up("dashboard-rounds", "miss") == misses
    assert _looked_up("panel-seats-html", "hit") == hits + 1
    seats = page.text[page.text.index('id="seats"') :]
    assert "Kari Nordmann" in seats
    assert f">{accepted}</span>" in seats


@pytest.mark.django_db(transaction=True)
def test_hr_statistics_and_filtered_roster_opened_lately_are_computed_again_after_a_leaders_write(
    celery_worker, client, hr, leader_a, office_a, office_b
):
    panel = panel_for(OpenRoundFactory(office=office_a), seats_wanted=2)
    kari = PoolRepresentativeFactory(name="Kari Nordmann", offices=[office_a])
    client.force_login(hr)
    query = f"county={office_a.county}&date_from={timezone.localdate():%Y-%m-%d}"
    assert client.get(reverse("roster") + "?" + query).status_code == 200
    assert client.get(reverse("statistics")).status_code == 200
    client.logout()

    client.force_login(leader_a)
    client.post(reverse("panel_invite", args=[panel.pk]), {"representative": [kari.pk]})
    client.logout()

    client.force_login(hr)
    form = RosterFilterForm(QueryDict(query), user=hr)
    assert form.is_valid()
    roster_parts = (form.office_ids, filters_as_detail(form.filters()), False, None, PAGE_SIZE)
    everywhere = sorted([office_a.pk, office_b.pk])
    year = timezone.localdate().year
    with translation.override("nb"):
        _until_cached(
            "roster-page", roster_parts, roster_page_scopes(form.filters(), form.office_ids)
        )
        _until_cached("statistics", (year, everywhere, True), office_scopes(everywhere))
    misses = _looked_up("roster-page", "miss") + _looked_up("statistics", "miss")

    roster = client.get(reverse("roster") + "?" + query)
    statistics = client.get(reverse("statistics"))

    assert roster.status_code == statistics.status_code == 200
    assert _looked_up("roster-page", "miss") + _looked_up("statistics", "miss") == misses
    assert "Kari Nordmann" in roster.text
    assert statistics.context["by_county"]


def test_hr_who_may_no_longer_see_the_roster_gets_nothing_computed_for_them(
    monkeypatch, client, hr, office_a
):
    client.force_login(hr)
    assert client.get(reverse("roster")).status_code == 200
    computed = []
    roster_page = rosters_views.roster_page

    def computing(user, **kwargs):
        computed.append(user.pk)
        return roster_page(user, **kwargs)

    monkeypatch.setattr(rosters_views, "roster_page", computing)
    warming.warm([office_scope(office_a.pk)])
    assert computed == [hr.pk]

    OfficeRole.objects.filter(user=hr, kind=RoleKind.HR).delete()
    warming.warm([office_scope(office_a.pk)])

    assert computed == [hr.pk]


@pytest.mark.django_db(transaction=True)
def test_a_write_succeeds_when_the_broker_does_not_answer_and_warming_pauses(
    monkeypatch, client, leader_a, office_a, caplog
):
    panel = panel_for(OpenRoundFactory(office=office_a), seats_wanted=2)
    kari = PoolRepresentativeFactory(name="Kari Nordmann", offices=[office_a])
    tries = []

    def broker_down(*args, **kwargs):
        tries.append(args)
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(warming.pages_warm, "apply_async", broker_down)
    monkeypatch.setattr(warming, "_paused_until", 0.0)
    client.force_login(leader_a)

    response = client.post(reverse("panel_invite", args=[panel.pk]), {"representative": [kari.pk]})
    data_version_bump([office_scope(office_a.pk)])

    assert response.status_code == 302
    assert panel.seats.get().status == SeatStatus.INVITED
    assert len(tries) == 1  # the second change found warming paused
    assert "could not queue warming" in caplog.text


class _Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def time(self) -> float:
        return self.now


def test_hr_views_are_remembered_newest_first_for_a_while_and_at_most_twenty(monkeypatch, hr):
    clock = _Clock()
    monkeypatch.setattr(warming, "time", clock)
    cache.delete(warming._recent_key("statistics"))
    for number in range(warming.RECENT_MAX + 5):
        warming.view_remember("statistics", user_id=hr.pk, query=f"office={number}")
        clock.now += 1

    found = warming.recent_views("statistics")

    assert [view.query for view in found][:2] == ["office=24", "office=23"]
    assert len(found) == warming.RECENT_MAX
    clock.now += timedelta(minutes=15).total_seconds()
    assert warming.recent_views("statistics") == []


@pytest.mark.django_db(transaction=True)
def test_an_invitation_page_is_waiting_when_its_person_first_opens_the_link(
    celery_worker, client, leader_a, office_a, django_assert_max_num_queries
):
    panel = panel_for(OpenRoundFactory(office=office_a), seats_wanted=2)
    kari = PoolRepresentativeFactory(name="Kari Nordmann", offices=[office_a])
    client.force_login(leader_a)
    client.post(reverse("panel_invite", args=[panel.pk]), {"representative": [kari.pk]})
    client.logout()
    seat = panel.seats.get()
    # Another write to the panel after the invitation: its page is rendered again after it.
    panel.location = "Møterom Polarsirkelen"
    panel.save()

    with translation.override(kari.language):
        _until_cached("seat-page", (seat.pk, ""), seat_page_scopes(seat_where(seat_id=seat.pk)))
    misses = _looked_up("seat-page", "miss")

    with django_assert_max_num_queries(1):  # where the seat belongs; nothing else is read
        page = client.get(reverse("seat_link", args=[links.seat_token(seat.pk)]))

    assert page.status_code == 200
    assert "Møterom Polarsirkelen" in page.text
    assert _looked_up("seat-page", "miss") == misses


@pytest.mark.django_db(transaction=True)
def test_invitation_pages_beyond_a_slice_are_rendered_by_tasks_queued_behind_it(
    celery_worker, client, leader_a, office_a, monkeypatch
):
    monkeypatch.setattr(panels_warming, "INVITATIONS_BUDGET_SECONDS", 0.0)  # one page a slice
    panel = panel_for(OpenRoundFactory(office=office_a), seats_wanted=3)
    people = [PoolRepresentativeFactory(name=f"Person {n}", offices=[office_a]) for n in range(3)]
    client.force_login(leader_a)
    client.post(
        reverse("panel_invite", args=[panel.pk]), {"representative": [p.pk for p in people]}
    )

    for seat in panel.seats.select_related("representative"):
        with translation.override(seat.representative.language):
            scopes = seat_page_scopes(seat_where(seat_id=seat.pk))
            _until_cached("seat-page", (seat.pk, ""), scopes)
