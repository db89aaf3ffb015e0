"""A panel's own life: created, its times kept in step with its interviews, moved, cancelled."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from interviews.enums import InterviewStatus, RoundState
from interviews.models import HiringRound, Interview
from interviews.services import day_bounds, interview_reschedule
from interviews.services import interview_cancel as cancel_interview

from .. import emails
from ..bookings import overlapping_booking_exists, panel_booking_blocks
from ..enums import (
    BOOKING_STATUSES,
    MAX_STAFF_INTERVIEWERS,
    OPEN_STATUSES,
    PanelStatus,
    SeatStatus,
)
from ..models import (
    Panel,
    StaffInterviewer,
)
from .seats import seat_bookings_sync, seat_transition


@transaction.atomic
def panel_create(
    *,
    hiring_round: HiringRound,
    interviews: Sequence[Interview],
    seats_wanted: int | None = None,
    staff: Iterable[dict[str, str]] = (),
    location: str = "",
) -> Panel:
    """A panel for one or more interviews of the round; its span covers them all, and at most
    ``MAX_STAFF_INTERVIEWERS`` staff interview on it."""
    if hiring_round.state == RoundState.CLOSED:
        raise ValidationError(_("The round is closed; it takes no more panels."))
    staff = list(staff)
    if len(staff) > MAX_STAFF_INTERVIEWERS:
        raise ValidationError(
            _(
                "A panel has at most %(max)s staff interviewers, ticked and typed together; "
                "you chose %(count)s."
            )
            % {"max": MAX_STAFF_INTERVIEWERS, "count": len(staff)},
            code="too_many_staff",
        )
    interviews = [i for i in interviews if i.status == InterviewStatus.SCHEDULED]
    if not interviews:
        raise ValidationError(_("Choose at least one interview for the panel."))
    if any(i.round_id != hiring_round.pk for i in interviews):
        raise ValidationError(_("All interviews must belong to the round."))
    # One interview has one panel: a second would book representatives for the same slot.
    if Panel.objects.filter(
        status=PanelStatus.PLANNED, interviews__in=[i.pk for i in interviews]
    ).exists():
        raise ValidationError(_("An interview you chose already has a panel."))
    panel = Panel(
        round=hiring_round,
        seats_wanted=seats_wanted or hiring_round.seats_per_panel,
        starts_at=min(i.starts_at for i in interviews),
        ends_at=max(i.ends_at for i in interviews),
        location=location or interviews[0].location,
    )
    panel.full_clean()
    panel.save()
    panel.interviews.set(interviews)
    StaffInterviewer.objects.bulk_create(
        StaffInterviewer(panel=panel, **member) for member in staff
    )
    if panel.ends_at > timezone.now():
        for member in panel.staff.all():
            emails.staff_invitation(staff=member)
    return panel


@transaction.atomic
def panel_sync_times(*, panel: Panel, by: User | None) -> Panel:
    """Recompute a panel's span from its scheduled interviews after a move or cancellation.

    Seats that hold time follow the panel; each moved seat gets a higher calendar sequence so
    the updated calendar entry replaces the old one, and a change email is queued.
    """
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    scheduled = list(panel.interviews.filter(status=InterviewStatus.SCHEDULED))
    if not scheduled:
        return panel_cancel(panel=panel, by=by)
    starts_at = min(i.starts_at for i in scheduled)
    ends_at = max(i.ends_at for i in scheduled)
    moved = (starts_at, ends_at) != (panel.starts_at, panel.ends_at)
    if moved:
        panel.starts_at, panel.ends_at = starts_at, ends_at
        # Staff calendars hold one entry per panel: a higher sequence moves it (RFC 5546).
        panel.calendar_sequence += 1
        panel.save(update_fields=["starts_at", "ends_at", "calendar_sequence"])
        for member in panel.staff.all():
            emails.staff_moved(staff=member)
    # The days a seat books may change though the span does not (a middle interview moved).
    blocks = panel_booking_blocks(panel=panel)
    for seat in panel.seats.select_for_update().filter(status__in=BOOKING_STATUSES):
        if seat.representative_id and overlapping_booking_exists(
            representative=seat.holder(), blocks=blocks, exclude=seat.pk
        ):
            raise ValidationError(
                _("%(name)s is booked elsewhere at the new time.") % {"name": seat.holder().name}
            )
        if moved:
            seat.starts_at, seat.ends_at = starts_at, ends_at
            seat.calendar_sequence += 1
        try:
            with transaction.atomic():
                if moved:
                    seat.save(
                        update_fields=["starts_at", "ends_at", "calendar_sequence", "updated_at"]
                    )
                seat_bookings_sync(seat=seat, blocks=blocks)
        except IntegrityError as error:
            raise ValidationError(
                _("A representative on the panel is booked elsewhere at the new time.")
            ) from error
        if moved:
            emails.seat_moved(seat=seat)
    return panel


@transaction.atomic
def panel_cancel(*, panel: Panel, by: User | None) -> Panel:
    """Cancel a panel: every open seat is cancelled, recorded, and its holder told."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    panel.status = PanelStatus.CANCELLED
    panel.save(update_fields=["status"])
    if panel.ends_at > timezone.now():
        for member in panel.staff.all():
            emails.staff_cancelled(staff=member)
    for seat in panel.seats.filter(status__in=OPEN_STATUSES):
        seat_transition(
            # Stored as the code, shown in the reader's language (SeatTransition.note_display).
            seat=seat,
            to=SeatStatus.CANCELLED,
            by=by,
            note="The panel was cancelled.",
        )
    return panel


