"""Erasing a representative: their personal data goes everywhere; anonymous counts stay.

Used when consent is declined or never answered, on the representative's own request, and by
the retention job. What stays: each past seat with its status, times and the backgrounds
snapshot taken when they sat (no longer linked to anyone), the ratings of their feedback, the
amounts of their travel claims, and audit events, which hold ids only. Every free text written
by them or about them on those rows (a decline reason, a history note, a feedback comment, a
travel claim's description) is blanked, and staff interviewers' comments on their panels lose
the person's name and address.
"""

import re

from django.db import transaction
from django.db.models import Q

from audit.enums import AuditAction
from audit.services import audit_record
from outbox.models import OutboxMessage, OutboxStatus
from reports.models import TravelClaim

from .models import Feedback, FeedbackRole, Representative, SeatTransition

ERASED_ADDRESS = "slettet@navpanel.invalid"
ERASED_MENTION = "[slettet]"


@transaction.atomic
def representative_erase(*, representative: Representative, reason: str) -> None:
    """Erase one representative. ``reason`` is a code for the audit log, e.g. ``"request"``."""
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    seats = representative.seats.all()
    SeatTransition.objects.filter(seat__in=seats).exclude(note="").update(note="")
    seats.exclude(decline_reason="").update(decline_reason="")
    Feedback.objects.filter(seat__in=seats).exclude(comment="").update(comment="")
    TravelClaim.objects.filter(seat__in=seats).exclude(description="").update(description="")
    _staff_comments_scrub(representative=representative)
    unsent = OutboxMessage.objects.filter(status__in=[OutboxStatus.QUEUED, OutboxStatus.SENDING])
    mentions = Q(representative_id=representative.pk) | Q(to__iexact=representative.email)
    unsent.filter(mentions).update(
        status=OutboxStatus.FAILED, next_attempt_at=None, last_error="erased"
    )
    OutboxMessage.objects.filter(mentions).update(
        to=ERASED_ADDRESS, subject="", body_text="", body_html="", attachments=[]
    )
    audit_record(
        action=AuditAction.REPRESENTATIVE_ERASED,
        obj=representative,
        reason=reason,
        seats_kept=seats.count(),
    )
    representative.delete()


def _staff_comments_scrub(*, representative: Representative) -> None:
    """Staff interviewers may name a representative they sat with; that name goes, the rest
    of their evaluation stays. Only the panels the person sat on can hold such a comment."""
    said = [text for text in (representative.name.strip(), representative.email.strip()) if text]
    if not said:
        return
    pattern = re.compile("|".join(re.escape(text) for text in said), re.IGNORECASE)
    comments = Feedback.objects.filter(
        role=FeedbackRole.STAFF, panel__seats__representative=representative
    ).exclude(comment="")
    for feedback in comments.distinct():
        scrubbed = pattern.sub(ERASED_MENTION, feedback.comment)
        if scrubbed != feedback.comment:
            Feedback.objects.filter(pk=feedback.pk).update(comment=scrubbed)
