"""What needs the leader's action, for the offices a user sees (reads only).

Each list is one query however many items it holds, so the dashboard stays fast as an office
runs more rounds. HR sees the same lists, read-only.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet

from interviews.enums import RoundState
from interviews.models import HiringRound, Office

from .enums import PanelStatus, SeatStatus
from .models import Panel, Seat


@dataclass(frozen=True)
class DashboardActions:
    short_panels: list[Panel]
    waiting_invitations: list[Seat]
    attendance_to_mark: list[Panel]
    rounds_without_panel: list[HiringRound]

    @property
    def count(self) -> int:
        return (
            len(self.short_panels)
            + len(self.waiting_invitations)
            + len(self.attendance_to_mark)
            + len(self.rounds_without_panel)
        )


def short_panels(*, offices: QuerySet[Office], now: datetime) -> list[Panel]:
    """Upcoming planned panels with fewer accepted representatives than seats, soonest first.

    Each carries ``accepted`` and ``invited`` counts.
    """
    return list(
        Panel.objects.filter(
            round__office__in=offices,
            status=PanelStatus.PLANNED,
            starts_at__gt=now,
        )
        .exclude(round__state=RoundState.CLOSED)
        .annotate(
            accepted=Count("seats", filter=Q(seats__status=SeatStatus.ACCEPTED)),
            invited=Count("seats", filter=Q(seats__status=SeatStatus.INVITED)),
        )
        .filter(accepted__lt=F("seats_wanted"))
        .select_related("round", "round__office")
        .order_by("starts_at", "id")
    )


def waiting_invitations(*, offices: QuerySet[Office], now: datetime) -> list[Seat]:
    """Invitations without an answer when half the time to answer has passed (or all of it,
    before the expiry sweep has run), the most urgent first. Each carries ``invited_at``."""
    seats = (
        Seat.objects.filter(
            panel__round__office__in=offices,
            panel__status=PanelStatus.PLANNED,
            status=SeatStatus.INVITED,
            answer_by__isnull=False,
        )
        .annotate(
            invited_at=Max("transitions__at", filter=Q(transitions__to_status=SeatStatus.INVITED))
        )
        .select_related("representative", "panel", "panel__round", "panel__round__office")
        .order_by("answer_by", "id")
    )
    # The half-way point is compared here rather than in SQL: datetime arithmetic differs
    # between PostgreSQL and the embedded SQLite, and there are never many open invitations.
    return [seat for seat in seats if now >= _halfway(seat)]


def _halfway(seat: Seat) -> datetime:
    invited_at = seat.invited_at or seat.created_at
    return invited_at + (seat.answer_by - invited_at) / 2


def attendance_to_mark(*, offices: QuerySet[Office], now: datetime) -> list[Panel]:
    """Panels whose day is over with accepted seats not yet marked attended or no-show.

    Each carries ``unmarked``: how many seats still wait for the mark.
    """
    return list(
        Panel.objects.filter(
            round__office__in=offices, status=PanelStatus.PLANNED, ends_at__lte=now
        )
        .annotate(unmarked=Count("seats", filter=Q(seats__status=SeatStatus.ACCEPTED)))
        .filter(unmarked__gt=0)
        .select_related("round", "round__office")
        .order_by("starts_at", "id")
    )


def rounds_without_panel(*, offices: QuerySet[Office]) -> list[HiringRound]:
    """Open rounds that have no planned panel."""
    planned = Panel.objects.filter(round=OuterRef("pk"), status=PanelStatus.PLANNED)
    return list(
        HiringRound.objects.filter(office__in=offices, state=RoundState.OPEN)
        .exclude(Exists(planned))
        .select_related("office")
        .order_by("created_at", "id")
    )


def dashboard_actions(*, offices: QuerySet[Office], now: datetime) -> DashboardActions:
    return DashboardActions(
        short_panels=short_panels(offices=offices, now=now),
        waiting_invitations=waiting_invitations(offices=offices, now=now),
        attendance_to_mark=attendance_to_mark(offices=offices, now=now),
        rounds_without_panel=rounds_without_panel(offices=offices),
    )
