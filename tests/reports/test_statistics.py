"""Statistics: small counts suppressed and not recoverable from the totals; no candidates."""

import random
import time
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from panels.enums import SeatStatus
from reports.statistics import gini, office_statistics, top_share
from reports.suppression import suppress
from tests.factories.panels import (
    CandidateFactory,
    InterviewFactory,
    OpenRoundFactory,
    PoolRepresentativeFactory,
)
from tests.factories.reports import past_seat, previous_quarter
from tests.factories.rounds import local

INFINITY = 10**9


def _shown(table) -> tuple[list[list[str]], list[str] | None, list[str] | None, str | None]:
    """What a reader of the page sees: the strings in the cells and the totals."""
    return (
        [[entry.shown for entry in row] for row in table.cells],
        [entry.shown for entry in table.row_totals] if table.row_totals else None,
        [entry.shown for entry in table.column_totals] if table.column_totals else None,
        table.grand_total.shown if table.grand_total else None,
    )


def recover(cells, row_totals, column_totals, grand_total) -> dict[tuple, tuple[int, int]]:
    """An attacker: from the shown table alone, narrow every hidden cell with the row and
    column sums ("<5" is 0–4, "×" at least 5). Returns (low, high) per hidden cell."""

    def bound(text: str) -> tuple[int, int]:
        if text == "<5":
            return (0, 4)
        if text == "×":
            return (5, INFINITY)
        return (int(text), int(text))

    bounds = {}
    lines = []
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            bounds[("cell", r, c)] = bound(text)
    if row_totals:
        for r, text in enumerate(row_totals):
            bounds[("row", r)] = bound(text)
            lines.append(([("cell", r, c) for c in range(len(cells[r]))], ("row", r)))
    if column_totals:
        for c, text in enumerate(column_totals):
            bounds[("column", c)] = bound(text)
            lines.append(([("cell", r, c) for r in range(len(cells))], ("column", c)))
    if grand_total is not None:
        bounds["grand"] = bound(grand_total)
        lines.append(([("column", c) for c in range(len(column_totals))], "grand"))
        lines.append(([("row", r) for r in range(len(row_totals))], "grand"))
    for _ in range(200):
        changed = False
        for parts, total in lines:
            # The sums over the line at its start; each key subtracts its own bounds from them
            # (a line of a national table has a thousand parts).
            low_sum = sum(bounds[p][0] for p in parts)
            high_sum = sum(bounds[p][1] for p in parts)
            for key in [*parts, total]:
                if key == total:
                    low, high = low_sum, high_sum
                else:
                    low = bounds[total][0] - (high_sum - bounds[key][1])
                    high = bounds[total][1] - (low_sum - bounds[key][0])
                new = (max(bounds[key][0], low), min(bounds[key][1], high))
                if new != bounds[key]:
                    bounds[key] = new
                    changed = True
        if not changed:
            break
    return bounds


def _small_cells_pinned(table) -> list[tuple]:
    cells, row_totals, column_totals, grand = _shown(table)
    bounds = recover(cells, row_totals, column_totals, grand)
    return [
        key
        for key, (low, high) in bounds.items()
        if low == high and _text_at(cells, row_totals, column_totals, grand, key) == "<5"
    ]


def _text_at(cells, row_totals, column_totals, grand, key) -> str:
    if key == "grand":
        return grand
    if key[0] == "cell":
        return cells[key[1]][key[2]]
    return (row_totals if key[0] == "row" else column_totals)[key[1]]


def test_a_count_under_five_shows_less_than_five():
    table = suppress([[3, 12], [8, 9]], row_totals=True, column_totals=True)

    assert table.cells[0][0].shown == "<5"
    assert table.column_totals[0].shown == "11" or table.column_totals[0].shown == "×"


def test_naive_suppression_would_let_the_attacker_recover_the_cell():
    # Only the small cell hidden, totals shown: 25 - 10 - 12 = 3. The attacker works.
    cells = [["10", "<5", "12"], ["8", "9", "20"]]
    bounds = recover(cells, ["25", "37"], ["18", "12", "32"], "62")

    assert bounds[("cell", 0, 1)] == (3, 3)


def test_the_attacker_cannot_recover_a_suppressed_cell_from_the_totals():
    table = suppress([[10, 3, 12], [8, 9, 20]], row_totals=True, column_totals=True)
    cells, row_totals, column_totals, grand = _shown(table)

    bounds = recover(cells, row_totals, column_totals, grand)

    assert cells[0][1] == "<5"
    low, high = bounds[("cell", 0, 1)]
    assert low < high
    # Totals are the true sums wherever they are shown.
    assert grand in ("62", "×")


