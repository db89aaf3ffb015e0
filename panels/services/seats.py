"""A seat's changes: every one goes through ``seat_transition``, which records it."""

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.enums import ActorKind, AuditAction
from audit.services import audit_record
from interviews.enums import RoundState

from .. import emails
from ..bookings import Block, panel_booking_blocks
from ..eligibility import Ineligible, ineligibility_message, representative_ineligibility
from ..enums import (
    BOOKING_STATUSES,
    FREEING_STATUSES,
    OPEN_STATUSES,
    SEAT_CORRECTIONS,
    SEAT_TRANSITIONS,
    PanelStatus,
    SeatStatus,
)
from ..models import (
    Panel,
    Representative,
    Seat,
    SeatBooking,
    SeatTransition,
)
from ..models.seats import OVER_CAP_NOTE
from ..selectors import invitation_deadline, panel_seats
from ..suggestions.pool import panel_suggestions, panel_wants

logger = logging.getLogger(__name__)


_AUDIT_ACTOR_KINDS = {
    "leader": ActorKind.STAFF,
    "representative": ActorKind.REPRESENTATIVE,
    "system": ActorKind.SYSTEM,
}


def _record(
    *,
    seat: Seat,
    from_status: str,
    to_status: str,
    by: User | None,
    actor: str,
    note: str = "",
    by_phone: bool = False,
    correction: bool = False,
    over_cap: bool = False,
) -> SeatTransition:
    transition = SeatTransition.objects.create(
        seat=seat,
        from_status=from_status,
        to_status=to_status,
        by=by,
        actor=actor,
        note=note[:300],
        by_phone=by_phone,
    )
    # Every recorded seat change is also audited (issue 8): ids and statuses, never the note.
    detail: dict[str, Any] = {"by_phone": True} if by_phone else {}
    if correction:
        detail["correction"] = True
    if over_cap:
        detail["over_cap"] = True
    audit_record(
        action=AuditAction.SEAT_CHANGED,
        actor=by,
        actor_kind=_AUDIT_ACTOR_KINDS.get(actor) if by is None else None,
        obj=seat,
        office_id=Panel.objects.filter(pk=seat.panel_id).values_list("round__office", flat=True)[0],
        panel_id=seat.panel_id,
        from_status=from_status,
        to_status=to_status,
        **detail,
    )
    return transition


@transaction.atomic
def seat_transition(
    *,
    seat: Seat,
    to: str,
    by: User | None = None,
    actor: str = "leader",
    note: str = "",
    by_phone: bool = False,
    correction: bool = False,
) -> Seat:
    """Move ``seat`` to status ``to`` if docs/domain.md's life of a seat allows it; record it.

    The row is locked first, so two answers arriving at once make one transition and the
    second one is refused (``ValidationError``) rather than silently applied twice.

    A seat that held someone and ends before the day (declined, expired, withdrawn,
    cancelled) is freed here, in the same transaction, whatever ended it (``_seat_freed``):
    the next suggestion is invited when the round says so, and the leaders are told. The
    returned seat's ``next_seat`` is that invitation, or None. ``by_phone``: a leader records
    the representative's own answer given by phone (history and audit say so).
    ``correction``: also allow ``SEAT_CORRECTIONS`` (``seat_attendance_correct`` only).
    """
    locked = Seat.objects.select_for_update().get(pk=seat.pk)
    allowed = SEAT_TRANSITIONS[locked.status]
    if correction:
        allowed = allowed | SEAT_CORRECTIONS.get(locked.status, frozenset())
    if to not in allowed:
        raise ValidationError(
            _("A seat that is %(status)s cannot change to %(to)s.")
            % {
                "status": locked.get_status_display().lower(),
                "to": SeatStatus(to).label.lower() if to in SeatStatus.values else to,
            },
            code="seat_transition_not_allowed",
        )
    from_status = locked.status
    locked.status = to
    update = ["status", "updated_at"]
    if to == SeatStatus.ACCEPTED and locked.representative_id:
        locked.backgrounds_snapshot = sorted(
            locked.holder().backgrounds.values_list("slug", flat=True)
        )
        # The tentative entry of the invitation becomes a confirmed one: a significant
        # change, so a higher SEQUENCE (RFC 5545), or calendars keep the tentative one.
        locked.calendar_sequence += 1
        update += ["backgrounds_snapshot", "calendar_sequence"]
    try:
        with transaction.atomic():
            locked.save(update_fields=update)
            if (from_status in BOOKING_STATUSES) != (to in BOOKING_STATUSES):
                seat_bookings_sync(seat=locked)
    except IntegrityError as error:
        raise ValidationError(
            _("The representative is already booked at that time."), code="double_booking"
        ) from error
    _record(
        seat=locked,
        from_status=from_status,
        to_status=to,
        by=by,
        actor=actor,
        note=note,
        by_phone=by_phone,
        correction=correction,
    )
    _calendar_entry_cancel(seat=locked, from_status=from_status, actor=actor)
    seat.status, seat.backgrounds_snapshot = locked.status, locked.backgrounds_snapshot
    seat.calendar_sequence = locked.calendar_sequence
    locked.next_seat = None
    if from_status in OPEN_STATUSES and to in FREEING_STATUSES:
        locked.next_seat = _seat_freed(seat=locked, actor=actor, by_phone=by_phone)
    seat.next_seat = locked.next_seat
    return locked


