"""Reads for the pool, panels and seats, always scoped through ``offices_for_user``."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from interviews.selectors import offices_for_user
from navpanel.cache_versions import cached, office_scopes

from .eligibility import eligible_representatives
from .enums import (
    BOOKING_STATUSES,
    SAT_STATUSES,
    PanelStatus,
    SeatStatus,
)
from .models import (
    BackgroundWant,
    ConflictOfInterest,
    Panel,
    Representative,
    Seat,
    SeatTransition,
    StaffInterviewer,
)
from .suggestions import (
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


class InvitedAt(TypedDict):
    """When an open invitation was made (its latest transition to *invited*)."""

    invited_at: datetime | None


if TYPE_CHECKING:
    # An open invitation as the dashboard and the reminder job read it.
    OpenInvitation = WithAnnotations[Seat, InvitedAt]


def representatives_for_user(user: User) -> QuerySet[Representative]:
    """Representatives in the pool of any office ``user`` may see."""
    return Representative.objects.filter(offices__in=offices_for_user(user)).distinct()


def panels_for_user(user: User) -> QuerySet[Panel]:
    """Panels of the rounds of the offices ``user`` may see."""
    return Panel.objects.filter(round__office__in=offices_for_user(user)).select_related(
        "round", "round__office"
    )


def seats_for_user(user: User) -> QuerySet[Seat]:
    return Seat.objects.filter(panel__round__office__in=offices_for_user(user))


def seat_can_be_answered(*, seat: Seat, now: datetime | None = None) -> bool:
    """An invited seat on a planned panel, before its answer deadline."""
    now = now or timezone.now()
    return (
        seat.status == SeatStatus.INVITED
        and seat.panel.status == PanelStatus.PLANNED
        and (seat.answer_by is None or now <= seat.answer_by)
    )


def seat_can_be_given_up(*, seat: Seat, now: datetime | None = None) -> bool:
    """An accepted seat on a planned panel that has not started: "I can't come after all"."""
    now = now or timezone.now()
    return (
        seat.status == SeatStatus.ACCEPTED
        and seat.panel.status == PanelStatus.PLANNED
        and now < seat.panel.starts_at
    )


def seat_ended_by(*, seat: Seat) -> str:
    """Who ended a seat that is over: the actor of its last transition ("leader",
    "representative", "system"), or "" for a seat still open."""
    if seat.status in BOOKING_STATUSES:
        return ""
    last = seat.transitions.order_by("-at", "-id").values_list("actor", flat=True).first()
    return last or ""


def seat_deadline_passed(*, seat: Seat, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return seat.status == SeatStatus.INVITED and seat.answer_by is not None and now > seat.answer_by


def invitation_deadline(*, panel: Panel, now: datetime) -> datetime:
    """The round's answer deadline, but never later than a day before the panel starts.

    When that day has already begun, the representative may answer until the panel starts:
    a deadline of "now" would let the invitation expire before anyone could read it.
    """
    deadline = min(
        now + timedelta(days=panel.round.answer_deadline_days),
        panel.starts_at - timedelta(days=1),
    )
    return deadline if deadline > now else panel.starts_at


def pool_members_for_panel(*, panel: Panel, now: datetime | None = None) -> list[PoolMember]:
    """The eligible representatives with the facts the suggestion engine weighs."""
    return _pool_for_panel(panel=panel, now=now)[0]


def _pool_for_panel(
    *, panel: Panel, now: datetime | None = None
) -> "tuple[list[PoolMember], dict[int, WithAnnotations[Representative, PoolFacts]]]":
    """The pool members and their representatives (backgrounds prefetched), loaded once."""
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
        eligible_representatives(panel=panel)
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
    people = {r.pk: r for r in representatives}
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
    return members, people


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


# --- the panel page ----------------------------------------------------------------------------


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
    # When the first seat ahead of someone listed starts: from then on it is a panel sat on,
    # and their reasons read differently.
    reasons_change_at: datetime | None = None


def invitation_halfway(seat: "OpenInvitation") -> datetime:
    """Half-way from an invitation to its answer deadline: the representative is reminded to
    answer then, and the leader's dashboard starts listing the invitation as waiting."""
    invited_at = seat.invited_at or seat.created_at
    if seat.answer_by is None:
        raise ValueError(f"Seat {seat.pk} is no open invitation: it has no answer deadline.")
    return invited_at + (seat.answer_by - invited_at) / 2


