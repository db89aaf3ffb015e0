"""Rotation (fairness) benchmark of the panel suggestion engine, ``panels.suggestions``.

Simulates a year of one NAV office (a pool of 30, 8 hiring rounds of 5 panels, 2-3 seats each,
0-2 wanted backgrounds per panel, 20 % of invitations declined) and compares, on the same
instances and the same stream of declines:

1. ``ours``: ``suggest_panel``;
2. ``random``: a uniformly random choice among the eligible;
3. ``first``: always the first eligible ones in pool order;
4. ``maximin``: the ``sortition-algorithms`` package's maximin selection (Flanigan et al., Nature
   2021), drawing each panel on its own with the wants as quotas.

OR-Tools CP-SAT checks every instance a strategy faced: could the wants have been met from that
eligible set? A rare-background scenario (issue 18, point 9) runs ``ours`` on a pool where only 2
of 30 have a background every round asks for, without and with the office's cap of panels per
representative (2 a month, 4 a quarter, as ``interviews.Office``'s defaults), and reports the most
panels any one person sat and how often anyone went over the cap. A second part times
``suggest_panel`` on pools of 500 with all 10 backgrounds wanted, beside CP-SAT solving the same
objective exactly.

Run from the repository root: ``.venv/bin/python bench/rotation.py`` (``--seeds N``, ``--timing N``,
``--no-write``; ``--rare-only`` runs only the rare-background scenario and prints its figures as
JSON, for ``tests/bench/test_rotation_cap.py``). It rewrites only the ``## Rotation (fairness)``
section of ``bench/RESULTS.md``. No Django settings or database are needed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, MutableMapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django.conf import settings  # noqa: E402

settings.configure(USE_I18N=False)

from results import write_section  # noqa: E402 - bench/results.py, beside this script

from panels import suggestions  # noqa: E402
from panels.suggestions import PoolMember, Want, suggest_panel  # noqa: E402

logging.getLogger("sortition_algorithms").setLevel(logging.ERROR)
logging.getLogger("sortition_algorithms_user").setLevel(logging.ERROR)

HEADING = "## Rotation (fairness)"

# How often a representative has each background (several per person), and how often a round
# wants it. Young adult (18-29) and senior (55+) follow from the birth year.
BACKGROUND_SHARE = {
    "mental_health": 0.45,
    "aap": 0.40,
    "long_term_unemployed": 0.25,
    "chronic_illness": 0.25,
    "physical_disability": 0.15,
    "immigrant": 0.15,
    "substance_use": 0.12,
    "single_parent": 0.10,
}
ALL_BACKGROUNDS = (
    "mental_health",
    "substance_use",
    "physical_disability",
    "chronic_illness",
    "young_adult",
    "senior",
    "immigrant",
    "long_term_unemployed",
    "single_parent",
    "aap",
)
WANTED_WEIGHT = {
    "substance_use": 3,
    "mental_health": 3,
    "young_adult": 2,
    "immigrant": 2,
    "aap": 2,
    "physical_disability": 1,
    "chronic_illness": 1,
    "senior": 1,
    "long_term_unemployed": 1,
    "single_parent": 1,
}
ORGANISATIONS = {"": 0.35, "FFO": 0.20, "Mental Helse": 0.20, "Kirkens Bymisjon": 0.15, "RIO": 0.10}

POOL_SIZE = 30
ROUNDS = 8
PANELS_PER_ROUND = 5
DECLINE_RATE = 0.20
UNAVAILABLE_RATE = 0.15  # booked elsewhere, ill, or a conflict of interest that day
YEAR_START = date(2026, 1, 5)

# The rare-background scenario (issue 18, point 9): this background, held by this many of the pool,
# is in every round's theme; the cap is the office's default (panels a month, a quarter).
RARE = "substance_use"
RARE_HOLDERS = 2
CAP = (2, 4)


# --- the office's year ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    backgrounds: frozenset[str]
    birth_year: int
    organisation: str


@dataclass(frozen=True)
class PanelPlan:
    number: int
    round: int
    on: date
    seats: int
    wants: tuple[Want, ...]
    unavailable: frozenset[int]


def make_pool(rng: random.Random, size: int, year: int) -> list[Person]:
    people = []
    for number in range(1, size + 1):
        age = rng.randint(18, 75)
        backgrounds = {b for b, share in BACKGROUND_SHARE.items() if rng.random() < share}
        if age <= 29:
            backgrounds.add("young_adult")
        if age >= 55:
            backgrounds.add("senior")
        if not backgrounds:
            backgrounds.add(rng.choice(("mental_health", "aap")))
        weights = dict(ORGANISATIONS)
        if "substance_use" in backgrounds:
            weights["RIO"] = 0.5
        organisation = rng.choices(list(weights), weights=list(weights.values()))[0]
        # Ids are not in pool order, so that "first in the list" is not "lowest id".
        people.append(
            Person(
                id=1000 + number * 7 % 97,
                backgrounds=frozenset(backgrounds),
                birth_year=year - age,
                organisation=organisation,
            )
        )
    rng.shuffle(people)
    return people


def make_rare(pool: Sequence[Person]) -> list[Person]:
    """The same pool, but only its first ``RARE_HOLDERS`` people have the ``RARE`` background."""
    rare = []
    for index, person in enumerate(pool):
        backgrounds = set(person.backgrounds) - {RARE}
        if index < RARE_HOLDERS:
            backgrounds.add(RARE)
        rare.append(
            Person(
                id=person.id,
                backgrounds=frozenset(backgrounds or {"mental_health"}),
                birth_year=person.birth_year,
                organisation=person.organisation,
            )
        )
    return rare


def make_year(
    rng: random.Random, pool: Sequence[Person], always: str | None = None
) -> list[PanelPlan]:
    """The office's 8 rounds; ``always``: a background in every round's theme."""
    plans = []
    names = list(WANTED_WEIGHT)
    for round_number in range(ROUNDS):
        start = YEAR_START + timedelta(weeks=6 * round_number)
        theme: list[str] = [always] if always else []
        while len(theme) < 2:
            pick = rng.choices(names, weights=[WANTED_WEIGHT[n] for n in names])[0]
            if pick not in theme:
                theme.append(pick)
        for offset, day in enumerate((0, 3, 7, 10, 14)):
            seats = rng.choice((2, 3))
            count = rng.choices((0, 1, 2), weights=(0.25, 0.45, 0.30))[0]
            wanted = rng.sample(theme, count)
            wants = tuple(
                Want(b, at_least=2 if seats == 3 and count == 1 and rng.random() < 0.15 else 1)
                for b in wanted
            )
            unavailable = frozenset(p.id for p in pool if rng.random() < UNAVAILABLE_RATE)
            plans.append(
                PanelPlan(
                    number=round_number * PANELS_PER_ROUND + offset,
                    round=round_number,
                    on=start + timedelta(days=day),
                    seats=seats,
                    wants=wants,
                    unavailable=unavailable,
                )
            )
    return plans


# --- strategies ----------------------------------------------------------------------------------

Strategy = Callable[..., list[int]]


def strategy_ours(*, eligible, seats, wants, seated, today, rng, seed) -> list[int]:
    selection = suggest_panel(
        members=eligible, seats=seats, wants=wants, today=today, seated=seated
    )
    return list(selection.member_ids)


def strategy_random(*, eligible, seats, wants, seated, today, rng, seed) -> list[int]:
    return [m.id for m in rng.sample(list(eligible), min(seats, len(eligible)))]


def strategy_first(*, eligible, seats, wants, seated, today, rng, seed) -> list[int]:
    return [m.id for m in eligible[:seats]]


def strategy_maximin(*, eligible, seats, wants, seated, today, rng, seed) -> list[int]:
    """One maximin draw for this panel's open seats, the unmet wants as minimum quotas.

    Each wanted background becomes a two-valued feature (``yes``/``no``) with ``yes`` at least the
    number still wanted; ``no`` is free. When the quotas cannot be met, the package raises
    ``InfeasibleQuotasError`` with the smallest relaxation it suggests; we draw with that.
    """
    # Imported here, like CP-SAT in ``exact_panel``: ``--rare-only`` runs without the bench
    # extras (requirements-bench.txt), so the test environment can run it.
    from sortition_algorithms import errors as sortition_errors
    from sortition_algorithms.core import find_random_sample
    from sortition_algorithms.features import FeatureValueMinMax
    from sortition_algorithms.people import People
    from sortition_algorithms.utils import set_random_provider

    if len(eligible) <= seats:
        return [m.id for m in eligible]
    features: dict[str, MutableMapping[str, FeatureValueMinMax]] = {}
    for want in wants:
        need = want.at_least - sum(1 for s in seated if want.background in s.backgrounds)
        if need > 0:
            features[want.background] = {
                "yes": FeatureValueMinMax(min=need, max=seats, min_flex=0, max_flex=seats),
                "no": FeatureValueMinMax(min=0, max=seats, min_flex=0, max_flex=seats),
            }
    people = People(columns_to_keep=[])
    for row, member in enumerate(eligible):
        data = {b: ("yes" if b in member.backgrounds else "no") for b in features}
        people.add(str(member.id), data, features, row)
    set_random_provider(seed)
    try:
        lottery, _report = find_random_sample(
            features, people, seats, [], selection_algorithm="maximin"
        )
    except sortition_errors.InfeasibleQuotasError as error:
        lottery, _report = find_random_sample(
            error.features, people, seats, [], selection_algorithm="maximin"
        )
    return sorted(int(key) for key in lottery[0])


STRATEGIES: dict[str, Strategy] = {
    "ours": strategy_ours,
    "random": strategy_random,
    "first": strategy_first,
    "maximin": strategy_maximin,
}


# --- the exact check -----------------------------------------------------------------------------


def _same_decade(year: int | None, other: int | None) -> bool:
    return year is not None and other is not None and year // 10 == other // 10


def load_cost(member: PoolMember, today: date, wanted: frozenset[str]) -> int:
    """The engine's documented load cost, recomputed here from its constants."""
    cost = suggestions.SEAT_COST * member.seats_last_12_months
    cost += suggestions.ROUND_SEAT_COST * member.seats_this_round
    if member.last_seat_on is not None:
        days = (today - member.last_seat_on).days
        if days < suggestions.RECENCY_DAYS:
            cost += (
                suggestions.RECENCY_COST
                * (suggestions.RECENCY_DAYS - max(days, 0))
                // suggestions.RECENCY_DAYS
            )
    repeats = member.backgrounds_covered_this_round & member.backgrounds & wanted
    return cost + suggestions.ROUND_REPEAT_COST * len(repeats)


