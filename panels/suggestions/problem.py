"""One suggestion problem: the members' wants, loads and costs, and the texts that explain them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
    Reason,
    ReasonCode,
    Shortfall,
    Suggestion,
    Want,
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


class Problem:
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
        cost = SEAT_COST * (member.seats_last_12_months + member.upcoming_seats)
        cost += ROUND_SEAT_COST * (member.seats_this_round + member.invitations_this_round)
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
            Reason(
                code=ReasonCode.LOAD,
                count=member.seats_last_12_months,
                on=member.last_seat_on,
                upcoming=member.upcoming_seats,
            )
        )
        if member.seats_this_round:
            reasons.append(Reason(code=ReasonCode.ROUND_LOAD, count=member.seats_this_round))
        if member.invitations_this_round:
            reasons.append(
                Reason(code=ReasonCode.ROUND_INVITED, count=member.invitations_this_round)
            )
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