def _panel_scopes(panel: Panel) -> list[str]:
    """A panel's cached parts change with its office's data (a representative's seat in another
    office bumps this office too: ``navpanel.cache_versions.OFFICE_PATHS``)."""
    return office_scopes([panel.round.office_id])


def panel_seats(*, panel: Panel) -> list[Seat]:
    """Every seat of ``panel`` ever made, with its representative and history, oldest first.

    Cached (``navpanel.cache_versions``): the panel page polls its seats every 30 seconds
    while a leader waits for answers, and any change to a seat bumps the data version.
    """

    def compute() -> tuple[list[Seat], None]:
        seats = (
            panel.seats.select_related("representative")
            .prefetch_related(
                "representative__backgrounds",
                Prefetch("transitions", queryset=SeatTransition.objects.select_related("by")),
            )
            .order_by("id")
        )
        return list(seats), None

    return cached("panel-seats", (panel.pk,), compute, scopes=_panel_scopes(panel))


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
    consent. The seats already live on the panel count towards the wants and the variety.
    Cached (``navpanel.cache_versions``): the htmx poll and every reload of the panel page
    would otherwise rank the whole pool again.
    """
    now = now or timezone.now()

    def compute() -> tuple[PanelSuggestions, datetime]:
        # Time enters as today's date (ages, days since the last seat, the 12 months) and as
        # the start of a seat ahead (then it is past): the entry lasts until the next local
        # midnight or that start, or until any change to the data.
        tomorrow = timezone.localdate(now) + timedelta(days=1)
        midnight = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
        found = _panel_suggestions(panel=panel, seats=seats, wants=wants, now=now)
        return found, min(midnight, found.reasons_change_at or midnight)

    return cached("panel-suggestions", (panel.pk,), compute, scopes=_panel_scopes(panel), now=now)


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
    members, people = _pool_for_panel(panel=panel, now=now)
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
        reasons_change_at=min(
            (r.next_upcoming for r in people.values() if r.next_upcoming), default=None
        ),
    )


def panel_conflicts(*, panel: Panel) -> dict[int, list[Representative]]:
    """By interview id: the representatives on ``panel`` who declared a conflict of interest
    with that interview's candidate (and so must not sit on that interview).

    For the panel page of the office's leaders; representatives whose seat is over (declined,
    withdrawn…) are left out. Cached like ``panel_seats``.
    """
    return cached(
        "panel-conflicts",
        (panel.pk,),
        lambda: (_panel_conflicts(panel=panel), None),
        scopes=_panel_scopes(panel),
    )


def _panel_conflicts(*, panel: Panel) -> dict[int, list[Representative]]:
    conflicts = (
        ConflictOfInterest.objects.filter(
            candidate__interviews__panels=panel,
            representative__seats__panel=panel,
            representative__seats__status__in=BOOKING_STATUSES,
        )
        .values_list("candidate__interviews__id", "representative_id")
        .distinct()
    )
    people = {
        person.pk: person
        for person in Representative.objects.filter(pk__in={rep for _, rep in conflicts})
    }
    by_interview: dict[int, list[Representative]] = {}
    for interview_id, representative_id in conflicts:
        by_interview.setdefault(interview_id, []).append(people[representative_id])
    for names in by_interview.values():
        names.sort(key=lambda person: (person.name, person.pk))
    return by_interview


def office_staff_interviewers(*, office_id: int) -> list[dict[str, str]]:
    """The staff interviewers an office has had on its panels, one per email address, with the
    name and role they had most recently: the list a leader picks from (issue 18, point 3)."""
    people: dict[str, dict[str, str]] = {}
    for name, role, email in (
        StaffInterviewer.objects.filter(panel__round__office_id=office_id)
        .order_by("-id")
        .values_list("name", "role", "email")
    ):
        people.setdefault(email.casefold(), {"name": name, "role": role, "email": email})
    return sorted(people.values(), key=lambda person: person["name"].casefold())
