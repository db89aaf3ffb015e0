from celery import shared_task

from . import services
from .smtp import worker_connection

# One email: an SMTP exchange (EMAIL_TIMEOUT per step) or a Graph call that waits out short
# throttles (outbox.graph). Well below the general task limit, so that a row stuck in *sending*
# can be freed soon after (OUTBOX_SENDING_TIMEOUT_SECONDS is above this).
SEND_TIME_LIMIT_SECONDS = 120


@shared_task(
    name="outbox.send",
    time_limit=SEND_TIME_LIMIT_SECONDS,
    soft_time_limit=SEND_TIME_LIMIT_SECONDS - 10,
)
def send_message(*, message_id: int) -> None:
    """Send one outbox message if it is still queued; a repeated task sends nothing twice.

    Over the SMTP connection this worker process keeps open between tasks (``outbox.smtp``).
    """
    services.message_deliver(message_id=message_id, connection=worker_connection())


@shared_task(name="outbox.sweep")
def sweep() -> int:
    """Free messages stuck in *sending* and publish the due ones (beat runs it every minute)."""
    return services.messages_sweep()
