"""The panel page's suggestions, read from the database: the eligible pool with the facts the
engine weighs (this package's ``suggest_panel`` and ``rank_members``, which touch no database),
the wanted backgrounds' coverage, and who is left out only by the office's cap."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from navpanel.cache_versions import cached

from ..eligibility import eligible_but_for_the_cap
from ..enums import BOOKING_STATUSES, SAT_STATUSES, SeatStatus
from ..models import BackgroundWant, Panel, Representative, Seat
from ..selectors import panel_cache_scopes
from . import (
    PoolMember,
    Ranked,
    Selection,
    Suggestion,
    Want,
    rank_members,
    suggest_panel,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class PoolFacts(TypedDict):
    """What ``_pool_for_panel`` counts for each representative of the pool."""

    seats_12m: int
    last_seat: datetime | None
    upcoming: int
    next_upcoming: datetime | None
    seats_round: int
    invited_round: int
    # From ``eligible_but_for_the_cap``: False for someone left out only by the office's cap.
    under_cap: bool


if TYPE_CHECKING:
    # A representative of the pool as ``_pool_for_panel`` reads them.
    PoolPerson = WithAnnotations[Representative, PoolFacts]


def pool_members_for_panel(*, panel: Panel, now: datetime | None = None) -> list[PoolMember]:
    """The eligible representatives with the facts the suggestion engine weighs."""
    return _pool_for_panel(panel=panel, now=now)[0]


def _pool_for_panel(
    *, panel: Panel, now: datetime | None = None
) -> "tuple[list[PoolMember], dict[int, PoolPerson], list[Representative]]":
    """The pool members and their representatives (backgrounds prefetched), and, by name,
    those left out only by the office's cap: one query for both (``eligible_but_for_the_cap``)."""
    now = now or timezone.now()
    # From the start of the same date a year ago: a count that changes at midnight only.
    year_ago = timezone.make_aware(
        datetime.combine(timezone.localdate(now) - timedelta(days=365), datetime.min.time())
    )
    # "Past" is before now: a seat said yes to for next month is upcoming, not a panel sat on.
    sat = Q(seats__status__in=SAT_STATUSES, seats__starts_at__lt=now)
    ahead = Q(seats__status=SeatStatus.ACCEPTED, seats__starts_at__gte=now)
    this_round = Q(seats__panel__round=panel.round_id)
    representatives = (
        eligible_but_for_the_cap(panel=panel)
        .prefetch_related("backgrounds")
        .annotate(
            seats_12m=Count("seats", filter=sat & Q(seats__starts_at__gte=year_ago)),
            last_seat=Max("seats__starts_at", filter=sat),
            upcoming=Count("seats", filter=ahead),
            next_upcoming=Min("seats__starts_at", filter=ahead),
            seats_round=Count("seats", filter=this_round & Q(seats__status__in=SAT_STATUSES)),
            invited_round=Count("seats", filter=this_round & Q(seats__status=SeatStatus.INVITED)),
        )
    )
    covered: dict[int, set[str]] = {}
    for rep_id, snapshot in Seat.objects.filter(
        panel__round=panel.round_id, status__in=SAT_STATUSES
    ).values_list("representative_id", "backgrounds_snapshot"):
        covered.setdefault(rep_id, set()).update(snapshot)
    found = cast("list[PoolPerson]", list(representatives))
    people = {r.pk: r for r in found if r.under_cap}
    over_cap: list[Representative] = [r for r in found if not r.under_cap]
    over_cap.sort(key=lambda r: (r.name.casefold(), r.pk))
    members = [
        PoolMember(
            id=r.pk,
            backgrounds=frozenset(b.slug for b in r.backgrounds.all()),
            birth_year=r.birth_year,
            organisation=r.organisation,
            seats_last_12_months=r.seats_12m,
            last_seat_on=_local_date(r.last_seat),
            upcoming_seats=r.upcoming,
            seats_this_round=r.seats_round,
            invitations_this_round=r.invited_round,
            backgrounds_covered_this_round=frozenset(covered.get(r.pk, ())),
        )
        for r in people.values()
    ]
    return members, people, over_cap


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


@dataclass(frozen=True)
class WantCoverage:
    """How far one wanted background is covered by the panel's seats."""

    label: str
    at_least: int
    accepted: int
    invited: int

    @property
    def met(self) -> bool:
        return self.accepted >= self.at_least

    @property
    def met_if_accepted(self) -> bool:
        """Met once the representatives invited so far say yes."""
        return self.accepted + self.invited >= self.at_least


@dataclass(frozen=True)
class PanelSuggestions:
    """What the leader sees to fill the free seats: the suggested panel and everyone else."""

    free_seats: int
    selection: Selection
    suggested: list[tuple[Representative, Suggestion]]
    others: list[tuple[Representative, Ranked]]
    # Who would be eligible but for the office's cap, by name: the leader may still invite
    # them, ticking "Invite anyway" (issue 18).
    over_cap: list[Representative]
    # When the first seat ahead of someone listed starts: from then on it is a panel sat on,
    # and their reasons read differently.
    reasons_change_at: datetime | None = None