@dataclass
class Exact:
    shortfall: int
    cost: int | None  # None when only the shortfall was asked for
    seconds: float
    optimal: bool


def exact_panel(
    *,
    members: Sequence[PoolMember],
    seats: int,
    wants: Sequence[Want],
    seated: Sequence[PoolMember] = (),
    today: date,
    with_cost: bool,
    time_limit: float = 30.0,
) -> Exact:
    """CP-SAT: the least shortfall (and, with ``with_cost``, then the least cost) of a panel."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    picks = [model.new_bool_var(f"x{m.id}") for m in members]
    size = min(seats, len(members))
    model.add(sum(picks) == size)
    need: dict[str, int] = {}
    for want in wants:
        need[want.background] = max(need.get(want.background, 0), want.at_least)
    shorts = []
    for background, at_least in need.items():
        rest = at_least - sum(1 for s in seated if background in s.backgrounds)
        if rest <= 0:
            continue
        short = model.new_int_var(0, rest, f"short_{background}")
        covering = [x for x, m in zip(picks, members, strict=True) if background in m.backgrounds]
        model.add(short + sum(covering) >= rest)
        shorts.append(short)
    shortfall = sum(shorts)
    if with_cost:
        wanted = frozenset(need)
        loads = [load_cost(m, today, wanted) for m in members]
        seated_pairs = [
            sum(
                (suggestions.SAME_ORGANISATION_COST if m.organisation == s.organisation else 0)
                * bool(m.organisation)
                + (suggestions.SAME_AGE_COST if _same_decade(m.birth_year, s.birth_year) else 0)
                for s in seated
            )
            for m in members
        ]
        pair_counts = [n * (n - 1) // 2 for n in range(size + 1)]
        variety = []
        groups: dict[tuple[str, object], list[cp_model.IntVar]] = {}
        for x, m in zip(picks, members, strict=True):
            if m.organisation:
                groups.setdefault(("organisation", m.organisation), []).append(x)
            if m.birth_year is not None:
                groups.setdefault(("decade", m.birth_year // 10), []).append(x)
        for (kind, _value), group in groups.items():
            if len(group) < 2:
                continue
            count = model.new_int_var(0, size, "")
            model.add(count == sum(group))
            pairs = model.new_int_var(0, pair_counts[-1], "")
            model.add_element(count, pair_counts, pairs)
            weight = (
                suggestions.SAME_ORGANISATION_COST
                if kind == "organisation"
                else suggestions.SAME_AGE_COST
            )
            variety.append(weight * pairs)
        cost = sum(
            (load + extra) * x for x, load, extra in zip(picks, loads, seated_pairs, strict=True)
        ) + sum(variety)
        big = sum(sorted(loads, reverse=True)[:size]) + sum(seated_pairs) + 10**6
        model.minimize(big * shortfall + cost)
    else:
        model.minimize(shortfall)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # like for like with the single-threaded engine
    solver.parameters.max_time_in_seconds = time_limit
    started = time.perf_counter()
    status = solver.solve(model)
    seconds = time.perf_counter() - started
    found_shortfall = int(sum(solver.value(s) for s in shorts)) if shorts else 0
    found_cost = None
    if with_cost:
        found_cost = int(solver.objective_value) - big * found_shortfall
    return Exact(
        shortfall=found_shortfall,
        cost=found_cost,
        seconds=seconds,
        optimal=status == cp_model.OPTIMAL,
    )


def shortfall_of(
    chosen: Sequence[PoolMember], wants: Sequence[Want], seated: Sequence[PoolMember] = ()
) -> int:
    need: dict[str, int] = {}
    for want in wants:
        need[want.background] = max(need.get(want.background, 0), want.at_least)
    panel = [*seated, *chosen]
    return sum(
        max(0, at_least - sum(1 for m in panel if background in m.backgrounds))
        for background, at_least in need.items()
    )


# --- the simulation ------------------------------------------------------------------------------


@dataclass
class YearResult:
    seats: dict[int, int]
    invited: set[int]
    panels_with_wants: int = 0
    panels_met: int = 0
    panels_feasible_not_met: int = 0
    calls: int = 0
    calls_feasible: int = 0
    calls_feasible_not_met: int = 0
    calls_worse_than_possible: int = 0
    repeat_covers: int = 0
    seconds: float = 0.0
    unfilled_seats: int = 0
    exact_seconds: list[float] = field(default_factory=list)
    pool: list[Person] = field(default_factory=list)
    history: dict[int, list[date]] = field(default_factory=dict)
    rare_wanted: int = 0
    rare_met: int = 0


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3


def at_cap(dates: Sequence[date], today: date, cap: tuple[int, int]) -> bool:
    """``panels.eligibility``'s cap: this many seats already in today's month or quarter."""
    month = sum(1 for d in dates if (d.year, d.month) == (today.year, today.month))
    quarter = sum(1 for d in dates if _quarter(d) == _quarter(today))
    return month >= cap[0] or quarter >= cap[1]


def simulate(
    name: str,
    strategy: Strategy,
    seed: int,
    *,
    rare: bool = False,
    cap: tuple[int, int] | None = None,
    exact_check: bool = True,
) -> YearResult:
    """One office's year under ``strategy``. ``rare``: the rare-background scenario; ``cap``:
    leave out whoever is at the cap (panels a month, a quarter), as the panel page does (the
    simulated leader never invites anyone anyway); ``exact_check``: CP-SAT on every call."""
    setup = random.Random(seed)
    pool = make_pool(setup, POOL_SIZE, YEAR_START.year)
    if rare:
        pool = make_rare(pool)
    plans = make_year(setup, pool, always=RARE if rare else None)
    pick_rng = random.Random(seed * 7919 + 1)
    history: dict[int, list[date]] = {p.id: [] for p in pool}
    result = YearResult(seats=dict.fromkeys(history, 0), invited=set(), pool=pool, history=history)
    round_seats: dict[int, int] = {}
    round_covered: dict[int, set[str]] = {}
    declined: set[int] = set()
    current_round = -1
    for plan in plans:
        if plan.round != current_round:
            current_round = plan.round
            round_seats, round_covered, declined = {}, {}, set()
        today = plan.on
        wanted = {w.background for w in plan.wants}
        members = {}
        for person in pool:
            if person.id in plan.unavailable or person.id in declined:
                continue
            if cap is not None and at_cap(history[person.id], today, cap):
                continue
            dates = [d for d in history[person.id] if (today - d).days < 365]
            members[person.id] = PoolMember(
                id=person.id,
                backgrounds=person.backgrounds,
                birth_year=person.birth_year,
                organisation=person.organisation,
                seats_last_12_months=len(dates),
                last_seat_on=max(dates) if dates else None,
                seats_this_round=round_seats.get(person.id, 0),
                backgrounds_covered_this_round=frozenset(round_covered.get(person.id, ())),
            )
        # The same decline stream for every strategy: the n-th invitation of this panel.
        declines = random.Random(seed * 100_003 + plan.number)
        accepted: list[PoolMember] = []
        first_call = True
        feasible_at_start = True
        while len(accepted) < plan.seats:
            open_seats = plan.seats - len(accepted)
            taken = {m.id for m in accepted}
            eligible = [
                m for m_id, m in members.items() if m_id not in taken and m_id not in declined
            ]
            if not eligible:
                break
            started = time.perf_counter()
            proposal = strategy(
                eligible=eligible,
                seats=open_seats,
                wants=plan.wants,
                seated=accepted,
                today=today,
                rng=pick_rng,
                seed=seed * 1_000 + plan.number * 10 + len(accepted),
            )
            result.seconds += time.perf_counter() - started
            chosen = [members[m_id] for m_id in proposal]
            result.calls += 1
            if exact_check:
                exact = exact_panel(
                    members=eligible,
                    seats=open_seats,
                    wants=plan.wants,
                    seated=accepted,
                    today=today,
                    with_cost=False,
                )
                result.exact_seconds.append(exact.seconds)
                got = shortfall_of(chosen, plan.wants, accepted)
                if exact.shortfall == 0:
                    result.calls_feasible += 1
                    if got > 0:
                        result.calls_feasible_not_met += 1
                if got > exact.shortfall:
                    result.calls_worse_than_possible += 1
                if first_call:
                    feasible_at_start = exact.shortfall == 0
                    first_call = False
            for member in chosen:
                result.invited.add(member.id)
                if declines.random() < DECLINE_RATE:
                    declined.add(member.id)
                else:
                    accepted.append(member)
        result.unfilled_seats += plan.seats - len(accepted)
        if RARE in wanted:
            result.rare_wanted += 1
            result.rare_met += any(RARE in m.backgrounds for m in accepted)
        if plan.wants:
            result.panels_with_wants += 1
            if shortfall_of(accepted, plan.wants) == 0:
                result.panels_met += 1
            elif feasible_at_start:
                result.panels_feasible_not_met += 1
        for member in accepted:
            history[member.id].append(today)
            result.seats[member.id] += 1
            round_seats[member.id] = round_seats.get(member.id, 0) + 1
            covers = member.backgrounds & wanted
            if covers & round_covered.get(member.id, set()):
                result.repeat_covers += len(covers & round_covered[member.id])
            round_covered.setdefault(member.id, set()).update(covers)
    return result


def gini(values: Sequence[int]) -> float:
    n = len(values)
    mean = sum(values) / n
    if mean == 0:
        return 0.0
    total = sum(abs(a - b) for a in values for b in values)
    return total / (2 * n * n * mean)


@dataclass
class Figures:
    met: float
    feasible_not_met: float
    calls_feasible_not_met: int
    calls_feasible: int
    calls_worse: int
    calls: int
    gini: float
    max_over_median: float
    most: int
    median: float
    never_asked: float
    repeat_covers: int
    unfilled: int
    ms_per_call: float
    most_used: str  # the most-used member's backgrounds, with how many in the pool have each


def figures(result: YearResult) -> Figures:
    counts = sorted(result.seats.values())
    median = statistics.median(counts)
    top = max(result.pool, key=lambda p: (result.seats[p.id], -p.id))
    holders = {b: sum(1 for p in result.pool if b in p.backgrounds) for b in top.backgrounds}
    most_used = ", ".join(
        f"{b.replace('_', ' ')} ({holders[b]} of {len(result.pool)})"
        for b in sorted(top.backgrounds, key=lambda b: (holders[b], b))
    )
    return Figures(
        most_used=most_used,
        met=result.panels_met / result.panels_with_wants,
        feasible_not_met=result.panels_feasible_not_met / result.panels_with_wants,
        calls_feasible_not_met=result.calls_feasible_not_met,
        calls_feasible=result.calls_feasible,
        calls_worse=result.calls_worse_than_possible,
        calls=result.calls,
        gini=gini(counts),
        max_over_median=counts[-1] / median if median else float("inf"),
        most=counts[-1],
        median=median,
        never_asked=1 - len(result.invited) / len(result.seats),
        repeat_covers=result.repeat_covers,
        unfilled=result.unfilled_seats,
        ms_per_call=1000 * result.seconds / max(result.calls, 1),
    )


@dataclass
class CapFigures:
    """The rare-background scenario's year under ``ours``, with or without the cap."""

    most_year: int  # the most panels any one person sat in the year
    most_month: int  # … in any one calendar month
    most_quarter: int  # … in any one quarter
    holders_year: list[int]  # the rare background's holders' panels in the year
    over_cap: int  # person-months and person-quarters above ``CAP``
    overrides: int  # invitations over the cap a leader chose (the simulation makes none)
    rare_met: float  # share of the panels wanting the rare background that got it
    unfilled: int


