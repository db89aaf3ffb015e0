"""Writing to the audit log. Every sensitive read or write calls ``audit_record``."""

from datetime import datetime
from typing import Any

from django.db import connection, models, transaction
from django.http import HttpRequest

from interviews.models import Office

from .enums import ActorKind, AuditAction
from .models import AuditEvent


def audit_record(
    *,
    action: AuditAction,
    request: HttpRequest | None = None,
    actor_kind: ActorKind | None = None,
    obj: models.Model | None = None,
    office: Office | None = None,
    **detail: Any,
) -> AuditEvent:
    """Record one event. ``detail`` must hold ids, filters and counts, never personal data.

    The actor is the signed-in user of ``request`` (if any); a request without one is a
    representative's link unless ``actor_kind`` says otherwise; no request is the system.
    """
    user = getattr(request, "user", None) if request is not None else None
    signed_in = bool(user is not None and user.is_authenticated)
    if actor_kind is None:
        if request is None:
            actor_kind = ActorKind.SYSTEM
        else:
            actor_kind = ActorKind.STAFF if signed_in else ActorKind.REPRESENTATIVE
    return AuditEvent.objects.create(
        action=action,
        actor=user if signed_in else None,
        actor_kind=actor_kind,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        office=office,
        remote_addr=request.META.get("REMOTE_ADDR") or None if request is not None else None,
        detail=detail,
    )


@transaction.atomic
def audit_events_purge(*, before: datetime) -> int:
    """Delete events older than the retention period; the only delete the trigger allows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL navpanel.audit_purge = 'on'")
    deleted, _ = AuditEvent.objects.filter(at__lt=before).delete()
    return deleted
