"""A worker killed in the middle of a batch: every email goes out, and only those in flight at
the kill can go out twice, with the same Message-ID."""

import time

import pytest
from django.db import transaction

from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import message_queue, messages_sweep

from .conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CONCURRENCY = 2


def test_worker_killed_while_sending_200_emails_sends_each_and_repeats_only_those_in_flight(
    settings, broker, smtp_sink, start_worker
):
    settings.OUTBOX_SENDING_TIMEOUT_SECONDS = 3
    settings.OUTBOX_REPUBLISH_AFTER_SECONDS = 5
    smtp_sink.handler.delay = 0.02
    worker = start_worker(concurrency=CONCURRENCY)
    with transaction.atomic():
        for n in range(200):
            message_queue(
                key=f"killed:{n}",
                kind="test",
                to=f"bruker{n}@example.no",
                subject=f"Melding {n}",
                body_text=f"Melding nummer {n}",
            )
    assert wait_for(lambda: len(smtp_sink.received) >= 60, timeout=60)

    worker.kill()
    received_at_kill = len(smtp_sink.received)
    in_flight = OutboxMessage.objects.filter(status=OutboxStatus.SENDING).count()
    start_worker(concurrency=CONCURRENCY)

    def all_sent() -> bool:
        messages_sweep()
        return OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 200

    assert wait_for(all_sent, timeout=120, interval=1)
    time.sleep(1)
    counts = smtp_sink.handler.message_ids()
    duplicates = {message_id: n for message_id, n in counts.items() if n > 1}
    print(
        f"\nkilled after {received_at_kill} of 200 received, {in_flight} in flight; "
        f"{len(duplicates)} sent twice: {sorted(duplicates)}"
    )

    assert set(counts) == {m.message_id for m in OutboxMessage.objects.all()}
    assert set(duplicates.values()) <= {2}
    assert len(duplicates) <= in_flight <= CONCURRENCY
    twice = OutboxMessage.objects.filter(
        pk__in=[int(mid.split("-")[1].split("@")[0]) for mid in duplicates]
    )
    assert all(message.attempts == 2 for message in twice)
