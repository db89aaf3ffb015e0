"""The periodic jobs: reminders, deadlines, requests after the day, consent upkeep.

Each is a plain function of ``now`` (so tests drive the clock) that returns how many things it
did, and each is safe to run twice or at the same time as itself: emails are queued under
outbox keys that name the logical message (``panels.emails.EmailKind``), and state
changes go through ``panels.services``, which locks the row and refuses a second change.
Celery beat runs them through ``panels.tasks``; nothing here waits for a countdown.

Days are Europe/Oslo calendar dates: "3 days before" is the local date three days before the
interview's local date, whatever the number of hours in between across a change to or from
summer time. A message that is due on a day goes out from ``SEND_FROM`` local time that day, or
at the first run after it (a job that did not run for a while catches up, within limits).
"""

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from outbox.selectors import messages_delivered

from . import emails
from .enums import SAT_STATUSES, PanelStatus, RepresentativeStatus, SeatStatus
from .erasure import representative_erase
from .models import ConsentGiven, Panel, Representative, Seat
from .pool.consent import months_before
from .selectors import invitation_halfway
from .services import seat_expire

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

logger = logging.getLogger(__name__)

# Emails due on a day are not sent before this local time: nobody wants a reminder at 00:15.
SEND_FROM = time(8, 0)
# The "day after" emails (attendance, feedback) are not sent for days older than this, so a
# first deployment or a long outage does not send about interview days long past.
DAY_AFTER_CATCH_UP = timedelta(days=14)
# Representatives still awaiting consent this long after they were added are erased (the
# consent request says so).
CONSENT_ANSWER_DAYS = 30
REMINDER_DAYS = (3, 1)

# A job: called with the time to act as of, returns how many things it did.
Job = Callable[..., int]


def _local_moment(day: date, at: time = SEND_FROM) -> datetime:
    """``at`` o'clock local time on ``day``, as an aware datetime (right across DST)."""
    return timezone.make_aware(datetime.combine(day, at))


def _local_date(moment: datetime) -> date:
    return timezone.localdate(moment)


class AcceptedAt(TypedDict):
    """When an accepted seat was accepted (its latest transition to *accepted*)."""

    accepted_at: datetime | None


def _accepted_at(seat: "WithAnnotations[Seat, AcceptedAt]") -> datetime:
    return seat.accepted_at or seat.created_at


def reminders_send(*, now: datetime) -> int:
    """Remind accepted representatives 3 days and 1 day before the interview's local date.

    Returns how many reminders it queued (none when run again: the keys are taken).

    The 3-day reminder is due from 08:00 on the local date three days before, until the 1-day
    one is due (so a job that was down that morning still sends it later); the 1-day reminder
    from 08:00 the day before until the panel starts. A reminder whose due moment came before
    the seat was accepted is skipped: the confirmation, sent at acceptance, said the same.
    """
    latest = _local_moment(_local_date(now) + timedelta(days=max(REMINDER_DAYS) + 1), time.max)
    seats = (
        Seat.objects.filter(
            status=SeatStatus.ACCEPTED,
            representative__isnull=False,
            panel__status=PanelStatus.PLANNED,
            starts_at__gt=now,
            starts_at__lte=latest,
        )
        .annotate(
            accepted_at=Max("transitions__at", filter=Q(transitions__to_status=SeatStatus.ACCEPTED))
        )
        .select_related("representative", "panel__round__office")
        .order_by("starts_at", "id")
    )
    sent = 0
    for seat in seats:
        day = _local_date(seat.starts_at)
        due = {days: _local_moment(day - timedelta(days=days)) for days in REMINDER_DAYS}
        if due[1] <= now:
            days = 1
        elif due[3] <= now:
            days = 3
        else:
            continue
        if _accepted_at(seat) > due[days]:
            continue
        with transaction.atomic():
            sent += emails.seat_reminder(seat=seat, days=days, day=day)
    return sent


def answer_reminders_send(*, now: datetime) -> int:
    """Remind invited representatives once half the time to answer has passed.

    Half-way is measured from the invitation, as on the leader's dashboard. Seats whose
    deadline has passed are left to ``invitations_expire``.
    """
    seats = (
        Seat.objects.filter(
            status=SeatStatus.INVITED,
            representative__isnull=False,
            panel__status=PanelStatus.PLANNED,
            answer_by__gt=now,
        )
        .annotate(
            invited_at=Max("transitions__at", filter=Q(transitions__to_status=SeatStatus.INVITED))
        )
        .select_related("representative", "panel__round__office")
        .order_by("answer_by", "id")
    )
    sent = 0
    for seat in seats:
        if now < invitation_halfway(seat):
            continue
        with transaction.atomic():
            sent += emails.seat_answer_reminder(seat=seat)
    return sent


