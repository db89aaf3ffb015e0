from celery import shared_task

from . import services


@shared_task(name="outbox.send")
def send_message(*, message_id: int) -> None:
    """Send one outbox message if it is still queued; a repeated task sends nothing twice."""
    services.message_deliver(message_id=message_id)


@shared_task(name="outbox.sweep")
def sweep() -> int:
    """Free messages stuck in *sending* and publish the due ones (beat runs it every minute)."""
    return services.messages_sweep()
