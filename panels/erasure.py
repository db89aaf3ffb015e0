"""Erasing a representative: their personal data goes everywhere; anonymous counts stay.

Used when consent is declined or never answered, on the representative's own request, and by
the retention job. What stays: each past seat with its status, times and the backgrounds
snapshot taken when they sat (no longer linked to anyone), and audit events, which hold ids
only.
"""

from django.db import transaction
from django.db.models import Q

from audit.enums import AuditAction
from audit.services import audit_record
from outbox.models import OutboxMessage, OutboxStatus

from .models import Representative, SeatTransition

ERASED_ADDRESS = "slettet@navpanel.invalid"


@transaction.atomic
def representative_erase(*, representative: Representative, reason: str) -> None:
    """Erase one representative. ``reason`` is a code for the audit log, e.g. ``"request"``."""
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    seats = representative.seats.all()
    SeatTransition.objects.filter(seat__in=seats).exclude(note="").update(note="")
    seats.exclude(decline_reason="").update(decline_reason="")
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