def _seat_freed(*, seat: Seat, actor: str, by_phone: bool) -> Seat | None:
    """A seat that held someone ended before the day: refill it and tell the leaders.

    The leaders are emailed when someone else ended it (the representative, the deadline);
    a leader who took someone off, or recorded a decline given by phone, sees it on the page.
    A withdrawal is told once per office with all its seats (``panels.public.my_page``).
    """
    next_seat = seat_invite_next(panel=seat.panel)
    if actor == "leader" or by_phone or seat.status == SeatStatus.WITHDRAWN:
        return next_seat
    if seat.status == SeatStatus.EXPIRED:
        emails.seat_expired_notice(seat=seat, next_invited=next_seat is not None)
    else:
        emails.seat_freed_notice(seat=seat, next_seat=next_seat)
    return next_seat


def seat_invite_next(*, panel: Panel, now: datetime | None = None) -> Seat | None:
    """Invite the first suggestion for a free seat of ``panel`` if its round says so.

    The round's "invite the next suggestion automatically"; only for an open round and a
    planned panel still ahead. Someone who cannot be invited a moment later (booked
    elsewhere) is left to the leader: nothing is invited and None is returned.
    """
    now = now or timezone.now()
    panel = Panel.objects.select_related("round__office").get(pk=panel.pk)
    hiring_round = panel.round
    if (
        not hiring_round.invite_next_automatically
        or hiring_round.state != RoundState.OPEN
        or panel.status != PanelStatus.PLANNED
        or panel.starts_at <= now
    ):
        return None
    suggestions = panel_suggestions(
        panel=panel, seats=panel_seats(panel=panel), wants=panel_wants(panel=panel), now=now
    )
    if not suggestions.suggested:
        return None
    representative, _suggestion = suggestions.suggested[0]
    try:
        with transaction.atomic():
            return seat_invite(panel=panel, representative=representative, by=None, actor="system")
    except ValidationError:
        logger.info("services: could not invite the next suggestion for panel %s", panel.pk)
        return None


