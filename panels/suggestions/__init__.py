"""Which representatives to suggest for a panel, and why: a pure function over plain data.

The caller (``pool.py``, the package's only module that reads the database) passes only the
*eligible* members of the office's pool: in the pool, with valid consent, active, not booked at an
overlapping time, not declined in this round, no conflict of interest, under the office's cap. The
engine touches no database; the only Django used is translation (and Django's own translated month
names), so the texts follow the active language when they are read.

The rule
--------
A panel of ``seats`` members is chosen from the eligible ones (all of them when there are fewer)
by comparing candidate panels on, in this order:

1. **the wants**: the total shortfall, ``sum(max(0, at_least - members with the background))``
   over the wanted backgrounds, counting the members already ``seated`` on the panel. A panel
   that meets more of the wants always wins, whatever the load.
2. **the cost**, in thousandths, the sum over the chosen members of
   - 1000 per panel sat on in the last 12 months (before now) and per panel said yes to that
     is still ahead, and 1000 more per other panel of this round said yes to, attended or
     invited to with no answer yet;
   - up to 1000 for recency: ``1000 * (1 - days since the last panel sat on / 365)``, 0 after
     a year;
   - 2000 per wanted background the member *already covered on an earlier panel of this round*,
     so that a round of six panels wanting substance use does not get it from one person six
     times;
   plus, for variety, for every pair on the panel (the ``seated`` ones included) 500 when both
   come from the same user organisation and 250 when both were born in the same decade.
3. **the member ids**, as the last tie-break: the search runs over the members sorted by id and
   keeps the first of equal panels it meets (preferring lower ids where it compares them), so the
   same input in any order gives the same answer, and among equal members the lower ids win.

How it is found
---------------
1. A shortlist: a member is left out when ``seats`` others each have every still-wanted
   background they have and cost at least 750 (one pair's variety) less; one of those can always
   take their place.
2. Two greedy panels (most unmet wants per seat; least cost per want) and one-for-one swaps to
   cheaper members give a first panel to beat.
3. A depth-first branch and bound: take the unmet want with the fewest members left to cover it,
   branch on who covers it next (one branch per *class* of members that would cover the same unmet
   wants, with the cheapest of the class; a class another, cheaper explored class covers is
   skipped), and last a branch where that want stays short. Bounds: the shortfall cannot fall by
   more than the best ``r`` gains or the per-want supply allow; the cost cannot be below the
   ``r`` cheapest loads left. Leaves are completed with the cheapest members by marginal cost.
4. One-for-one swaps again on the best panel found, for the variety the classes do not see.

The wants part is exact: the search for a smaller shortfall is never cut, and the benchmark checks
every instance against an exact solver (CP-SAT). The cost part is exact whenever the variety terms
are zero (checked against brute force); with variety it is a close heuristic (199 of 200 large
instances optimal in the benchmark). After ``_NODE_BUDGET`` nodes the search for a cheaper panel
with the same shortfall stops; the benchmark never reached it (at most ~320 nodes). A pool of 500
with all 10 backgrounds wanted takes about 10 ms (``bench/RESULTS.md``); a pool of 30, under 1 ms.

``rank_members`` orders every eligible member for the leader who wants to pick someone else:
first by how many of the still unmet wants they cover, then by the same cost (their load plus the
variety cost against the members already seated), then by id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from .data import (
    RECENCY_COST,
    RECENCY_DAYS,
    ROUND_REPEAT_COST,
    ROUND_SEAT_COST,
    SAME_AGE_COST,
    SAME_ORGANISATION_COST,
    SEAT_COST,
    PoolMember,
    Ranked,
    Reason,
    ReasonCode,
    Selection,
    Shortfall,
    Suggestion,
    Want,
)
from .problem import Problem
from .search import Search

__all__ = [
    "RECENCY_COST",
    "RECENCY_DAYS",
    "ROUND_REPEAT_COST",
    "ROUND_SEAT_COST",
    "SAME_AGE_COST",
    "SAME_ORGANISATION_COST",
    "SEAT_COST",
    "PoolMember",
    "Ranked",
    "Reason",
    "ReasonCode",
    "Selection",
    "Shortfall",
    "Suggestion",
    "Want",
    "rank_members",
    "suggest_panel",
]


# --- the public functions --------------------------------------------------------------------


def suggest_panel(
    *,
    members: Sequence[PoolMember],
    seats: int,
    wants: Sequence[Want],
    today: date,
    seated: Sequence[PoolMember] = (),
    labels: Mapping[str, str] | None = None,
) -> Selection:
    """Choose ``seats`` members (or all, if fewer are eligible) for one panel; see the module doc.

    ``seated`` are members already on this panel (accepted or invited): they count towards the
    wants and the variety and are never chosen again. ``wants`` apply to the whole panel, seated
    members included. ``labels`` maps background slugs to display names (default: the slug).
    The chosen members come in the order to invite them: those covering wants first.
    """
    if seats < 0:
        raise ValueError("seats must not be negative")
    problem = Problem(members=members, wants=wants, today=today, seated=seated)
    picked = Search(problem, min(seats, len(problem.members))).run()
    picked.sort(key=lambda index: problem.rank_key(index, problem.demand))
    chosen = tuple(problem.suggestion(index, labels) for index in picked)
    return Selection(
        chosen=chosen,
        shortfalls=problem.shortfalls(picked, labels),
        unfilled=seats - len(picked),
    )


def rank_members(
    *,
    members: Sequence[PoolMember],
    wants: Sequence[Want],
    today: date,
    seated: Sequence[PoolMember] = (),
    labels: Mapping[str, str] | None = None,
) -> list[Ranked]:
    """Every eligible member, best first: unmet wants covered, then cost, then id."""
    problem = Problem(members=members, wants=wants, today=today, seated=seated)
    order = sorted(range(len(problem.members)), key=lambda i: problem.rank_key(i, problem.demand))
    ranked = []
    for position, index in enumerate(order, start=1):
        suggestion = problem.suggestion(index, labels)
        ranked.append(
            Ranked(
                position=position,
                member_id=suggestion.member_id,
                covers=suggestion.covers,
                reasons=suggestion.reasons,
            )
        )
    return ranked