def invitations_expire(*, now: datetime) -> int:
    """Invited seats past their deadline become *expired*; the office's leaders are told.

    The seat is freed through ``services.seat_transition``: when the round invites the next
    suggestion automatically, the representative the panel page would suggest first for the
    free seat is invited, in the same transaction, and the leaders are told. Each seat
    is its own transaction: one that fails leaves the others done. A seat answered a moment
    ago is refused by ``services.seat_expire`` and left alone.
    """
    seat_ids = list(
        Seat.objects.filter(status=SeatStatus.INVITED, answer_by__lte=now)
        .order_by("answer_by", "id")
        .values_list("pk", flat=True)
    )
    expired = 0
    for seat_id in seat_ids:
        try:
            with transaction.atomic():
                seat = Seat.objects.select_related("representative", "panel__round__office").get(
                    pk=seat_id
                )
                seat_expire(seat=seat)
        except ValidationError:
            logger.info("jobs: seat %s was answered before it could expire", seat_id)
            continue
        expired += 1
    return expired


def _days_after(*, now: datetime) -> list[Panel]:
    """Planned panels whose local day is over and whose "day after" has begun (from 08:00)."""
    panels = Panel.objects.filter(
        status=PanelStatus.PLANNED, ends_at__lte=now, starts_at__gte=now - DAY_AFTER_CATCH_UP
    ).select_related("round__office")
    return [
        panel
        for panel in panels
        if _local_moment(_local_date(panel.starts_at) + timedelta(days=1)) <= now
    ]


def attendance_reminders_send(*, now: datetime) -> int:
    """The day after an interview day: remind the leaders to mark attendance where seats
    are still *accepted* (neither attended nor no-show). Returns the emails queued."""
    candidates = [p.pk for p in _days_after(now=now)]
    panels = (
        Panel.objects.filter(pk__in=candidates)
        .annotate(unmarked=Count("seats", filter=Q(seats__status=SeatStatus.ACCEPTED)))
        .filter(unmarked__gt=0)
        .select_related("round__office")
        .order_by("starts_at", "id")
    )
    reminded = 0
    for panel in panels:
        with transaction.atomic():
            reminded += emails.panel_attendance_reminder(panel=panel, unmarked=panel.unmarked)
    return reminded


def feedback_requests_send(*, now: datetime) -> int:
    """The day after an interview day: ask the representatives who sat (accepted or
    attended, not no-show) and the staff interviewers for feedback. Returns the emails queued."""
    panels = _days_after(now=now)
    seats = Seat.objects.filter(
        panel__in=panels,
        status__in=SAT_STATUSES,
        representative__isnull=False,
    ).select_related("representative", "panel__round__office")
    sent = 0
    with transaction.atomic():
        for seat in seats:
            sent += emails.seat_feedback_request(seat=seat)
        for panel in panels:
            for staff in panel.staff.all():
                sent += emails.staff_feedback_request(staff=staff)
    return sent


def consent_renewals_send(*, now: datetime) -> int:
    """Ask active representatives to renew a consent older than their offices require.

    The requirement is the strictest (shortest) ``Office.consent_renewal_months`` among the
    offices whose pool the person is in; the age is that of their newest standing consent.
    One request per consent (the key names it), so the job does not repeat it daily; a
    renewal (``consent.consent_give(renew=True)``) is a new consent, due again in full.
    """
    people = (
        Representative.objects.filter(status=RepresentativeStatus.ACTIVE)
        .annotate(
            months=Min("offices__consent_renewal_months"),
            consent_at=Max("consents__given_at", filter=Q(consents__withdrawn_at__isnull=True)),
        )
        .filter(months__isnull=False, consent_at__isnull=False)
        .prefetch_related("offices")
    )
    sent = 0
    for person in people:
        if person.consent_at > months_before(now, person.months):
            continue
        consent = (
            ConsentGiven.objects.filter(
                representative=person, withdrawn_at__isnull=True, renewed_at__isnull=True
            )
            .order_by("-given_at", "-id")
            .first()
        )
        if consent is None:
            # Every consent of theirs is withdrawn or renewed: there is none to renew.
            continue
        with transaction.atomic():
            sent += emails.consent_renewal(representative=person, consent=consent)
    return sent


def unanswered_consents_erase(*, now: datetime) -> int:
    """Erase representatives still awaiting consent 30 days after their consent request was
    delivered (the mail server took it; the newest, if the address was corrected).

    The clock starts at delivery, not when the person was added: someone whose request is
    still waiting, or failed (shown to the office's leaders, who can correct the address), was
    never asked and is never erased for not answering.
    """
    delivered = (
        messages_delivered(
            kind=(emails.EmailKind.CONSENT_REQUEST, emails.EmailKind.CONSENT_REQUEST_RESENT),
            about_type="representative",
        )
        .filter(about_id=OuterRef("pk"))
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    people = (
        Representative.objects.filter(status=RepresentativeStatus.AWAITING_CONSENT)
        .annotate(asked_at=Subquery(delivered))
        .filter(asked_at__lte=now - timedelta(days=CONSENT_ANSWER_DAYS))
        .order_by("pk")
    )
    erased = 0
    for person in people:
        # representative_erase locks the row; someone who consented meanwhile is kept.
        with transaction.atomic():
            locked = Representative.objects.select_for_update().filter(
                pk=person.pk, status=RepresentativeStatus.AWAITING_CONSENT
            )
            if not locked.exists():
                continue
            representative_erase(representative=person, reason="consent_unanswered")
        erased += 1
    return erased