def cap_figures(result: YearResult, cap: tuple[int, int] = CAP) -> CapFigures:
    months: dict[tuple[int, int, int], int] = {}
    quarters: dict[tuple[int, tuple[int, int]], int] = {}
    for person, dates in result.history.items():
        for d in dates:
            months[person, d.year, d.month] = months.get((person, d.year, d.month), 0) + 1
            quarters[person, _quarter(d)] = quarters.get((person, _quarter(d)), 0) + 1
    return CapFigures(
        most_year=max(result.seats.values()),
        most_month=max(months.values(), default=0),
        most_quarter=max(quarters.values(), default=0),
        holders_year=sorted(
            (result.seats[p.id] for p in result.pool if RARE in p.backgrounds), reverse=True
        ),
        over_cap=sum(1 for n in months.values() if n > cap[0])
        + sum(1 for n in quarters.values() if n > cap[1]),
        overrides=0,
        rare_met=result.rare_met / max(result.rare_wanted, 1),
        unfilled=result.unfilled_seats,
    )


def rare_figures(seed: int) -> dict[str, CapFigures]:
    """The rare-background scenario on one seed: ``ours`` without the cap and with it."""
    return {
        name: cap_figures(
            simulate("ours", strategy_ours, seed, rare=True, cap=cap, exact_check=False)
        )
        for name, cap in (("no cap", None), ("cap", CAP))
    }


