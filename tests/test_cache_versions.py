"""Caching by data versions: never stale, one office's write leaves the others warm, one
computation per entry, and what a rolled-back transaction computed is never served."""

import threading
import time

import pytest
from django.apps import apps
from django.db import connection, transaction

from interviews.enums import County
from navpanel.cache_versions import (
    EVERY_PAGE,
    NATIONAL,
    OFFICE_PATHS,
    PANEL_AND_PERSON_PATHS,
    WATCHED_APPS,
    cached,
    caching_enabled,
    county_scope,
    data_version_bump,
    office_scopes,
    panel_scope,
    representative_scope,
)
from panels.enums import SeatStatus
from tests.factories import HiringRoundFactory, OfficeFactory, RepresentativeFactory
from tests.factories.panels import InterviewFactory, SeatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shared_cache():
    if not caching_enabled():
        pytest.skip("nothing is cached with the local-memory cache")


def _counter():
    """A computation that returns how many times it has run."""
    calls: list[int] = []

    def compute() -> tuple[int, None]:
        calls.append(1)
        return len(calls), None

    return compute


def test_an_entry_is_computed_once_between_changes():
    compute = _counter()

    first = cached("probe-hit", ("a",), compute)
    second = cached("probe-hit", ("a",), compute)
    data_version_bump()
    third = cached("probe-hit", ("a",), compute)

    assert (first, second, third) == (1, 1, 2)


def test_what_a_rolled_back_transaction_computed_is_not_served_afterwards():
    compute = _counter()

    with pytest.raises(RuntimeError), transaction.atomic():
        data_version_bump()
        assert cached("probe-rollback", ("a",), compute) == 1
        raise RuntimeError("rolled back")
    after = cached("probe-rollback", ("a",), compute)

    assert after == 2


def test_a_write_in_one_office_leaves_another_offices_entries_warm(office_a, office_b):
    rana, hadeland, country = _counter(), _counter(), _counter()

    def ask() -> tuple[int, int, int]:
        return (
            cached("probe-office", ("rana",), rana, scopes=office_scopes([office_a.pk])),
            cached("probe-office", ("hadeland",), hadeland, scopes=office_scopes([office_b.pk])),
            cached("probe-office", ("country",), country, scopes=[NATIONAL]),
        )

    before = ask()
    HiringRoundFactory(office=office_a)

    assert before == (1, 1, 1)
    assert ask() == (2, 1, 2)


def test_a_write_bumps_its_county_and_not_the_others(office_a, office_b):
    nordland, innlandet = _counter(), _counter()

    def ask() -> tuple[int, int]:
        return (
            cached("probe-county", (), nordland, scopes=[county_scope(County.NORDLAND)]),
            cached("probe-county", (), innlandet, scopes=[county_scope(County.INNLANDET)]),
        )

    ask()
    HiringRoundFactory(office=office_a)

    assert ask() == (2, 1)


def test_a_seat_bumps_every_office_of_its_representative(office_a, office_b):
    # Hadeland's suggestions must drop a representative of both pools booked in Rana.
    representative = RepresentativeFactory()
    representative.offices.set([office_a, office_b])
    hadeland = _counter()
    cached("probe-seat", (), hadeland, scopes=office_scopes([office_b.pk]))

    SeatFactory(panel__round=HiringRoundFactory(office=office_a), representative=representative)

    assert cached("probe-seat", (), hadeland, scopes=office_scopes([office_b.pk])) == 2


def test_a_page_over_many_offices_is_kept_by_the_national_version():
    offices = [OfficeFactory() for _ in range(25)]
    many = _counter()
    scopes = office_scopes(office.pk for office in offices)
    cached("probe-many", (), many, scopes=scopes)

    HiringRoundFactory(office=OfficeFactory())

    assert scopes == [NATIONAL]
    assert cached("probe-many", (), many, scopes=scopes) == 2


def test_a_transaction_publishes_its_writes_once_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        office = OfficeFactory(name="NAV Rana")
        office.name = "NAV Rana sentrum"
        office.save()
        HiringRoundFactory(office=office)

    assert len(callbacks) == 1


def test_many_asking_for_a_missing_entry_compute_it_once():
    calls: list[int] = []

    def slow() -> tuple[str, None]:
        calls.append(1)
        time.sleep(0.3)
        return "report", None

    answers: list[str] = []

    def ask() -> None:
        try:
            answers.append(cached("probe-flight", (), slow))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == ["report"] * 4
    assert len(calls) == 1


def test_every_watched_model_is_placed_in_offices_or_on_every_page():
    # A model in neither would bump every page's version on each save: never stale, but every
    # cached page in the country cold again.
    models = {
        model._meta.label_lower
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models()
    }

    assert models - set(OFFICE_PATHS) - EVERY_PAGE == set()


def test_every_model_of_an_office_says_which_panels_and_people_it_is_about():
    # A model left out would change a seat page without bumping its panel's or person's version.
    assert set(PANEL_AND_PERSON_PATHS) == set(OFFICE_PATHS)


def test_a_seat_bumps_its_panel_and_its_person_and_no_other_panel_of_the_office(office_a):
    rana = HiringRoundFactory(office=office_a)
    seat = SeatFactory(panel__round=rana)
    other = SeatFactory(panel__round=rana)
    mine, theirs = _counter(), _counter()
    scopes = [panel_scope(seat.panel_id), representative_scope(seat.representative_id)]
    cached("probe-panel", (), mine, scopes=scopes)
    cached("probe-panel", ("other",), theirs, scopes=[panel_scope(other.panel_id)])

    seat.status = SeatStatus.DECLINED
    seat.save()

    assert cached("probe-panel", (), mine, scopes=scopes) == 2
    assert cached("probe-panel", ("other",), theirs, scopes=[panel_scope(other.panel_id)]) == 1


def test_an_interview_added_to_a_panel_from_either_side_bumps_the_panel(office_a):
    seat = SeatFactory(panel__round=HiringRoundFactory(office=office_a))
    panel = seat.panel
    probe = _counter()
    scopes = [panel_scope(panel.pk)]
    cached("probe-interviews", (), probe, scopes=scopes)
    interview = InterviewFactory(round=panel.round)
    cached("probe-interviews", (), probe, scopes=scopes)  # the new interview is no panel's yet

    interview.panels.add(panel)

    assert cached("probe-interviews", (), probe, scopes=scopes) == 2
