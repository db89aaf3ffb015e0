"""Which representatives to suggest for a panel, and why: a pure function over plain data.

The caller (a selector) passes only the *eligible* members of the office's pool: in the pool, with
valid consent, active, not booked at an overlapping time, not declined in this round, no conflict
of interest. Nothing here touches the database; the only Django used is translation (and Django's
own translated month names), so the texts follow the active language when they are read.

The rule
--------
A panel of ``seats`` members is chosen from the eligible ones (all of them when there are fewer)
by comparing candidate panels on, in this order:

1. **the wants**: the total shortfall, ``sum(max(0, at_least - members with the background))``
   over the wanted backgrounds, counting the members already ``seated`` on the panel. A panel
   that meets more of the wants always wins, whatever the load.
2. **the cost**, in thousandths, the sum over the chosen members of
   - 1000 per seat in the last 12 months, and 1000 more per seat already held in this round;
   - up to 1000 for recency: ``1000 * (1 - days since the last seat / 365)``, 0 after a year;
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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.utils.dates import MONTHS
from django.utils.translation import gettext, ngettext

# Costs, in thousandths of "one seat".
SEAT_COST = 1000
ROUND_SEAT_COST = 1000
RECENCY_COST = 1000
RECENCY_DAYS = 365
ROUND_REPEAT_COST = 2000
SAME_ORGANISATION_COST = 500
SAME_AGE_COST = 250


# --- plain data in ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolMember:
    """One eligible representative, as the suggestion engine sees them."""

    id: int
    backgrounds: frozenset[str] = frozenset()
    birth_year: int | None = None
    organisation: str = ""
    seats_last_12_months: int = 0
    last_seat_on: date | None = None
    seats_this_round: int = 0
    # Wanted backgrounds this member covered on earlier panels of the same round.
    backgrounds_covered_this_round: frozenset[str] = frozenset()
    # The caller filters these out already; the engine guards it too.
    declined_this_round: bool = False


@dataclass(frozen=True)
class Want:
    """At least ``at_least`` seats of the panel with ``background`` (a background slug)."""

    background: str
    at_least: int = 1


# --- plain data out --------------------------------------------------------------------------


class ReasonCode(StrEnum):
    COVERS = "covers"  # backgrounds: the wanted backgrounds the member has
    LOAD = "load"  # count: seats in the last 12 months; on: the last seat
    ROUND_LOAD = "round_load"  # count: seats already held in this round
    ROUND_REPEAT = "round_repeat"  # backgrounds: wanted ones already covered in this round


@dataclass(frozen=True)
class Reason:
    """One structured reason; ``text`` renders it in the active language when read."""

    code: ReasonCode
    backgrounds: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # display names of ``backgrounds``, same order
    count: int = 0
    on: date | None = None

    @property
    def text(self) -> str:
        if self.code == ReasonCode.COVERS:
            # Translators: why a representative is suggested, e.g. "covers substance use and
            # young adult"; the backgrounds are the administrator's labels, joined by "and".
            return gettext("covers %(backgrounds)s") % {"backgrounds": _join(self.labels)}
        if self.code == ReasonCode.ROUND_REPEAT:
            return gettext("already covered %(backgrounds)s in this round") % {
                "backgrounds": _join(self.labels)
            }
        if self.code == ReasonCode.ROUND_LOAD:
            return ngettext(
                "already %(count)d panel in this round",
                "already %(count)d panels in this round",
                self.count,
            ) % {"count": self.count}
        return _load_text(self.count, self.on)


@dataclass(frozen=True)
class Suggestion:
    member_id: int
    covers: frozenset[str]
    reasons: tuple[Reason, ...]

    @property
    def text(self) -> str:
        """e.g. "covers substance use and young adult; 1 panel in the last 12 months, ..."."""
        return "; ".join(reason.text for reason in self.reasons)


@dataclass(frozen=True)
class Ranked:
    position: int  # 1 is the first to ask
    member_id: int
    covers: frozenset[str]
    reasons: tuple[Reason, ...]

    @property
    def text(self) -> str:
        return "; ".join(reason.text for reason in self.reasons)


@dataclass(frozen=True)
class Shortfall:
    """A want the panel does not meet: ``short_by`` more seats with ``background`` were wanted."""

    background: str
    wanted: int
    short_by: int
    label: str = ""

    @property
    def text(self) -> str:
        # Translators: a wanted background the panel does not get, e.g. "substance use: 1 short".
        return gettext("%(background)s: %(count)d short") % {
            "background": self.label or self.background,
            "count": self.short_by,
        }


@dataclass(frozen=True)
class Selection:
    chosen: tuple[Suggestion, ...]
    shortfalls: tuple[Shortfall, ...] = ()
    unfilled: int = 0  # seats left empty because too few members are eligible

    @property
    def wants_met(self) -> bool:
        return not self.shortfalls

    @property
    def member_ids(self) -> tuple[int, ...]:
        return tuple(suggestion.member_id for suggestion in self.chosen)


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
    problem = _Problem(members=members, wants=wants, today=today, seated=seated)
    picked = _Search(problem, min(seats, len(problem.members))).run()
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
    problem = _Problem(members=members, wants=wants, today=today, seated=seated)
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


# --- texts -----------------------------------------------------------------------------------


def _join(items: Sequence[str]) -> str:
    """Join labels as "a", "a and b" or "a, b and c", in the active language."""
    texts = [str(item) for item in items]
    if len(texts) <= 1:
        return "".join(texts)
    # Translators: joins a list, e.g. "mental health, substance use and young adult".
    return gettext("%(first)s and %(last)s") % {
        "first": ", ".join(texts[:-1]),
        "last": texts[-1],
    }


def _load_text(count: int, on: date | None) -> str:
    if on is None:
        if count == 0:
            return gettext("never on a panel")
        return ngettext(
            "%(count)d panel in the last 12 months",
            "%(count)d panels in the last 12 months",
            count,
        ) % {"count": count}
    # Django's own translated month names: "March" in English, "mars" in Norwegian.
    values = {"count": count, "month": str(MONTHS[on.month]), "year": on.year}
    if count == 0:
        return gettext("no panels in the last 12 months, last in %(month)s %(year)d") % values
    return (
        ngettext(
            "%(count)d panel in the last 12 months, last in %(month)s %(year)d",
            "%(count)d panels in the last 12 months, last in %(month)s %(year)d",
            count,
        )
        % values
    )


# --- the problem, normalised -----------------------------------------------------------------


def _pair_cost(a: PoolMember, b: PoolMember) -> int:
    cost = 0
    if a.organisation and a.organisation == b.organisation:
        cost += SAME_ORGANISATION_COST
    if a.birth_year is not None and b.birth_year is not None:
        if a.birth_year // 10 == b.birth_year // 10:
            cost += SAME_AGE_COST
    return cost


def _merge_wants(wants: Iterable[Want]) -> dict[str, int]:
    """One entry per background, in first-seen order; a repeated background keeps the largest."""
    merged: dict[str, int] = {}
    for want in wants:
        if want.at_least < 1:
            raise ValueError(f"a want needs at_least >= 1, not {want.at_least}")
        merged[want.background] = max(merged.get(want.background, 0), want.at_least)
    return merged


class _Problem:
    """The eligible members sorted by id, with their want masks and integer costs."""

    def __init__(
        self,
        *,
        members: Sequence[PoolMember],
        wants: Sequence[Want],
        today: date,
        seated: Sequence[PoolMember],
    ) -> None:
        seated_ids = {member.id for member in seated}
        ids = [member.id for member in members]
        if len(set(ids)) != len(ids):
            raise ValueError("members must have distinct ids")
        self.members: list[PoolMember] = sorted(
            (m for m in members if not m.declined_this_round and m.id not in seated_ids),
            key=lambda m: m.id,
        )
        merged = _merge_wants(wants)
        self.wanted: tuple[str, ...] = tuple(merged)
        self.need: tuple[int, ...] = tuple(merged.values())
        self.seated_count: tuple[int, ...] = tuple(
            sum(1 for member in seated if background in member.backgrounds)
            for background in self.wanted
        )
        self.demand: tuple[int, ...] = tuple(
            max(0, need - have) for need, have in zip(self.need, self.seated_count, strict=True)
        )
        self.masks: list[int] = [self._mask(member.backgrounds) for member in self.members]
        wanted_set = frozenset(self.wanted)
        self.costs: list[int] = [
            self._load(member, today, wanted_set) + sum(_pair_cost(member, s) for s in seated)
            for member in self.members
        ]

    def _mask(self, backgrounds: frozenset[str]) -> int:
        mask = 0
        for bit, background in enumerate(self.wanted):
            if background in backgrounds:
                mask |= 1 << bit
        return mask

    @staticmethod
    def _load(member: PoolMember, today: date, wanted: frozenset[str]) -> int:
        cost = SEAT_COST * member.seats_last_12_months + ROUND_SEAT_COST * member.seats_this_round
        if member.last_seat_on is not None:
            days = (today - member.last_seat_on).days
            if days < RECENCY_DAYS:
                cost += RECENCY_COST * (RECENCY_DAYS - max(days, 0)) // RECENCY_DAYS
        repeats = member.backgrounds_covered_this_round & member.backgrounds & wanted
        return cost + ROUND_REPEAT_COST * len(repeats)

    def shortfall_of(self, picked: Sequence[int]) -> int:
        total = 0
        for bit, need in enumerate(self.demand):
            if need:
                have = sum(1 for index in picked if self.masks[index] >> bit & 1)
                total += max(0, need - have)
        return total

    def cost_of(self, picked: Sequence[int]) -> int:
        ordered = sorted(picked)
        total = sum(self.costs[index] for index in ordered)
        for position, i in enumerate(ordered):
            for j in ordered[position + 1 :]:
                total += _pair_cost(self.members[i], self.members[j])
        return total

    def rank_key(self, index: int, demand: Sequence[int]) -> tuple[int, int, int]:
        gain = sum(1 for bit, need in enumerate(demand) if need and self.masks[index] >> bit & 1)
        return (-gain, self.costs[index], self.members[index].id)

    def shortfalls(
        self, picked: Sequence[int], labels: Mapping[str, str] | None
    ) -> tuple[Shortfall, ...]:
        result = []
        for bit, background in enumerate(self.wanted):
            have = self.seated_count[bit] + sum(
                1 for index in picked if self.masks[index] >> bit & 1
            )
            if have < self.need[bit]:
                result.append(
                    Shortfall(
                        background=background,
                        wanted=self.need[bit],
                        short_by=self.need[bit] - have,
                        label=_label(background, labels),
                    )
                )
        return tuple(result)

    def suggestion(self, index: int, labels: Mapping[str, str] | None) -> Suggestion:
        member = self.members[index]
        covers = tuple(b for b in self.wanted if b in member.backgrounds)
        reasons = []
        if covers:
            reasons.append(
                Reason(
                    code=ReasonCode.COVERS,
                    backgrounds=covers,
                    labels=tuple(_label(b, labels) for b in covers),
                )
            )
        reasons.append(
            Reason(code=ReasonCode.LOAD, count=member.seats_last_12_months, on=member.last_seat_on)
        )
        if member.seats_this_round:
            reasons.append(Reason(code=ReasonCode.ROUND_LOAD, count=member.seats_this_round))
        repeats = tuple(b for b in covers if b in member.backgrounds_covered_this_round)
        if repeats:
            reasons.append(
                Reason(
                    code=ReasonCode.ROUND_REPEAT,
                    backgrounds=repeats,
                    labels=tuple(_label(b, labels) for b in repeats),
                )
            )
        return Suggestion(member_id=member.id, covers=frozenset(covers), reasons=tuple(reasons))


def _label(background: str, labels: Mapping[str, str] | None) -> str:
    if labels is None:
        return background
    return labels.get(background, background)


# --- the search ------------------------------------------------------------------------------

# Nodes searched for a cheaper panel with the same shortfall; the search for a smaller shortfall
# is never cut. A few hundred are enough for the panels an office has; see the module docstring.
_NODE_BUDGET = 1000
# Up to this many wanted backgrounds, the shortlist is computed over all their subsets.
_SUBSET_TABLE_BITS = 12


@dataclass
class _Profile:
    """The shortlisted members sharing one want mask, cheapest first."""

    mask: int
    bits: tuple[int, ...]
    members: list[int]
    taken: int = 0  # the branch has taken the first ``taken`` of them
    forbidden: bool = False  # an earlier sibling branch had the cheapest of its class


@dataclass
class _Best:
    shortfall: int = 1 << 60
    cost: int = 1 << 60
    picked: list[int] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)


class _Search:
    def __init__(self, problem: _Problem, size: int) -> None:
        self.p = problem
        self.size = size
        self.width = len(problem.demand)
        shortlist = self._shortlist()
        by_mask: dict[int, list[int]] = {}
        for index in shortlist:
            by_mask.setdefault(problem.masks[index], []).append(index)
        self.profiles = [
            _Profile(
                mask=mask,
                bits=tuple(b for b in range(self.width) if mask >> b & 1),
                members=sorted(group, key=self._cost_key),
            )
            for mask, group in sorted(by_mask.items())
        ]
        self.by_cost = sorted(shortlist, key=self._cost_key)
        self.bits = [tuple(b for b in range(self.width) if mask >> b & 1) for mask in problem.masks]
        self.organisations = [member.organisation for member in problem.members]
        self.decades = [
            None if member.birth_year is None else member.birth_year // 10
            for member in problem.members
        ]
        self.nodes = 0
        self.picked: list[int] = []
        self.best = _Best()

    def _cost_key(self, index: int) -> tuple[int, int]:
        return (self.p.costs[index], self.p.members[index].id)

    def _shortlist(self) -> list[int]:
        """Leave out whoever ``size`` others beat on both counts, by more than one pair's variety.

        Member y beats x when y has every still-wanted background x has and costs at least
        ``SAME_ORGANISATION_COST + SAME_AGE_COST`` less. A member beaten by ``size`` others is
        never needed: in any panel with x, one of them is free to take x's place, with no fewer
        wants met and a lower load. (The margin keeps the variety choices among near-equals.)
        """
        masks = self.p.masks
        costs = self.p.costs
        unmet = 0
        for bit, need in enumerate(self.p.demand):
            if need:
                unmet |= 1 << bit
        margin = SAME_ORGANISATION_COST + SAME_AGE_COST
        k = self.size
        if k == 0:
            return []
        groups: dict[int, list[int]] = {}
        for index, mask in enumerate(masks):
            groups.setdefault(mask & unmet, []).append(index)
        for group in groups.values():
            group.sort(key=lambda i: costs[i])
        # cheapest[m]: the k lowest costs among members with every background of m.
        cheapest: dict[int, list[int]] = {}
        width = self.width
        if width <= _SUBSET_TABLE_BITS:
            table: list[list[int]] = [[] for _ in range(1 << width)]
            for mask, group in groups.items():
                table[mask] = [costs[i] for i in group[:k]]
            for bit in range(width):
                flag = 1 << bit
                for mask in range(1 << width):
                    if not mask & flag:
                        upper = table[mask | flag]
                        if upper:
                            lower = table[mask]
                            table[mask] = sorted(lower + upper)[:k] if lower else upper
            cheapest = {mask: table[mask] for mask in groups}
        else:
            for mask in groups:
                pooled = sorted(
                    costs[i]
                    for other, group in groups.items()
                    if other & mask == mask
                    for i in group[:k]
                )
                cheapest[mask] = pooled[:k]
        kept = []
        for mask, group in groups.items():
            lows = cheapest[mask]
            threshold = lows[k - 1] if len(lows) >= k else 1 << 60
            kept.extend(i for i in group if costs[i] - margin < threshold)
        return sorted(kept)

    def run(self) -> list[int]:
        if self.size == 0:
            return []
        self._greedy(by_ratio=False)
        self._greedy(by_ratio=True)
        self._improve()
        self.nodes = 0
        self._node(list(self.p.demand), self.profiles, given_up=0, cost=0)
        self._improve()  # the search takes the cheapest of a class by load; variety may differ
        return list(self.best.picked)

    def _greedy(self, *, by_ratio: bool) -> None:
        """A first panel to beat: the most unmet wants per seat, or the least cost per want."""
        masks = self.p.masks
        demand = list(self.p.demand)
        picked: list[int] = []
        for _ in range(self.size):
            unmet = _unmet_mask(demand)
            best_key: tuple[float, int, int] | None = None
            best_index = -1
            for index in self.by_cost:
                if index in picked:
                    continue
                gain = (masks[index] & unmet).bit_count()
                marginal = self._marginal(index, picked)
                if by_ratio:
                    key = (0.0 if gain else 1.0, marginal / gain if gain else marginal, index)
                else:
                    key = (-gain, marginal, index)
                if best_key is None or key < best_key:
                    best_key, best_index = key, index
            picked.append(best_index)
            for bit in self.bits[best_index]:
                if demand[bit]:
                    demand[bit] -= 1
        self._offer(picked)

    def _marginal(self, index: int, picked: Sequence[int]) -> int:
        """What adding ``index`` to ``picked`` costs: its load and the variety it spoils."""
        total = self.p.costs[index]
        organisation = self.organisations[index]
        decade = self.decades[index]
        for other in picked:
            if organisation and organisation == self.organisations[other]:
                total += SAME_ORGANISATION_COST
            if decade is not None and decade == self.decades[other]:
                total += SAME_AGE_COST
        return total

    def _offer(self, picked: list[int]) -> None:
        shortfall = self.p.shortfall_of(picked)
        if shortfall > self.best.shortfall:
            return
        cost = self.p.cost_of(picked)
        ids = sorted(self.p.members[i].id for i in picked)
        if (shortfall, cost, ids) < (self.best.shortfall, self.best.cost, self.best.ids):
            self.best = _Best(shortfall=shortfall, cost=cost, picked=list(picked), ids=ids)

    def _improve(self) -> None:
        """Swap one member at a time for a cheaper one while no want gets less met."""
        improved = True
        while improved:
            improved = False
            picked = self.best.picked
            for position, out in enumerate(picked):
                others = picked[:position] + picked[position + 1 :]
                saving = self._marginal(out, others)
                for index in self.by_cost:
                    if self.p.costs[index] >= saving:
                        break  # the variety cost is never negative
                    if index in picked or self._marginal(index, others) >= saving:
                        continue
                    trial = [*others, index]
                    if self.p.shortfall_of(trial) <= self.best.shortfall:
                        self._offer(trial)
                        improved = True
                        break
                if improved:
                    break

    def _fill(self, count: int) -> list[int]:
        """The cheapest ``count`` more members by marginal cost (load plus variety)."""
        picked = list(self.picked)
        chosen = set(picked)
        for _ in range(count):
            best_index, best_cost = -1, 1 << 60
            for index in self.by_cost:
                if self.p.costs[index] >= best_cost:
                    break  # the variety cost is never negative: nobody later can do better
                if index in chosen:
                    continue
                marginal = self._marginal(index, picked)
                if marginal < best_cost:
                    best_index, best_cost = index, marginal
            picked.append(best_index)
            chosen.add(best_index)
        return picked

    def _cheapest(self, count: int) -> int:
        """The lowest total load of ``count`` members not yet on the panel."""
        total = 0
        for index in self.by_cost:
            if count <= 0:
                break
            if index not in self.picked:
                total += self.p.costs[index]
                count -= 1
        return total

    def _node(
        self, demand: list[int], relevant: list[_Profile], *, given_up: int, cost: int
    ) -> None:
        """Search below a partial panel. ``relevant``: the profiles that cover some unmet want."""
        self.nodes += 1
        left = self.size - len(self.picked)
        unmet = _unmet_mask(demand)
        if left == 0 or unmet == 0:
            self._offer(self._fill(left))
            return

        # The members left in this branch that could still cover something, and the bounds.
        relevant = [profile for profile in relevant if profile.mask & unmet]
        available: list[_Profile] = []
        supply = [0] * len(demand)
        gains: list[int] = []
        for profile in relevant:
            count = len(profile.members) - profile.taken
            if profile.forbidden or not count:
                continue
            available.append(profile)
            for bit in profile.bits:
                supply[bit] += count
            gains.extend([(profile.mask & unmet).bit_count()] * min(count, left))
        gains.sort(reverse=True)
        coverable = min(
            sum(gains[:left]),
            sum(min(need, left, supply[bit]) for bit, need in enumerate(demand)),
        )
        least_shortfall = given_up + sum(demand) - coverable
        if least_shortfall > self.best.shortfall:
            return
        # Past the node budget only a smaller shortfall is searched for: the wants stay exact.
        cost_mode = least_shortfall == self.best.shortfall
        if cost_mode and self.nodes > _NODE_BUDGET:
            return
        rest = self._cheapest(left - 1)  # the least the other seats can cost
        if cost_mode and cost + self._cheapest(left) >= self.best.cost:
            return

        # Branch on the unmet want with the fewest members left to cover it: one branch per class
        # of members who would cover the same unmet wants, with the cheapest of the class.
        bit = min((b for b in range(len(demand)) if demand[b]), key=lambda b: (supply[b], b))
        classes: dict[int, list[_Profile]] = {}
        for profile in available:
            if profile.mask >> bit & 1:
                classes.setdefault(profile.mask & unmet, []).append(profile)
        options = []
        for residual, group in classes.items():
            head = min(group, key=lambda pr: self._cost_key(pr.members[pr.taken]))
            key = self._cost_key(head.members[head.taken])
            options.append((0 if cost_mode else -residual.bit_count(), *key, residual, head, group))
        # Most wants first; when only the cost can still improve, the cheapest first, and the
        # rest are cut as soon as one alone costs too much (any of their members would too).
        options.sort(key=lambda option: option[:3])
        closed: list[_Profile] = []
        explored: list[tuple[int, int]] = []
        for _gain, member_cost, _id, residual, head, group in options:
            too_dear = cost_mode and cost + member_cost + rest >= self.best.cost
            # A class whose wants a cheaper, explored class covers too is never needed: in
            # a panel with one of its members, that class's cheapest can take their place.
            dominated = any(
                mask & residual == residual and dear <= member_cost for mask, dear in explored
            )
            if not too_dear and not dominated:
                index = head.members[head.taken]
                added = self._marginal(index, self.picked)
                head.taken += 1
                self.picked.append(index)
                after = list(demand)
                for b in head.bits:
                    if after[b]:
                        after[b] -= 1
                self._node(after, relevant, given_up=given_up, cost=cost + added)
                self.picked.pop()
                head.taken -= 1
                explored.append((residual, member_cost))
            # Later branches leave this class out: the branch above had its cheapest.
            for profile in group:
                profile.forbidden = True
                closed.append(profile)
        # Last, the branch where nobody more with this background is taken.
        short = demand[bit]
        demand[bit] = 0
        self._node(demand, relevant, given_up=given_up + short, cost=cost)
        demand[bit] = short
        for profile in closed:
            profile.forbidden = False


def _unmet_mask(demand: Sequence[int]) -> int:
    mask = 0
    for bit, need in enumerate(demand):
        if need:
            mask |= 1 << bit
    return mask
