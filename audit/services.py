"""Writing to the audit log. Every sensitive read or write calls ``audit_record``."""

import ipaddress
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from interviews.models import Office

from .enums import ActorKind, AuditAction
from .models import AuditEvent, AuditEventOffice

# The address of the request being served, set by ``audit.middleware.AuditAddressMiddleware``,
# so that a service called without the request still records where the change came from.
current_remote_addr: ContextVar[str | None] = ContextVar("audit_remote_addr", default=None)


def audit_record(
    *,
    action: AuditAction,
    request: HttpRequest | None = None,
    actor: User | None = None,
    actor_kind: ActorKind | None = None,
    obj: models.Model | None = None,
    office: Office | None = None,
    office_id: int | None = None,
    office_ids: Iterable[int] = (),
    **detail: Any,
) -> AuditEvent:
    """Record one event. ``detail`` must hold ids, codes and counts, never personal data.

    The actor is ``actor`` if given (a service that has the user but not the request), else the
    signed-in user of ``request``. Without a user, a request is a representative's link unless
    ``actor_kind`` says otherwise, and no request at all is the system. The address is the
    request's, or that of the request being served when the call comes from a service.
    ``office_id`` may stand for ``office`` where only the id is at hand. ``office_ids``: every
    office the event concerns (an export over several, a person in several pools); HR of any of
    them reads it. They are kept in ``detail`` too.

    The full address is kept only for a signed-in member of staff or an API client, who answer
    for their actions under their name. Anyone else who reaches a request is a representative
    by a link (a service they set going may record itself as the system, e.g. an erasure they
    asked for), so of them only the network is kept (README, "Retention").
    """
    user = actor
    if user is None and request is not None:
        user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    if actor_kind is None:
        if signed_in:
            actor_kind = ActorKind.STAFF
        elif request is None:
            actor_kind = ActorKind.SYSTEM
        else:
            actor_kind = ActorKind.REPRESENTATIVE
    if request is not None:
        remote_addr = request.META.get("REMOTE_ADDR") or None
    else:
        remote_addr = current_remote_addr.get()
    answers_by_name = (actor_kind == ActorKind.STAFF and signed_in) or actor_kind == ActorKind.API
    if not answers_by_name:
        remote_addr = _network_of(remote_addr)
    office_ids = sorted(set(office_ids))
    if office_ids:
        detail["office_ids"] = office_ids
    fields = {
        "action": action,
        "actor": user if signed_in else None,
        "actor_kind": actor_kind,
        "object_type": (obj._meta.model_name or "") if obj is not None else "",
        "object_id": obj.pk if obj is not None else None,
        "office_id": office.pk if office is not None else office_id,
        "remote_addr": remote_addr,
        "detail": _storable(detail),
    }
    if not office_ids:
        return AuditEvent.objects.create(**fields)
    # The event and its offices together: HR of those offices finds it by these rows, so an
    # event stored without them would be one they never see. No savepoint: inside a caller's
    # transaction this adds no query, and a failure fails the caller's change with it.
    with transaction.atomic(savepoint=False):
        event = AuditEvent.objects.create(**fields)
        AuditEventOffice.objects.bulk_create(
            AuditEventOffice(event=event, office_id=pk) for pk in office_ids
        )
    return event


def _storable(value: Any) -> Any:
    """``value`` without NUL characters, which PostgreSQL's JSON cannot hold: an API caller's
    filter text may carry one, and the call must still be recorded, not end in a 500."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def _network_of(address: str | None) -> str | None:
    """The network (IPv4 /24, IPv6 /48) an address belongs to, with its prefix length.

    The audit log is append-only and outlives an erasure, so for representatives it keeps where
    an action came from only as coarsely as a provider's network, not an address that, beside
    the seat's id, would point at one person's home. The prefix is stored with it
    (``203.0.113.0/24``), so PostgreSQL's ``inet`` column holds a network, not a host whose
    last octet happens to be 0 (``/32``).
    """
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def audit_retention_cutoff(*, now: datetime | None = None) -> datetime:
    """Events before this moment are past ``AUDIT_RETENTION_DAYS`` and may be purged."""
    return (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)


def audit_events_purge(*, before: datetime) -> int:
    """Delete events older than ``before`` and older than the retention the database enforces.

    On PostgreSQL the database function ``audit_purge`` (migration 0004) deletes, and it never
    reaches a row younger than five years whatever ``before`` says; the trigger refuses any other
    delete of such a row.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_purge(%s)", [before])
            deleted: int = cursor.fetchone()[0]
    else:
        deleted, _ = AuditEvent.objects.filter(at__lt=before).delete()
    # The offices of the events just purged (an anti-join: the table holds only the events that
    # concern more than one office, or none by their own column).
    AuditEventOffice.objects.filter(
        ~Exists(AuditEvent.objects.filter(pk=OuterRef("event_id")))
    ).delete()
    return deleted
