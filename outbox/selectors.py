"""What other modules may ask the outbox: by a message's kind and what it is about, never by
its key (which only the message's kind makes, and nobody parses)."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet

from .models import OutboxMessage, OutboxStatus
from .services import ERASED_ERROR


def messages_newest_first() -> QuerySet[OutboxMessage]:
    """Every outbox message, newest first. Only for administrators and the development mail page."""
    return OutboxMessage.objects.select_related("office").order_by("-created_at", "-id")


def messages_about(*, kind: str | Iterable[str], about_type: str) -> QuerySet[OutboxMessage]:
    """Messages of ``kind`` (one or several) about things of ``about_type`` (``"seat"``…);
    the caller narrows by ``about_id`` (an id, or ``OuterRef`` in a subquery)."""
    kinds = [kind] if isinstance(kind, str) else list(kind)
    return OutboxMessage.objects.filter(kind__in=kinds, about_type=about_type)


def messages_delivered(*, kind: str | Iterable[str], about_type: str) -> QuerySet[OutboxMessage]:
    """Of ``messages_about``, those the mail server took: ``sent_at`` is when."""
    return messages_about(kind=kind, about_type=about_type).filter(
        status=OutboxStatus.SENT, sent_at__isnull=False
    )


def messages_failed(*, office_ids: Iterable[int], since: datetime) -> QuerySet[OutboxMessage]:
    """Messages about ``office_ids`` that failed for good since ``since``, newest first; not
    those stopped because their person was erased."""
    return (
        OutboxMessage.objects.filter(
            office__in=list(office_ids), status=OutboxStatus.FAILED, created_at__gte=since
        )
        .exclude(last_error=ERASED_ERROR)
        .select_related("office")
        .order_by("-created_at", "-id")
    )