# --- timing on a large pool ----------------------------------------------------------------------


def large_instance(rng: random.Random, size: int) -> tuple[list[PoolMember], int, list[Want], date]:
    today = date(2026, 6, 15)
    members = []
    for number in range(1, size + 1):
        person = make_pool(rng, 1, today.year)[0]
        seats = rng.choice((0, 0, 0, 1, 1, 2, 3, 4, 6))
        last = today - timedelta(days=rng.randint(1, 360)) if seats else None
        covered = frozenset(rng.sample(sorted(person.backgrounds), 1)) if rng.random() < 0.1 else ()
        members.append(
            PoolMember(
                id=number,
                backgrounds=person.backgrounds,
                birth_year=person.birth_year,
                organisation=person.organisation,
                seats_last_12_months=seats,
                last_seat_on=last,
                seats_this_round=1 if covered else 0,
                backgrounds_covered_this_round=frozenset(covered),
            )
        )
    seats = rng.choice((1, 2, 2, 3, 3, 3, 4, 5))
    wants = [Want(b, at_least=2 if rng.random() < 0.2 else 1) for b in ALL_BACKGROUNDS]
    return members, seats, wants, today


@dataclass
class Timing:
    ours_ms: list[float]  # best of ``REPEATS`` runs per instance
    ours_first_ms: list[float]  # the first run alone
    exact_ms: list[float]
    same_shortfall: int
    same_cost: int
    exact_optimal: int
    cost_gaps: list[float]  # ours minus the optimum, in seats (cost / 1000)
    instances: int
    feasible: int