def _calendar_entry_cancel(*, seat: Seat, from_status: str, actor: str) -> None:
    """Whatever ends a seat before its day, the calendar entry its holder was sent is cancelled
    (same UID, higher SEQUENCE, METHOD:CANCEL), with an email that says why. Here, in the one
    transition function, so that every way a seat ends, present or future, does it."""
    if (
        from_status not in OPEN_STATUSES
        or seat.status not in FREEING_STATUSES
        or not seat.representative_id
        or seat.ends_at <= timezone.now()
    ):
        return
    panel_status = Panel.objects.filter(pk=seat.panel_id).values_list("status", flat=True)[0]
    if panel_status == PanelStatus.CANCELLED:
        emails.seat_ended(seat=seat, ended_as="panel_cancelled")
    elif seat.status == SeatStatus.CANCELLED and actor == "leader":
        emails.seat_taken_off(seat=seat)
    elif seat.status == SeatStatus.CANCELLED and from_status == SeatStatus.ACCEPTED:
        emails.seat_cant_come_confirmation(seat=seat)
    else:
        emails.seat_ended(seat=seat, ended_as=seat.status)


def seat_bookings_sync(*, seat: Seat, blocks: Sequence[Block] | None = None) -> None:
    """Make the seat's bookings what its status and its panel's interviews say: one a day of
    the interviews (``panels.bookings``) while the seat holds time, none once it does not.

    On PostgreSQL raises ``IntegrityError`` when the person is booked elsewhere at one of those
    times; callers turn it into the leader's message.
    """
    SeatBooking.objects.filter(seat=seat).delete()
    if seat.status not in BOOKING_STATUSES or seat.representative_id is None:
        return
    SeatBooking.objects.bulk_create(
        SeatBooking(
            seat=seat,
            representative_id=seat.representative_id,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        for starts_at, ends_at in (
            blocks if blocks is not None else panel_booking_blocks(panel=seat.panel)
        )
    )


@transaction.atomic
def seat_invite(
    *,
    panel: Panel,
    representative: Representative,
    by: User | None,
    actor: str = "leader",
    over_cap: bool = False,
) -> Seat:
    """Invite a representative to a panel: an *invited* seat and a queued invitation email.

    Refuses, with a message for the leader, anyone the panel page would not suggest either
    (``panels.eligibility``): outside the office's pool, without consent, already on this
    panel, booked at an overlapping time, declined or unanswered in this round, knowing a
    candidate, or at the office's cap of panels for the month or quarter. ``over_cap``: the
    leader ticked "Invite anyway"; the cap (and only the cap) is then passed over, and the seat,
    its history and the audit log say so.
    """
    panel = Panel.objects.select_for_update().select_related("round").get(pk=panel.pk)
    if panel.status != PanelStatus.PLANNED:
        raise ValidationError(_("The panel is cancelled."))
    if panel.round.state != RoundState.OPEN:
        # A draft is still being prepared (issue 18, point 3); a closed round takes nothing.
        raise ValidationError(
            _("The round is not open. Open it before inviting representatives."),
            code="round_not_open",
        )
    now = timezone.now()
    if panel.starts_at <= now:
        raise ValidationError(_("The panel has already started."))
    reason = representative_ineligibility(panel=panel, representative=representative)
    overridden = reason == Ineligible.OVER_CAP and over_cap and actor == "leader"
    if reason is not None and not overridden:
        raise ValidationError(
            ineligibility_message(reason, representative=representative), code=reason.value
        )
    seat = Seat(
        panel=panel,
        representative=representative,
        status=SeatStatus.INVITED,
        starts_at=panel.starts_at,
        ends_at=panel.ends_at,
        answer_by=invitation_deadline(panel=panel, now=now),
        over_cap=overridden,
    )
    try:
        with transaction.atomic():
            seat.save()
            seat_bookings_sync(seat=seat)
    except IntegrityError as error:
        raise ValidationError(
            _("%(name)s is already booked at that time.") % {"name": representative.name}
        ) from error
    _record(
        seat=seat,
        from_status="",
        to_status=SeatStatus.INVITED,
        by=by,
        actor=actor,
        note=OVER_CAP_NOTE if overridden else "",
        over_cap=overridden,
    )
    emails.seat_invitation(seat=seat)
    return seat
