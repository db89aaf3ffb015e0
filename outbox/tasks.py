import time

from celery import shared_task

from . import services
from .smtp import worker_connection

# One email: an SMTP exchange (EMAIL_TIMEOUT per step) or a Graph call that waits out short
# throttles (outbox.graph). Well below the general task limit, so that a row stuck in *sending*
# can be freed soon after (OUTBOX_SENDING_TIMEOUT_SECONDS is above this).
SEND_TIME_LIMIT_SECONDS = 120
# A batch starts no new message after this long; one send may then still take the rest of
# the soft time limit.
BATCH_BUDGET_SECONDS = 10


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


@shared_task(
    name="outbox.send_batch",
    time_limit=SEND_TIME_LIMIT_SECONDS,
    soft_time_limit=SEND_TIME_LIMIT_SECONDS - 10,
)
def send_messages(*, message_ids: list[int]) -> None:
    """Send each of a batch of outbox messages (``services.PUBLISH_BATCH``), as ``send_message``
    does one; a message already sent, or claimed by another worker, is passed over.

    A batch that has taken ``BATCH_BUDGET_SECONDS`` (a slow or failing server: a healthy batch
    of 50 takes a fifth of a second) hands the rest to new tasks, so that no batch runs into
    its time limit and other workers share the work.
    """
    done = services.messages_deliver(
        message_ids=message_ids,
        connection=worker_connection(),
        deadline=time.monotonic() + BATCH_BUDGET_SECONDS,
    )
    if done < len(message_ids):
        services.messages_publish_queued(message_ids=message_ids[done:])


@shared_task(name="outbox.sweep")
def sweep() -> int:
    """Free messages stuck in *sending* and publish the due ones (beat runs it every minute)."""
    return services.messages_sweep()