REPEATS = 3


def time_large(instances: int, size: int = 500, seed: int = 4242) -> Timing:
    rng = random.Random(seed)
    ours_ms, ours_first_ms, exact_ms, gaps = [], [], [], []
    same_shortfall = same_cost = optimal = feasible = 0
    for _ in range(instances):
        members, seats, wants, today = large_instance(rng, size)
        runs = []
        for _repeat in range(REPEATS):
            started = time.perf_counter()
            selection = suggest_panel(members=members, seats=seats, wants=wants, today=today)
            runs.append(1000 * (time.perf_counter() - started))
        ours_first_ms.append(runs[0])
        ours_ms.append(min(runs))
        exact = exact_panel(members=members, seats=seats, wants=wants, today=today, with_cost=True)
        exact_ms.append(1000 * exact.seconds)
        optimal += exact.optimal
        by_id = {m.id: m for m in members}
        chosen = [by_id[i] for i in selection.member_ids]
        shortfall = sum(s.short_by for s in selection.shortfalls)
        feasible += exact.shortfall == 0
        if shortfall == exact.shortfall:
            same_shortfall += 1
        cost = panel_cost(chosen, wants, today)
        if cost == exact.cost:
            same_cost += 1
        gaps.append((cost - (exact.cost or 0)) / 1000)
    return Timing(
        ours_ms=ours_ms,
        ours_first_ms=ours_first_ms,
        exact_ms=exact_ms,
        same_shortfall=same_shortfall,
        same_cost=same_cost,
        exact_optimal=optimal,
        cost_gaps=gaps,
        instances=instances,
        feasible=feasible,
    )


