"""The outbox: queue an email in the caller's transaction, send it once from a Celery task."""

import base64
import logging
import smtplib
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from interviews.models import Office

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

TRANSIENT_SMTP_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


def message_queue(
    *,
    key: str,
    kind: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    office: Office | None = None,
    from_email: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> OutboxMessage:
    """Queue one email; calling it again with the same ``key`` returns the existing row.

    The send task is published only after the surrounding transaction commits, so a rolled
    back change sends nothing, and a broker that is down loses nothing (the sweep publishes).
    """
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "to": to,
            "subject": subject,
            "body_text": body_text,
            "body_html": body_html,
            "office": office,
            "from_email": from_email or settings.DEFAULT_FROM_EMAIL,
            "attachments": [
                {
                    "filename": name,
                    "content_type": content_type,
                    "content": base64.b64encode(content).decode("ascii"),
                }
                for name, content, content_type in attachments
            ],
        },
    )
    if created:
        transaction.on_commit(lambda: message_publish(message_id=message.pk))
    return message


def message_publish(*, message_id: int) -> None:
    """Hand a message to the broker; if the broker is down, the sweep will try again."""
    from .tasks import send_message

    try:
        send_message.apply_async(kwargs={"message_id": message_id}, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure must not break the caller's request
        logger.warning("outbox: could not publish message %s; the sweep will", message_id)


def message_claim(*, message_id: int) -> bool:
    """Claim a queued message for sending. Only one caller ever gets True for one queuing."""
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.QUEUED).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    return claimed == 1


def message_send(*, message_id: int) -> None:
    """Send a claimed message and mark it sent. Raises on a transient SMTP failure."""
    message = OutboxMessage.objects.get(pk=message_id)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email,
        to=[message.to],
        headers={"Message-ID": message.message_id},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["content_type"],
        )
    email.send()
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("outbox: sent message %s (%s)", message_id, message.kind)


def message_release(*, message_id: int, error: str) -> None:
    """Put a message whose sending failed for a passing reason back in the queue."""
    OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.QUEUED, last_error=error[:2000]
    )


def message_fail(*, message_id: int, error: str) -> None:
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.FAILED, last_error=error[:2000]
    )


def messages_sweep() -> int:
    """Publish again what is queued but not moving, and free what is stuck in *sending*.

    A row stays *queued* if the broker was down when it was written; it stays *sending* if the
    worker died between claim and send. Returns how many messages were published.
    """
    now = timezone.now()
    stuck_before = now - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT_SECONDS)
    OutboxMessage.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=stuck_before).update(
        status=OutboxStatus.QUEUED
    )
    waiting = list(
        OutboxMessage.objects.filter(
            status=OutboxStatus.QUEUED, created_at__lt=now - timedelta(seconds=30)
        ).values_list("pk", flat=True)[:1000]
    )
    for message_id in waiting:
        message_publish(message_id=message_id)
    return len(waiting)
