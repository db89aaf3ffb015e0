"""Erasing a representative: their personal data goes everywhere; anonymous counts stay.

Used when consent is declined or never answered, on the representative's own request, by the
retention job, and by the admin's Delete (single and bulk). What stays: each past seat with its
status, times and the backgrounds snapshot taken when they sat (no longer linked to anyone), the
ratings of their feedback, the amounts of their travel claims, and audit events, which hold ids
only. Every free text written by them or about them on those rows (a decline reason, a history
note, a feedback comment, a travel claim's description) is blanked, and staff interviewers'
comments on their panels lose the person's name and address.

Beyond the rows (issue 15, point 4): the admin log loses its entries about the person and every
mention of their name or address; every roster export file made before the erasure is deleted
(an export of seats may hold them, and reading each file to know costs more than HR making it
again), exports still being built are stopped; and every cached page of this database is
dropped from the cache, not only made unreachable by the version bump, so no copy of the
person's name waits in Redis for its time-out.

Apps above ``panels`` do their part on ``representative_erasing``, sent inside the same
transaction before the person is deleted, so ``panels`` never imports them: ``reports`` blanks
the travel claims' descriptions, ``rosters`` deletes the export files once it commits.
"""

import re
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from accounts.models import User
from audit.enums import AuditAction
from audit.services import audit_record
from navpanel.cache_versions import cached_entries_forget
from outbox.services import messages_erase

from .models import Feedback, FeedbackRole, Representative, SeatTransition

ERASED_MENTION = "[slettet]"
# Sent with ``representative``, ``seats`` (a queryset of their seats, kept after erasure) and
# ``erased_at`` while the erasure's transaction is open: a receiver blanks what its app wrote
# about them (and may act after the commit with ``transaction.on_commit``).
representative_erasing = Signal()


@transaction.atomic
def representative_erase(
    *,
    representative: Representative,
    reason: str,
    by: User | None = None,
    farewell_since: datetime | None = None,
) -> None:
    """Erase one representative. ``reason`` is a code for the audit log, e.g. ``"request"``;
    ``by`` the administrator who did it, if one did.

    ``farewell_since``: messages to the person queued from that moment on (in the caller's
    transaction: the cancelled calendar entries and the confirmation of a withdrawal) are
    still sent; the outbox erases their content once they are sent or fail.
    """
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    erased_at = timezone.now()
    seats = representative.seats.all()
    SeatTransition.objects.filter(seat__in=seats).exclude(note="").update(note="")
    seats.exclude(decline_reason="").update(decline_reason="")
    Feedback.objects.filter(seat__in=seats).exclude(comment="").update(comment="")
    representative_erasing.send(
        sender=Representative, representative=representative, seats=seats, erased_at=erased_at
    )
    _staff_comments_scrub(representative=representative)
    # What was queued in the caller's transaction (the calendar cancellations, the
    # confirmation of a withdrawal) still goes; the outbox erases it once it is done.
    # Emails and SMS alike, by id and by the address and number they went to; the person's
    # short links go with the person (ShortLink.representative cascades).
    messages_erase(
        representative_id=representative.pk,
        addresses=[representative.email, representative.phone],
        still_send_since=farewell_since,
    )
    _admin_log_scrub(representative=representative)
    audit_record(
        action=AuditAction.REPRESENTATIVE_ERASED,
        actor=by,
        obj=representative,
        office_ids=list(representative.offices.values_list("pk", flat=True)),
        reason=reason,
        seats_kept=seats.count(),
    )
    representative.delete()
    # The cache is outside the transaction: only once the erasure is committed.
    transaction.on_commit(cached_entries_forget, robust=True)


def _mentions(representative: Representative) -> re.Pattern[str] | None:
    said = [
        text
        for text in (
            representative.name.strip(),
            representative.email.strip(),
            representative.phone.strip(),
        )
        if text
    ]
    if not said:
        return None
    return re.compile("|".join(re.escape(text) for text in said), re.IGNORECASE)


def _admin_log_scrub(*, representative: Representative) -> None:
    """The admin log keeps ``str(obj)`` of what was changed: the person's entries go, and
    their name or address in any other entry (a seat, a consent) becomes ``[slettet]``."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Representative),
        object_id=str(representative.pk),
    ).delete()
    pattern = _mentions(representative)
    if pattern is None:
        return
    said = Q()
    for text in (
        representative.name.strip(),
        representative.email.strip(),
        representative.phone.strip(),
    ):
        if text:
            said |= Q(object_repr__icontains=text) | Q(change_message__icontains=text)
    for entry in LogEntry.objects.filter(said):
        LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=pattern.sub(ERASED_MENTION, entry.object_repr),
            change_message=pattern.sub(ERASED_MENTION, entry.change_message),
        )


def _staff_comments_scrub(*, representative: Representative) -> None:
    """Staff interviewers may name a representative they sat with; that name goes, the rest
    of their evaluation stays. Only the panels the person sat on can hold such a comment."""
    pattern = _mentions(representative)
    if pattern is None:
        return
    comments = Feedback.objects.filter(
        role=FeedbackRole.STAFF, panel__seats__representative=representative
    ).exclude(comment="")
    for feedback in comments.distinct():
        scrubbed = pattern.sub(ERASED_MENTION, feedback.comment)
        if scrubbed != feedback.comment:
            Feedback.objects.filter(pk=feedback.pk).update(comment=scrubbed)
