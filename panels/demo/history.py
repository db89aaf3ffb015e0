"""The demo's past, written as it would have happened: seats on days that have begun (which
``seat_invite`` refuses) with their recorded transitions, and rounds' and seats' histories
dated back, counted in days from the day the demo is seeded."""

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from interviews.enums import RoundState
from interviews.models import HiringRound

from ..day.plan import non_working_day
from ..enums import SeatStatus
from ..models import Panel, Representative, Seat
from ..selectors import invitation_deadline
from ..services import seat_bookings_sync


def working_day(days: int) -> int:
    """``days`` from today, moved on to the first day that is a working day in Norway (no weekend,
    no public holiday: the rule the interview-day form warns with), as days from today."""
    while non_working_day(timezone.localdate() + timedelta(days=days)) is not None:
        days += 1
    return days


def at(days: int, clock: time) -> datetime:
    """Local (Europe/Oslo) time ``clock`` on the day ``days`` from today."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, clock, tzinfo=timezone.get_current_timezone())


def date_history(seat: Seat, moments: Sequence[datetime]) -> None:
    """Date the seat's recorded transitions, oldest first, and its deadline from the first."""
    for transition, moment in zip(seat.transitions.order_by("id"), moments, strict=True):
        transition.at = moment
        transition.save(update_fields=["at"])
    Seat.objects.filter(pk=seat.pk).update(
        created_at=moments[0],
        updated_at=moments[-1],
        answer_by=invitation_deadline(panel=seat.panel, now=moments[0]),
    )


def past_seat(
    panel: Panel,
    representative: Representative,
    leader: User,
    steps: Sequence[tuple[str, datetime]],
) -> Seat:
    """A seat on a panel that has begun, written with the history it would have had."""
    seat = Seat.objects.create(
        panel=panel,
        representative=representative,
        status=steps[-1][0],
        starts_at=panel.starts_at,
        ends_at=panel.ends_at,
        backgrounds_snapshot=sorted(representative.backgrounds.values_list("slug", flat=True)),
    )
    seat_bookings_sync(seat=seat)
    previous = ""
    for status, _moment in steps:
        by_representative = status == SeatStatus.ACCEPTED
        seat.transitions.create(
            from_status=previous,
            to_status=status,
            by=None if by_representative else leader,
            actor="representative" if by_representative else "leader",
        )
        previous = status
    date_history(seat, [moment for _status, moment in steps])
    return seat


def date_round(hiring_round: HiringRound, days: Sequence[int]) -> None:
    """Date the round's recorded states (created, opened, closed) as they would have happened."""
    moments = [at(day, time(8, 30)) for day in days]
    for transition, moment in zip(hiring_round.transitions.order_by("id"), moments, strict=True):
        transition.at = moment
        transition.save(update_fields=["at"])
    HiringRound.objects.filter(pk=hiring_round.pk).update(
        created_at=moments[0],
        closed_at=moments[-1] if hiring_round.state == RoundState.CLOSED else None,
    )