@pytest.mark.parametrize("seed", range(60))
def test_no_suppressed_cell_of_a_random_table_can_be_recovered(seed):
    rng = random.Random(seed)
    rows, columns = rng.randint(1, 5), rng.randint(1, 5)
    values = [
        [rng.choice([0, 1, 2, 3, 4, rng.randint(5, 40)]) for _ in range(columns)]
        for _ in range(rows)
    ]
    both = rng.random() < 0.6

    table = suppress(values, row_totals=both, column_totals=True)

    assert _small_cells_pinned(table) == []
    for row, shown in zip(values, table.cells, strict=True):
        for value, entry in zip(row, shown, strict=True):
            assert entry.shown in ("<5", "×", str(value))
            assert (entry.shown == "<5") == (value < 5)


def test_national_statistics_at_250_offices_suppress_small_counts_in_seconds():
    # 250 offices × 4 quarters by 10 backgrounds, most counts small, as HR's national table;
    # and the spread table (250 offices × 4 buckets, with row, column and grand totals).
    rng = random.Random(250)
    backgrounds = [
        [rng.choice([0, 0, 1, 2, 3, 4, rng.randint(5, 30)]) for _ in range(10)]
        for _ in range(250 * 4)
    ]
    spread = [[rng.randint(0, 12) for _ in range(4)] for _ in range(250)]

    started = time.perf_counter()
    background_table = suppress(backgrounds, row_totals=False, column_totals=True)
    spread_table = suppress(spread, row_totals=True, column_totals=True)
    seconds = time.perf_counter() - started

    # It took more than 60 s before the attacker ran once per round of hiding, not per cell.
    assert seconds < 5
    assert _small_cells_pinned(background_table) == []
    assert _small_cells_pinned(spread_table) == []
    for values, table in ((backgrounds, background_table), (spread, spread_table)):
        for row, shown in zip(values, table.cells, strict=True):
            for value, entry in zip(row, shown, strict=True):
                assert (entry.shown == "<5") == (value < 5)


def test_a_single_small_cell_alone_in_its_column_hides_the_total_too():
    table = suppress([[2, 40]], row_totals=False, column_totals=True)

    assert [e.shown for e in table.column_totals] == ["<5", "40"]


def test_gini_and_top_share():
    assert gini([2, 2, 2, 2]) == 0
    assert gini([0, 0, 0, 8]) == pytest.approx(0.75)
    assert top_share([0] * 9 + [10]) == 1
    assert top_share([1] * 10) == pytest.approx(0.1)


@pytest.fixture
def year_of_seats(db, office_a, office_b, settings):
    """Rana: six attended seats with mental health in one quarter, two in the next; one
    interview per panel with a named candidate."""
    from django.utils import timezone

    from tests.factories import BackgroundFactory

    BackgroundFactory(slug="mental_health", name="Psykisk helse", name_en="Mental health")
    year, quarter, first, _last = previous_quarter(timezone.localdate())
    if quarter == 1:
        pytest.skip("needs two quarters of the same year before today")
    people = [PoolRepresentativeFactory(offices=[office_a]) for _ in range(6)]
    seats = []
    for index, person in enumerate(people):
        day = first + timedelta(days=2 + index)
        seats.append(
            past_seat(
                office=office_a, representative=person, day=day, backgrounds=["mental_health"]
            )
        )
    for index, person in enumerate(people[:2]):
        day = first - timedelta(days=20 + index)
        seats.append(
            past_seat(
                office=office_a, representative=person, day=day, backgrounds=["mental_health"]
            )
        )
    for seat in seats:
        candidate = CandidateFactory(round=seat.panel.round, name="Kandidat Hemmeligsen")
        interview = InterviewFactory(
            round=seat.panel.round,
            candidate=candidate,
            starts_at=seat.starts_at,
            ends_at=seat.starts_at + timedelta(hours=1),
        )
        seat.panel.interviews.add(interview)
    InterviewFactory(
        round=seats[0].panel.round,
        candidate=None,
        starts_at=local(first + timedelta(days=30), "09:00"),
        ends_at=local(first + timedelta(days=30), "10:00"),
    )
    return {"year": year, "quarter": quarter}


