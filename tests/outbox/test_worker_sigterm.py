"""A worker stopped by SIGTERM, as a rollout stops a pod: it finishes the emails it is sending,
exits within NAIS's 30 s grace period, and hands back the tasks it had reserved, which the next
worker delivers at once (acks late: no task is lost, and none waits for the sweep)."""

import signal
import time

import pytest
from django.db import transaction

from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import message_queue

from .conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

GRACE_SECONDS = 30


def test_a_worker_stopped_by_sigterm_finishes_its_emails_and_hands_back_what_it_reserved(
    broker, smtp_sink, start_worker
):
    smtp_sink.handler.delay = 0.5  # each email takes half a second: some are mid-send at SIGTERM
    first = start_worker(concurrency=2)
    with transaction.atomic():
        for n in range(12):
            message_queue(
                key=f"sigterm:{n}",
                kind="test",
                to=f"bruker{n}@example.no",
                subject=f"Melding {n}",
                body_text=f"Melding nummer {n}",
            )
    assert wait_for(lambda: len(smtp_sink.received) >= 2, timeout=60)

    stopping = time.monotonic()
    first.process.send_signal(signal.SIGTERM)
    code = first.process.wait(timeout=GRACE_SECONDS)
    stopped_after = time.monotonic() - stopping
    left_mid_send = OutboxMessage.objects.filter(status=OutboxStatus.SENDING).count()
    start_worker(concurrency=2)  # no sweep runs here: only handed-back tasks can reach it
    all_sent = wait_for(
        lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 12, timeout=60
    )

    assert code == 0
    assert stopped_after < GRACE_SECONDS
    assert left_mid_send == 0
    assert all_sent, f"{OutboxMessage.objects.exclude(status=OutboxStatus.SENT).count()} lost"
    counts = smtp_sink.handler.message_ids()
    assert set(counts) == {m.message_id for m in OutboxMessage.objects.all()}
    assert set(counts.values()) == {1}