def panel_cost(chosen: Sequence[PoolMember], wants: Sequence[Want], today: date) -> int:
    wanted = frozenset(w.background for w in wants)
    cost = sum(load_cost(m, today, wanted) for m in chosen)
    for i, a in enumerate(chosen):
        for b in chosen[i + 1 :]:
            if a.organisation and a.organisation == b.organisation:
                cost += suggestions.SAME_ORGANISATION_COST
            if _same_decade(a.birth_year, b.birth_year):
                cost += suggestions.SAME_AGE_COST
    return cost


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- the report ----------------------------------------------------------------------------------


def fmt_ratio(value: float) -> str:
    return "∞ (median 0)" if value == float("inf") else f"{value:.2f}"


def report(
    one: dict[str, Figures],
    many: dict[str, list[Figures]],
    rare: dict[str, list[CapFigures]],
    timing: Timing,
    seeds: int,
    command: str,
    elapsed: float,
    load: tuple[float, float],
    jobs: int,
) -> str:
    def mean(name: str, attribute: str) -> float:
        return statistics.fmean(getattr(f, attribute) for f in many[name])

    def finite_mean(name: str, attribute: str) -> str:
        values = [getattr(f, attribute) for f in many[name]]
        finite = [v for v in values if v != float("inf")]
        text = f"{statistics.fmean(finite):.2f}" if finite else "–"
        if len(finite) < len(values):
            text += f" ({len(values) - len(finite)} seeds with median 0: ∞)"
        return text

    ours_gini = mean("ours", "gini")
    first_gini = mean("first", "gini")
    maximin_gini = mean("maximin", "gini")
    ours_calls_bad = sum(f.calls_feasible_not_met for f in many["ours"])
    ours_calls_feasible = sum(f.calls_feasible for f in many["ours"])
    ours_worse = sum(f.calls_worse for f in many["ours"])
    ours_calls = sum(f.calls for f in many["ours"])
    p99 = percentile(timing.ours_ms, 0.99)

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**not met**"

    lines = [
        HEADING,
        "",
        f"Run {date.today().isoformat()} on {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} CPUs (`nproc` {len(os.sched_getaffinity(0))}), "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}; "
        f"Django {metadata.version('Django')}, sortition-algorithms "
        f"{metadata.version('sortition-algorithms')} (HiGHS backend, highspy "
        f"{metadata.version('highspy')}), OR-Tools {metadata.version('ortools')} (CP-SAT, 1 "
        f"worker). Took {elapsed:.0f} s; load average {load[0]:.1f} at the start, {load[1]:.1f} "
        "at the end (the machine is shared: the timings below are best of 3 for that reason). "
        f"The {seeds} seeds ran side by side, {jobs} at a time (`--jobs`); their figures do not "
        "depend on it, the *ms per call* column does a little; the large-pool timing ran alone.",
        "",
        "```",
        command,
        "```",
        "",
        "A year of one office: a pool of 30 (backgrounds several per person: mental health 45 %, "
        "AAP 40 %, long-term unemployed and chronic illness 25 %, physical disability and "
        "immigrant 15 %, substance use 12 %, single parent 10 %, young adult and senior from ages "
        "18–75; organisations FFO, Mental Helse, Kirkens Bymisjon, RIO or none), 8 rounds of 5 "
        "panels with 2–3 seats, 0–2 wanted backgrounds per panel drawn from a 2-background theme "
        "per round (so a round asks for the same background again and again), 15 % of the pool "
        "unavailable on any given day, 20 % of invitations declined (the decliner is out for the "
        "rest of the round and the strategy is asked again for the open seats, with the accepted "
        "ones as `seated`). Every strategy faces the same pool, panels, unavailability and stream "
        "of declines (the n-th invitation of a panel is declined or not alike for all). "
        '"Calls" are the instances a strategy was asked to fill (a panel and its replacements); '
        "CP-SAT says for each whether the wants could have been met from that eligible set.",
        "",
        '`maximin` is `find_random_sample(..., selection_algorithm="maximin")` per call, each '
        "wanted background a `yes`/`no` feature with `yes` ≥ the number still wanted (after the "
        "accepted ones) and `no` free; when the package finds the quotas infeasible it suggests "
        "the smallest relaxation (`InfeasibleQuotasError.features`) and we draw with that. It "
        "sees no history, by design (each panel drawn on its own). `random` and `first` ignore "
        "the wants.",
        "",
        "### Seed 1",
        "",
        "| strategy | panels with wants met | feasible but not met (panels) | calls feasible but "
        "not met | Gini of seats | most / median seats | never asked | same person covering "
        "a background twice in a round | empty seats | ms per call |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, f in one.items():
        lines.append(
            f"| {name} | {f.met:.0%} | {f.feasible_not_met:.0%} | "
            f"{f.calls_feasible_not_met} of {f.calls_feasible} | {f.gini:.3f} | "
            f"{f.most} / {f.median:g} = {fmt_ratio(f.max_over_median)} | {f.never_asked:.0%} | "
            f"{f.repeat_covers} | {f.unfilled} | {f.ms_per_call:.1f} |"
        )
    lines += [
        "",
        f"### Mean over {seeds} seeds",
        "",
        "| strategy | panels with wants met | feasible but not met (panels) | calls feasible but "
        "not met (total) | Gini of seats | most / median seats | never asked | repeats in a "
        "round | empty seats |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in many:
        bad = sum(f.calls_feasible_not_met for f in many[name])
        feasible = sum(f.calls_feasible for f in many[name])
        lines.append(
            f"| {name} | {mean(name, 'met'):.1%} | {mean(name, 'feasible_not_met'):.1%} | "
            f"{bad} of {feasible} | {mean(name, 'gini'):.3f} | "
            f"{finite_mean(name, 'max_over_median')} | {mean(name, 'never_asked'):.1%} | "
            f"{mean(name, 'repeat_covers'):.1f} | {mean(name, 'unfilled'):.1f} |"
        )
    lines += [
        "",
        "A panel counts as *feasible but not met* when the wants could have been met from the "
        "eligible set when the panel was first filled, yet the final panel (after declines) "
        "misses one. For `ours` that happens only after declines (the member who could cover a "
        "background declined and nobody else eligible had it): per call, the engine's own job, "
        "it never misses a feasible want (targets below).",
        "",
        "Meeting the wants has a price in spread: whoever alone (or nearly alone) has a "
        "background the panels keep asking for sits often. In seed 1 the most-used member under "
        f"`ours` has {one['ours'].most_used}; under `maximin` {one['maximin'].most_used}. "
        "`random` and `first` do not pay that price because they ignore the wants (and meet "
        "them on under half of the panels). Among the strategies that meet the wants, `ours` "
        "spreads the seats far more evenly than `maximin`, which draws each panel without "
        "memory of who sat before.",
        "",
        *rare_report(rare, seeds),
        f"### Large pools: {timing.instances} instances, pool of 500, all 10 backgrounds wanted",
        "",
        "Seats 1–5, each want at least 1 (20 % at least 2), loads and round history random. Ours "
        f"is `suggest_panel` (reasons included), best of {REPEATS} runs per instance and, "
        "beside it, the first run alone; exact is CP-SAT on the same objective (shortfall "
        "first, then load plus variety), one run, single worker, model building not timed.",
        "",
        "| | median ms | p99 ms | max ms |",
        "|---|---|---|---|",
        f"| ours (best of {REPEATS}) | {statistics.median(timing.ours_ms):.1f} | {p99:.1f} | "
        f"{max(timing.ours_ms):.1f} |",
        f"| ours (first run) | {statistics.median(timing.ours_first_ms):.1f} | "
        f"{percentile(timing.ours_first_ms, 0.99):.1f} | {max(timing.ours_first_ms):.1f} |",
        f"| exact (CP-SAT) | {statistics.median(timing.exact_ms):.1f} | "
        f"{percentile(timing.exact_ms, 0.99):.1f} | {max(timing.exact_ms):.1f} |",
        "",
        f"Wants feasible in {timing.feasible} of {timing.instances}. Our shortfall equals the "
        f"exact optimum in {timing.same_shortfall} of {timing.instances}; our cost (load plus "
        f"variety) equals the optimum in {timing.same_cost}; the gap, in seats (cost / 1000), is "
        f"{statistics.fmean(timing.cost_gaps):.3f} on average and {max(timing.cost_gaps):.2f} at "
        f"worst (CP-SAT proved optimality in {timing.exact_optimal} of {timing.instances}).",
        "",
        "### Targets",
        "",
        "| target | figure | verdict |",
        "|---|---|---|",
        f"| wants met whenever feasible (every call, {seeds} seeds) | {ours_calls_bad} misses "
        f"of {ours_calls_feasible} feasible calls | {verdict(ours_calls_bad == 0)} |",
        f"| shortfall never worse than possible (every call, {seeds} seeds, incl. infeasible) | "
        f"{ours_worse} of {ours_calls} | {verdict(ours_worse == 0)} |",
        f"| shortfall = exact optimum on the large pools | {timing.same_shortfall} of "
        f"{timing.instances} | {verdict(timing.same_shortfall == timing.instances)} |",
        f'| Gini ≤ half of "always first" | {ours_gini:.3f} vs {first_gini:.3f} / 2 = '
        f"{first_gini / 2:.3f} | {verdict(ours_gini <= first_gini / 2)} |",
        f"| Gini below maximin's | {ours_gini:.3f} vs {maximin_gini:.3f} | "
        f"{verdict(ours_gini < maximin_gini)} |",
        f"| milliseconds, not seconds (pool 500, 10 wants): p99 < 100 ms | p99 {p99:.1f} ms | "
        f"{verdict(p99 < 100)} |",
        "",
    ]
    return "\n".join(lines)


def rare_report(rare: dict[str, list[CapFigures]], seeds: int) -> list[str]:
    """The rare-background scenario's table and verdict (issue 18, point 9)."""
    lines = [
        f"### A rare background, without and with the cap ({seeds} seeds)",
        "",
        f"The same year, but only {RARE_HOLDERS} of the 30 have {RARE.replace('_', ' ')} and "
        "every round's theme asks for it. `ours` alone, without the cap and with the office's "
        f"default cap ({CAP[0]} panels a month, {CAP[1]} a quarter per representative, as "
        "`panels.eligibility` applies it: whoever is at it is left out). The simulated leader "
        "never invites anyone over the cap, so no override is recorded.",
        "",
        "| | most panels one person sat (year, worst seed) | mean of the yearly most | most in "
        "a month | most in a quarter | the rare background's holders (seed 1) | over the cap "
        "without a recorded override | panels wanting it that got it | empty seats |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, figures_ in rare.items():
        lines.append(
            f"| {name} | {max(f.most_year for f in figures_)} | "
            f"{statistics.fmean(f.most_year for f in figures_):.1f} | "
            f"{max(f.most_month for f in figures_)} | {max(f.most_quarter for f in figures_)} | "
            f"{', '.join(map(str, figures_[0].holders_year))} | "
            f"{sum(f.over_cap - f.overrides for f in figures_)} | "
            f"{statistics.fmean(f.rare_met for f in figures_):.0%} | "
            f"{statistics.fmean(f.unfilled for f in figures_):.1f} |"
        )
    capped = rare["cap"]
    over = sum(f.over_cap - f.overrides for f in capped)
    lines += [
        "",
        f"With the cap nobody sat more than {max(f.most_month for f in capped)} panels in a "
        f"month or {max(f.most_quarter for f in capped)} in a quarter: "
        f"{over} person-months or person-quarters over the cap without a recorded override "
        f"({'**met**' if over == 0 else '**not met**'}). The price is the rare background "
        "missing from more of the panels that want it; a leader may still invite a holder "
        "over the cap (“Invite anyway”), which the panel page, the seat's history and the "
        "audit log show.",
        "",
    ]
    return lines


def seed_figures(seed: int) -> dict[str, Figures]:
    """Every strategy's year on one seed (run in a process of its own)."""
    return {name: figures(simulate(name, strategy, seed)) for name, strategy in STRATEGIES.items()}


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # sortition-algorithms orders committees by iterating sets of string ids: without a fixed
        # hash seed its draws (and so the maximin figures) change from one run to the next.
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])  # noqa: S606 (ourselves again)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--timing", type=int, default=200, help="large-pool instances")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--rare-only",
        action="store_true",
        help="only the rare-background scenario, its figures as JSON (implies --no-write)",
    )
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="seeds run side by side"
    )
    args = parser.parse_args()
    command = ".venv/bin/python bench/rotation.py" + "".join(
        f" {a}" for a in sys.argv[1:] if a != "--no-write"
    )
    if args.rare_only:
        years = [rare_figures(seed) for seed in range(1, args.seeds + 1)]
        print(json.dumps({name: [vars(y[name]) for y in years] for name in years[0]}))
        return
    began = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    many: dict[str, list[Figures]] = {name: [] for name in STRATEGIES}
    # Seeds are independent and deterministic: they run side by side, one process per CPU, and
    # are gathered in seed order, so the figures are those of a run one seed after another.
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, args.seeds))) as pool:
        for seed, year in zip(
            range(1, args.seeds + 1), pool.map(seed_figures, range(1, args.seeds + 1)), strict=True
        ):
            for name in STRATEGIES:
                many[name].append(year[name])
            print(
                f"seed {seed}: " + ", ".join(f"{n} gini {year[n].gini:.3f}" for n in STRATEGIES),
                flush=True,
            )
    one = {name: results[0] for name, results in many.items()}
    rare: dict[str, list[CapFigures]] = {}
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, args.seeds))) as pool:
        for capped in pool.map(rare_figures, range(1, args.seeds + 1)):
            for name, found in capped.items():
                rare.setdefault(name, []).append(found)
    timing = time_large(args.timing)
    print(
        f"timing: ours median {statistics.median(timing.ours_ms):.1f} ms, "
        f"exact median {statistics.median(timing.exact_ms):.1f} ms",
        flush=True,
    )
    text = report(
        one,
        many,
        rare,
        timing,
        args.seeds,
        command,
        time.perf_counter() - began,
        (load_at_start, os.getloadavg()[0]),
        max(1, min(args.jobs, args.seeds)),
    )
    print(text)
    if not args.no_write:
        write_section(HEADING, text)


if __name__ == "__main__":
    main()