def test_seats_by_background_are_counted_and_small_ones_suppressed(hr, office_a, year_of_seats):
    report = office_statistics(user=hr, year=year_of_seats["year"])

    rows = [row.label for row in report.backgrounds.rows]
    shown = [[e.shown for e in cells] for cells in report.backgrounds.table.cells]
    quarter = year_of_seats["quarter"]
    assert rows == [f"NAV Rana, Q{quarter - 1}", f"NAV Rana, Q{quarter}"]
    # Two seats the quarter before: "<5"; the six must hide too, or 8 − 6 would give it away.
    assert shown == [["<5"], ["×"]]
    assert [e.shown for e in report.backgrounds.table.column_totals] == ["8"]


def test_interview_shares_are_shown_only_from_shown_counts(hr, year_of_seats):
    report = office_statistics(user=hr, year=year_of_seats["year"])

    (_r1, earlier, _t1, earlier_rates), (_r2, latest, _t2, latest_rates) = report.interviews.body
    assert [e.shown for e in earlier] == ["<5", "<5", "<5"]
    # 7 interviews, 6 with a representative: hidden, or 9 − 7 would reveal the quarter before.
    assert [e.shown for e in latest] == ["×", "×", "×"]
    assert earlier_rates == latest_rates == ["–", "–"]
    assert [e.shown for e in report.interviews.table.column_totals] == ["9", "8", "8"]
    assert report.interviews.derived_totals == ["89 %", "0,9"] or (
        report.interviews.derived_totals == ["89 %", "0.9"]
    )


def test_leader_sees_statistics_of_their_own_office_only(leader_b, year_of_seats):
    report = office_statistics(user=leader_b, year=year_of_seats["year"])

    assert [office.name for office in report.offices] == ["NAV Hadeland"]
    assert report.empty


def test_page_shows_charts_tables_and_less_than_five_but_never_candidates(
    client, hr, year_of_seats
):
    client.force_login(hr)

    response = client.get(reverse("statistics"), {"year": year_of_seats["year"]})

    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('role="img"') == 3
    assert text.count("<table") >= 4
    assert "&lt;5" in text
    assert "Kandidat Hemmeligsen" not in text
    assert "style=" not in text


def test_hr_of_one_county_sees_only_its_offices(client, hr_b, office_a, year_of_seats):
    client.force_login(hr_b)

    response = client.get(
        reverse("statistics"), {"year": year_of_seats["year"], "office": office_a.pk}
    )

    assert response.context["form"].errors["office"]
    assert "NAV Rana" not in response.content.decode()


def _background_totals(report) -> list[str]:
    return [entry.shown for entry in report.backgrounds.table.column_totals]


def test_cached_statistics_show_an_attendance_marked_since_at_once(
    hr, leader_a, office_a, year_of_seats
):
    from panels.services import seat_mark_attendance
    from reports.statistics import statistics_presented

    year, quarter = year_of_seats["year"], year_of_seats["quarter"]
    _y, _q, first, _last = previous_quarter(timezone.localdate())
    presented = []

    def present(report) -> list[str]:
        presented.append(report)
        return _background_totals(report)

    before = statistics_presented(user=hr, year=year, present=present)
    again = statistics_presented(user=hr, year=year, present=present)
    accepted = past_seat(
        office=office_a,
        representative=PoolRepresentativeFactory(offices=[office_a]),
        day=first + timedelta(days=10),
        status=SeatStatus.ACCEPTED,
        backgrounds=["mental_health"],
    )
    seat_mark_attendance(seat=accepted, attended=True, by=leader_a)
    after = statistics_presented(user=hr, year=year, present=present)

    assert before == again == ["8"]
    assert len(presented) == 2  # the second read came from the cache
    assert after == ["9"]
    assert quarter > 1


def _interview_at_nine(office, year: int):
    """An interview at ``office`` from 09:00 to 10:00 on 1 June of ``year``; that morning's
    08:00."""
    morning = local(date(year, 6, 1), "08:00")
    InterviewFactory(
        round=OpenRoundFactory(office=office),
        candidate=None,
        starts_at=morning + timedelta(hours=1),
        ends_at=morning + timedelta(hours=2),
    )
    return morning


def test_cached_statistics_count_an_interview_once_it_has_taken_place(hr, office_a, year_of_seats):
    from reports.statistics import statistics_presented

    year = year_of_seats["year"]
    morning = _interview_at_nine(office_a, year)

    def held(report) -> int:
        # The true count (the page may show it as "<5"): what the cache must keep right.
        return report.interviews.table.column_totals[0].value

    before = statistics_presented(user=hr, year=year, present=held, now=morning)
    still_before = statistics_presented(
        user=hr, year=year, present=held, now=morning + timedelta(minutes=30)
    )
    after = statistics_presented(user=hr, year=year, present=held, now=morning + timedelta(hours=3))

    assert before == still_before
    assert after == before + 1