def _seat_backgrounds(seat: Seat) -> frozenset[str]:
    """An accepted seat counts with the snapshot taken when it was accepted; an invited one
    with what the representative has now."""
    if seat.status in SAT_STATUSES:
        return frozenset(seat.backgrounds_snapshot)
    if seat.representative is None:
        return frozenset()
    return frozenset(b.slug for b in seat.representative.backgrounds.all())


def panel_wants(*, panel: Panel) -> list[BackgroundWant]:
    return list(
        BackgroundWant.objects.filter(round_id=panel.round_id)
        .select_related("background")
        .order_by("background__order", "background__name")
    )


def panel_want_coverage(
    *, seats: Sequence[Seat], wants: Sequence[BackgroundWant]
) -> list[WantCoverage]:
    """For each wanted background: how many accepted and how many invited seats have it."""
    coverage = []
    for want in wants:
        slug = want.background.slug
        accepted = sum(
            1 for seat in seats if seat.status in SAT_STATUSES and slug in _seat_backgrounds(seat)
        )
        invited = sum(
            1
            for seat in seats
            if seat.status == SeatStatus.INVITED and slug in _seat_backgrounds(seat)
        )
        coverage.append(
            WantCoverage(
                label=want.background.label,
                at_least=want.at_least,
                accepted=accepted,
                invited=invited,
            )
        )
    return coverage


def panel_suggestions(
    *,
    panel: Panel,
    seats: Sequence[Seat],
    wants: Sequence[BackgroundWant],
    now: datetime | None = None,
) -> PanelSuggestions:
    """Who to invite to the free seats, with reasons, and every other eligible representative.

    Only eligible representatives appear (``eligible_representatives``): never one awaiting
    consent; those at the office's cap are listed apart (``PanelSuggestions.over_cap``). The
    seats already live on the panel count towards the wants and the variety.
    Cached (``navpanel.cache_versions``): the htmx poll and every reload of the panel page
    would otherwise rank the whole pool again.
    """
    now = now or timezone.now()

    def compute() -> tuple[PanelSuggestions, datetime]:
        found = _panel_suggestions(panel=panel, seats=seats, wants=wants, now=now)
        return found, suggestions_valid_until(found, now=now)

    return cached(
        "panel-suggestions", (panel.pk,), compute, scopes=panel_cache_scopes(panel), now=now
    )


def suggestions_valid_until(suggestions: PanelSuggestions, *, now: datetime) -> datetime:
    """Until when ``suggestions`` hold by the clock alone. Time enters as today's date (ages,
    days since the last seat, the 12 months) and as the start of a seat ahead (then it is
    past): they hold until the next local midnight or that start, or any change to the data."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    midnight = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    return min(midnight, suggestions.reasons_change_at or midnight)


def _panel_suggestions(
    *,
    panel: Panel,
    seats: Sequence[Seat],
    wants: Sequence[BackgroundWant],
    now: datetime,
) -> PanelSuggestions:
    live = [s for s in seats if s.status in BOOKING_STATUSES and s.representative is not None]
    free_seats = max(0, panel.seats_wanted - len(live))
    seated = [
        PoolMember(
            id=seat.holder().pk,
            backgrounds=_seat_backgrounds(seat),
            birth_year=seat.holder().birth_year,
            organisation=seat.holder().organisation,
        )
        for seat in live
    ]
    members, people, over_cap = _pool_for_panel(panel=panel, now=now)
    # Someone taken off this panel, or who said they cannot come after all, is never its
    # suggestion again (nor pre-ticked); the leader may still choose them from the others.
    ended_here = {
        s.representative_id
        for s in seats
        if s.status == SeatStatus.CANCELLED and s.representative_id
    }
    # Labels from the backgrounds already loaded (the pool's and the wants'), not a query more.
    labels = {b.slug: b.label for r in people.values() for b in r.backgrounds.all()}
    labels.update({w.background.slug: w.background.label for w in wants})
    engine_wants = [Want(background=w.background.slug, at_least=w.at_least) for w in wants]
    today = timezone.localdate(now)
    selection = suggest_panel(
        members=[member for member in members if member.id not in ended_here],
        seats=free_seats,
        wants=engine_wants,
        today=today,
        seated=seated,
        labels=labels,
    )
    ranked = rank_members(
        members=members, wants=engine_wants, today=today, seated=seated, labels=labels
    )
    chosen = set(selection.member_ids)
    return PanelSuggestions(
        free_seats=free_seats,
        selection=selection,
        suggested=[(people[s.member_id], s) for s in selection.chosen],
        others=[(people[r.member_id], r) for r in ranked if r.member_id not in chosen],
        over_cap=over_cap,
        reasons_change_at=min(
            (r.next_upcoming for r in people.values() if r.next_upcoming), default=None
        ),
    )
