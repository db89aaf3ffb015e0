from django.db.models import QuerySet

from .models import OutboxMessage


def messages_newest_first() -> QuerySet[OutboxMessage]:
    """Every outbox message, newest first. Only for administrators and the development mail page."""
    return OutboxMessage.objects.select_related("office").order_by("-created_at", "-id")