# The national overview, counted office by office (issue 20) -------------------------------------


def test_national_statistics_open_on_a_county_overview_and_show_an_office_on_demand(
    client, hr, office_a, year_of_seats
):
    client.force_login(hr)
    year = year_of_seats["year"]

    overview = client.get(reverse("statistics"), {"year": year}, HTTP_ACCEPT_LANGUAGE="en").text
    rana = client.get(
        reverse("statistics"), {"year": year, "office": office_a.pk}, HTTP_ACCEPT_LANGUAGE="en"
    ).text

    assert "Interviews per county and quarter" in overview
    assert f"Nordland, Q{year_of_seats['quarter']}" in overview
    assert "NAV Rana, Q" not in overview
    assert f'href="?year={year}&amp;county=nordland">The offices in Nordland</a>' in overview
    assert "Interviews per office and quarter" in rana
    assert f"NAV Rana, Q{year_of_seats['quarter']}" in rana


def test_the_county_overview_shows_an_attendance_marked_since_at_once(
    hr, leader_a, office_a, year_of_seats
):
    from panels.services import seat_mark_attendance
    from reports.statistics import statistics_presented

    year = year_of_seats["year"]
    _y, _q, first, _last = previous_quarter(timezone.localdate())

    def overview() -> list[str]:
        return statistics_presented(user=hr, year=year, by_county=True, present=_background_totals)

    before = overview()
    accepted = past_seat(
        office=office_a,
        representative=PoolRepresentativeFactory(offices=[office_a]),
        day=first + timedelta(days=10),
        status=SeatStatus.ACCEPTED,
        backgrounds=["mental_health"],
    )
    seat_mark_attendance(seat=accepted, attended=True, by=leader_a)

    assert before == ["8"]
    assert overview() == ["9"]


def test_the_county_overview_counts_an_interview_once_it_has_taken_place(
    hr, office_a, year_of_seats
):
    from reports.statistics import statistics_presented

    year = year_of_seats["year"]
    morning = _interview_at_nine(office_a, year)

    def held(report) -> int:
        return report.interviews.table.column_totals[0].value

    def overview(at):
        # The county sums are cached apart from the overview: both must expire on the clock.
        return statistics_presented(user=hr, year=year, present=held, by_county=True, now=at)

    before = overview(morning)
    still_before = overview(morning + timedelta(minutes=30))
    after = overview(morning + timedelta(hours=3))

    assert before == still_before
    assert after == before + 1


def test_a_change_in_one_office_recounts_that_office_alone(
    hr, leader_a, office_a, office_b, year_of_seats, monkeypatch
):
    from panels.services import seat_mark_attendance
    from reports import statistics

    year = year_of_seats["year"]
    _y, _q, first, _last = previous_quarter(timezone.localdate())
    counted: list[list[int]] = []
    compute = statistics._counts_compute

    def counting(office_ids, **kwargs):
        counted.append(sorted(office_ids))
        return compute(office_ids, **kwargs)

    monkeypatch.setattr(statistics, "_counts_compute", counting)
    statistics.statistics_presented(user=hr, year=year, by_county=True, present=_background_totals)
    accepted = past_seat(
        office=office_a,
        representative=PoolRepresentativeFactory(offices=[office_a]),
        day=first + timedelta(days=10),
        status=SeatStatus.ACCEPTED,
    )
    seat_mark_attendance(seat=accepted, attended=True, by=leader_a)
    statistics.statistics_presented(user=hr, year=year, by_county=True, present=_background_totals)

    assert counted == [sorted([office_a.pk, office_b.pk]), [office_a.pk]]


def test_after_the_beat_job_no_request_counts_an_office(hr, office_a, year_of_seats, monkeypatch):
    from reports import statistics
    from reports.tasks import statistics_warm_task

    year = year_of_seats["year"]  # this year or, in its first quarter, last year
    statistics_warm_task()

    def refuse(office_ids, **kwargs):
        raise AssertionError(f"a request counted offices {office_ids}")

    monkeypatch.setattr(statistics, "_counts_compute", refuse)
    totals = statistics.statistics_presented(
        user=hr, year=year, by_county=True, present=_background_totals
    )

    assert totals == ["8"]
