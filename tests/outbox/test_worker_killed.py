"""A worker killed in the middle of a batch: every email (and every SMS) goes out, and only
those in flight at the kill can go out twice, with the same Message-ID (the same reference)."""

import time

import pytest
from django.db import transaction

from outbox.models import Channel, OutboxMessage, OutboxStatus
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


def test_worker_killed_while_sending_200_sms_sends_each_and_repeats_only_those_in_flight(
    settings, broker, sms_gateway, start_worker
):
    """The same with SMS through the fake gateway: each reaches it, and an SMS sent twice
    carries the same reference (its outbox row), as an email carries its Message-ID."""
    settings.OUTBOX_SENDING_TIMEOUT_SECONDS = 3
    settings.OUTBOX_REPUBLISH_AFTER_SECONDS = 5
    sms_gateway.delay = 0.02
    worker = start_worker(concurrency=CONCURRENCY, SMS_URL=sms_gateway.url)
    with transaction.atomic():
        for n in range(200):
            message_queue(
                key=f"killed-sms:{n}",
                kind="test",
                channel=Channel.SMS,
                to=f"+47{90000000 + n}",
                subject="",
                body_text=f"Melding nummer {n}",
            )
    assert wait_for(lambda: len(sms_gateway.received) >= 60, timeout=60)

    worker.kill()
    received_at_kill = len(sms_gateway.received)
    in_flight = OutboxMessage.objects.filter(status=OutboxStatus.SENDING).count()
    start_worker(concurrency=CONCURRENCY, SMS_URL=sms_gateway.url)

    def all_sent() -> bool:
        messages_sweep()
        return OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 200

    assert wait_for(all_sent, timeout=120, interval=1)
    time.sleep(1)
    counts = sms_gateway.references()
    duplicates = {reference: n for reference, n in counts.items() if n > 1}
    print(
        f"\nkilled after {received_at_kill} of 200 SMS received, {in_flight} in flight; "
        f"{len(duplicates)} sent twice: {sorted(duplicates)}"
    )

    assert set(counts) == {m.sms_reference for m in OutboxMessage.objects.all()}
    assert set(duplicates.values()) <= {2}
    assert len(duplicates) <= in_flight <= CONCURRENCY
    twice = OutboxMessage.objects.filter(pk__in=[int(r.split("-")[1]) for r in duplicates])
    assert all(message.attempts == 2 for message in twice)
    # Each number got its own text, once or (in flight) twice the same.
    assert all(
        sms.text == f"Melding nummer {int(sms.to) - 4790000000}" for sms in sms_gateway.received
    )