@transaction.atomic
def interview_move(
    *, interview: Interview, starts_at: datetime, ends_at: datetime, by: User | None
) -> Interview:
    """Move one interview; its panels follow, and accepted representatives are told."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    interview_reschedule(interview=interview, starts_at=starts_at, ends_at=ends_at)
    for panel in interview.panels.filter(status=PanelStatus.PLANNED):
        panel_sync_times(panel=panel, by=by)
    return interview


@transaction.atomic
def panel_move(*, panel: Panel, day: date, starts_at: time, by: User | None) -> Panel:
    """Move the whole panel: every scheduled interview keeps its place in the day, and the day
    starts at ``starts_at`` on local ``day``. All or none; one sync, so each seat and staff
    member gets one "moved" email for the change.

    Times are shifted on the local clock (09:00 stays 09:00 across a change to summer time).
    """
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.status != PanelStatus.PLANNED:
        raise ValidationError(_("The panel is cancelled."))
    if panel.starts_at <= timezone.now():
        raise ValidationError(_("The panel has already started."))
    first = timezone.localtime(panel.starts_at).replace(tzinfo=None)
    shift = datetime.combine(day, starts_at) - first
    if not shift:
        return panel
    scheduled = list(
        panel.interviews.select_for_update()
        .filter(status=InterviewStatus.SCHEDULED)
        .order_by("starts_at", "pk")
    )
    # Later interviews first when moving later (and earlier first when moving earlier), so no
    # interview lands on another of the same candidate while they are being moved.
    for interview in sorted(scheduled, key=lambda i: i.starts_at, reverse=shift > timedelta()):
        interview_reschedule(
            interview=interview,
            starts_at=_local_shift(interview.starts_at, shift),
            ends_at=_local_shift(interview.ends_at, shift),
        )
    return panel_sync_times(panel=panel, by=by)


def _local_shift(moment: datetime, shift: timedelta) -> datetime:
    return timezone.make_aware(timezone.localtime(moment).replace(tzinfo=None) + shift)


@transaction.atomic
def interview_cancel(*, interview: Interview, by: User | None) -> Interview:
    """Cancel one interview; a panel left with no interview is cancelled with its seats."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    cancel_interview(interview=interview)
    for panel in interview.panels.filter(status=PanelStatus.PLANNED):
        panel_sync_times(panel=panel, by=by)
    return interview


@transaction.atomic
def interview_day_cancel(
    *, hiring_round: HiringRound, day: date, by: User | None
) -> list[Interview]:
    """Cancel every scheduled interview of the round on local ``day``, all or none.

    Each goes through ``interview_cancel`` so that panels and seats follow and the
    representatives are told. Returns the interviews cancelled (none: nothing to do).
    """
    first, after = day_bounds(day)
    scheduled = hiring_round.interviews.filter(
        status=InterviewStatus.SCHEDULED, starts_at__gte=first, starts_at__lt=after
    )
    return [interview_cancel(interview=i, by=by) for i in scheduled]
