"""The search for the best panel: a shortlist, greedy starts, branch and bound, swaps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .data import SAME_AGE_COST, SAME_ORGANISATION_COST
from .problem import Problem

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


class Search:
    def __init__(self, problem: Problem, size: int) -> None:
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
        kept: list[int] = []
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
            best_key: tuple[float, float, int] | None = None
            best_index = -1
            for index in self.by_cost:
                if index in picked:
                    continue
                gain = (masks[index] & unmet).bit_count()
                marginal = self._marginal(index, picked)
                key: tuple[float, float, int]
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
