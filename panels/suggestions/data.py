"""The suggestion engine's plain data: what goes in, what comes out, the costs, and the texts
that explain a suggestion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
    # Panels sat on: seats accepted or attended whose panel started before now, never one ahead.
    seats_last_12_months: int = 0
    last_seat_on: date | None = None
    # Seats said yes to whose panel is still ahead: load, but not a panel sat on.
    upcoming_seats: int = 0
    # Other panels of the same round: said yes to (or attended), and invited with no answer yet.
    seats_this_round: int = 0
    invitations_this_round: int = 0
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
    LOAD = "load"  # count: past panels in the last 12 months; on: the last; upcoming: ahead
    ROUND_LOAD = "round_load"  # count: other panels of this round said yes to or attended
    ROUND_INVITED = "round_invited"  # count: other panels of this round invited to, no answer
    ROUND_REPEAT = "round_repeat"  # backgrounds: wanted ones already covered in this round


@dataclass(frozen=True)
class Reason:
    """One structured reason; ``text`` renders it in the active language when read."""

    code: ReasonCode
    backgrounds: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # display names of ``backgrounds``, same order
    count: int = 0
    on: date | None = None
    upcoming: int = 0

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
                "already on %(count)d other panel in this round",
                "already on %(count)d other panels in this round",
                self.count,
            ) % {"count": self.count}
        if self.code == ReasonCode.ROUND_INVITED:
            return ngettext(
                "invited to %(count)d other panel in this round, no answer yet",
                "invited to %(count)d other panels in this round, no answer yet",
                self.count,
            ) % {"count": self.count}
        return _load_text(self.count, self.on, self.upcoming)


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


def _load_text(count: int, on: date | None, upcoming: int = 0) -> str:
    """Panels sat on (before now), then any panel said yes to that is still ahead."""
    past = _past_text(count, on, upcoming)
    if not upcoming:
        return past
    return "; ".join(
        (
            past,
            ngettext(
                "said yes to %(count)d upcoming panel",
                "said yes to %(count)d upcoming panels",
                upcoming,
            )
            % {"count": upcoming},
        )
    )


def _past_text(count: int, on: date | None, upcoming: int) -> str:
    if on is None:
        if count == 0:
            # "Never" would read oddly beside a panel said yes to, still ahead.
            return gettext("not on a panel yet") if upcoming else gettext("never on a panel")
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
