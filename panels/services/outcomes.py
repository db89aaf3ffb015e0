"""What becomes of an invited seat: the person's answers (also by phone), the deadline, a
withdrawal, the leader's cancellation, attendance. Each goes through ``seat_transition``."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .. import emails
from ..enums import (
    OPEN_STATUSES,
    RepresentativeStatus,
    SeatStatus,
)
from ..models import (
    Representative,
    Seat,
)
from ..selectors import (
    seat_can_be_answered,
    seat_can_be_given_up,
)
from .seats import seat_transition


@transaction.atomic
def seat_accept(*, seat: Seat) -> Seat:
    """Accept an invited seat for its representative and send the confirmation.

    Only the seat's side: ``panels.public.answers.invitation_accept`` checks the person's
    consent and confidentiality declaration first and calls this in the same transaction.
    """
    seat = Seat.objects.select_for_update(of=("self",)).select_related("panel").get(pk=seat.pk)
    if not seat_can_be_answered(seat=seat):
        raise ValidationError(_("This invitation can no longer be answered."), code="closed")
    seat = seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    emails.seat_confirmation(seat=seat)
    return seat


@transaction.atomic
def seat_decline(*, seat: Seat, reason: str = "") -> Seat:
    """The representative says no, with an optional reason the office can read."""
    seat = Seat.objects.select_for_update(of=("self",)).select_related("panel").get(pk=seat.pk)
    if not seat_can_be_answered(seat=seat):
        raise ValidationError(_("This invitation can no longer be answered."), code="closed")
    seat = seat_transition(seat=seat, to=SeatStatus.DECLINED, actor="representative", note=reason)
    if reason:
        seat.decline_reason = reason
        seat.save(update_fields=["decline_reason", "updated_at"])
    return seat


def seat_expire(*, seat: Seat) -> Seat:
    """No answer by the deadline: the invited seat becomes *expired* (``panels.jobs``)."""
    return seat_transition(
        seat=seat, to=SeatStatus.EXPIRED, actor="system", note="No answer by the deadline."
    )


def representative_seats_withdraw(*, representative: Representative, now: datetime) -> list[Seat]:
    """Take a person whose consent ended off every open seat still ahead; the seats taken off.

    Called under the person's row lock by ``panels.public.my_page`` (withdrawal, deletion).
    """
    seats = list(
        representative.seats.filter(status__in=OPEN_STATUSES, starts_at__gt=now)
        .select_related("panel__round__office")
        .order_by("starts_at", "id")
    )
    for seat in seats:
        seat_transition(
            seat=seat, to=SeatStatus.WITHDRAWN, actor="representative", note="consent withdrawn"
        )
    return seats


@transaction.atomic
def seat_cancel(*, seat: Seat, by: User | None) -> Seat:
    """The leader takes a representative off the panel (after confirming on the panel page).

    An invited or accepted representative gets an email of its own ("you are no longer
    needed on this panel", with the calendar entry cancelled); the panel goes ahead, and the
    free seat is refilled as the round says (``seat_transition``). The person is not
    suggested for this panel again (``suggestions.pool.panel_suggestions``).
    """
    # Read the status under the lock: the representative may have answered a moment ago.
    # Its email and the calendar's cancellation come from ``seat_transition``.
    return seat_transition(seat=seat, to=SeatStatus.CANCELLED, by=by, actor="leader")


@transaction.atomic
def seat_cant_come(*, seat: Seat, reason: str = "", now: datetime | None = None) -> Seat:
    """The representative said yes, and now cannot come after all (their seat page).

    Only an accepted seat of a planned panel that has not started. The optional reason is
    the office's to read, as with a decline. The person gets a confirmation (with the
    calendar entry cancelled); the seat is freed and refilled as the round says, and the
    leaders are told (``seat_transition``).
    """
    now = now or timezone.now()
    seat = Seat.objects.select_for_update(of=("self",)).select_related("panel").get(pk=seat.pk)
    if not seat_can_be_given_up(seat=seat, now=now):
        raise ValidationError(_("This seat can no longer be given up here."), code="closed")
    seat = seat_transition(seat=seat, to=SeatStatus.CANCELLED, actor="representative", note=reason)
    if reason:
        seat.decline_reason = reason
        seat.save(update_fields=["decline_reason", "updated_at"])
    # The confirmation, with the calendar's cancellation, comes from ``seat_transition``.
    return seat


@transaction.atomic
def seat_answer_by_phone(*, seat: Seat, accepted: bool, by: User, reason: str = "") -> Seat:
    """A leader records the answer a representative gave by phone, on their behalf.

    The same transition as the person's own button (so an acceptance takes the backgrounds
    snapshot and sends the confirmation with the calendar entry, and a decline frees the
    seat), recorded as the representative's answer, entered by ``by``, by phone: the
    seat's history and the audit log say so. Consent is needed as for any acceptance; a
    confidentiality declaration not yet signed is asked for on the seat page afterwards.
    """
    seat = Seat.objects.select_for_update(of=("self",)).select_related("panel").get(pk=seat.pk)
    if not seat_can_be_answered(seat=seat):
        raise ValidationError(_("This invitation can no longer be answered."), code="closed")
    if accepted:
        if seat.representative is None or seat.representative.status != RepresentativeStatus.ACTIVE:
            raise ValidationError(
                _("The representative has no consent in force and cannot accept."),
                code="no_consent",
            )
        seat = seat_transition(
            seat=seat, to=SeatStatus.ACCEPTED, by=by, actor="representative", by_phone=True
        )
        emails.seat_confirmation(seat=seat)
        return seat
    seat = seat_transition(
        seat=seat,
        to=SeatStatus.DECLINED,
        by=by,
        actor="representative",
        note=reason,
        by_phone=True,
    )
    if reason:
        seat.decline_reason = reason
        seat.save(update_fields=["decline_reason", "updated_at"])
    return seat


@transaction.atomic
def seat_mark_attendance(*, seat: Seat, attended: bool, by: User | None) -> Seat:
    """After the day: attended or did not come. Fixes the backgrounds snapshot for statistics.

    Marks an accepted seat only; a mistake is put right by ``seat_attendance_correct``.
    """
    if seat.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be marked once the interview day has begun."))
    return seat_transition(
        seat=seat, to=SeatStatus.ATTENDED if attended else SeatStatus.NO_SHOW, by=by
    )
