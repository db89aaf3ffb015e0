"""Redis down: queuing goes on without waiting for it, and the sweep delivers each email once."""

import time

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import message_queue, messages_sweep

from .conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# With "max_retries": 0 in the broker's transport options a publish to a stopped Redis fails at
# once; without it kombu reconnects for about six seconds first. Either way it happens once per
# request: after a failed publish the process leaves the broker alone for a few seconds.
_FIRST_FAILED_PUBLISH_BOUND = (
    3 if settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("max_retries") == 0 else 15
)


def _queue(count: int, prefix: str) -> None:
    with transaction.atomic():
        for n in range(count):
            message_queue(
                key=f"{prefix}:{n}",
                kind="test",
                to=f"bruker{n}@example.no",
                subject=f"Melding {n}",
                body_text=f"Melding nummer {n}",
            )


def test_queuing_while_redis_is_stopped_is_fast_and_the_sweep_then_sends_each_email_once(
    client, leader_a, broker, smtp_sink, start_worker
):
    start_worker()
    broker.stop()

    started = time.monotonic()
    _queue(50, "redis-stopped")
    response = client.post(reverse("account_reset_password"), {"email": leader_a.email})
    elapsed = time.monotonic() - started
    print(f"\n50 emails and one password reset queued with Redis stopped in {elapsed:.2f} s")

    assert response.status_code == 302
    assert elapsed < _FIRST_FAILED_PUBLISH_BOUND
    queued = OutboxMessage.objects.filter(status=OutboxStatus.QUEUED)
    assert queued.count() == 51
    assert not queued.filter(next_attempt_at__gt=timezone.now()).exists()
    assert messages_sweep() == 0

    broker.start()
    published = messages_sweep()

    assert published == 51
    assert wait_for(lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 51)
    time.sleep(1)
    counts = smtp_sink.handler.message_ids()
    assert set(counts) == {m.message_id for m in OutboxMessage.objects.all()}
    assert set(counts.values()) == {1}
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.skipif(
    "socket_timeout" not in settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    reason="a frozen Redis holds a publish until the broker's socket_timeout: not set",
)
def test_queuing_while_redis_is_frozen_returns_within_seconds_and_nothing_is_lost(
    broker, smtp_sink, start_worker
):
    start_worker()
    _queue(1, "warm-up")
    assert wait_for(lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).exists())
    broker.freeze()

    started = time.monotonic()
    _queue(20, "redis-frozen")
    elapsed = time.monotonic() - started
    print(f"\n20 emails queued with Redis frozen in {elapsed:.2f} s")

    assert elapsed < 10
    assert OutboxMessage.objects.filter(status=OutboxStatus.QUEUED).count() == 20

    broker.thaw()
    messages_sweep()

    assert wait_for(lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 21)
    counts = smtp_sink.handler.message_ids()
    assert len(counts) == 21
    assert set(counts.values()) == {1}
