"""The sweep publishes what is due, once per due time, and frees what a lost worker left."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import message_queue, messages_sweep
from tests.factories.outbox import OutboxMessageFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _queue(count: int) -> list[OutboxMessage]:
    with transaction.atomic():
        return [
            message_queue(
                key=f"sweep:{n}",
                kind="test",
                to=f"bruker{n}@example.no",
                subject="Hei",
                body_text="Hei",
            )
            for n in range(count)
        ]


def test_new_messages_are_published_on_commit_and_not_again_by_the_next_sweep(broker):
    _queue(5)

    published = messages_sweep()

    assert len(broker.messages_waiting()) == 5
    assert published == 0
    assert len(broker.messages_waiting()) == 5


def test_sweep_twice_in_a_row_publishes_nothing_new_the_second_time(broker):
    OutboxMessageFactory.create_batch(4, next_attempt_at=timezone.now() - timedelta(seconds=1))

    first = messages_sweep()
    second = messages_sweep()

    assert (first, second) == (4, 0)
    assert len(broker.messages_waiting()) == 4


def test_sweep_publishes_a_message_again_once_it_has_waited_the_republish_time(settings, broker):
    settings.OUTBOX_REPUBLISH_AFTER_SECONDS = 0
    OutboxMessageFactory(next_attempt_at=timezone.now() - timedelta(seconds=1))

    assert messages_sweep() == 1
    assert messages_sweep() == 1
    assert len(broker.messages_waiting()) == 2


def test_sweep_leaves_messages_alone_until_their_backoff_is_over(broker):
    waiting = OutboxMessageFactory(next_attempt_at=timezone.now() + timedelta(minutes=5))
    OutboxMessageFactory(status=OutboxStatus.SENT, next_attempt_at=None)
    OutboxMessageFactory(status=OutboxStatus.FAILED, next_attempt_at=None)

    assert messages_sweep() == 0

    OutboxMessage.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())
    assert messages_sweep() == 1


def test_sweep_queues_again_a_message_stuck_in_sending_past_the_timeout(settings, broker):
    settings.OUTBOX_SENDING_TIMEOUT_SECONDS = 60
    long_ago = timezone.now() - timedelta(seconds=61)
    stuck = OutboxMessageFactory(status=OutboxStatus.SENDING, claimed_at=long_ago, attempts=1)
    busy = OutboxMessageFactory(
        status=OutboxStatus.SENDING, claimed_at=timezone.now(), attempts=1, next_attempt_at=None
    )

    published = messages_sweep()

    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert published == 1
    assert stuck.status == OutboxStatus.QUEUED
    assert stuck.attempts == 1
    assert stuck.last_error.startswith("WorkerLost")
    assert busy.status == OutboxStatus.SENDING


def test_sweep_fails_a_message_that_lost_its_worker_on_every_attempt(settings, broker):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    long_ago = timezone.now() - timedelta(hours=1)
    stuck = OutboxMessageFactory(status=OutboxStatus.SENDING, claimed_at=long_ago, attempts=3)

    published = messages_sweep()

    stuck.refresh_from_db()
    assert published == 0
    assert stuck.status == OutboxStatus.FAILED


def test_sweep_with_the_broker_down_publishes_nothing_and_leaves_every_message_due(broker):
    OutboxMessageFactory.create_batch(3, next_attempt_at=timezone.now() - timedelta(seconds=1))
    broker.stop()

    published = messages_sweep()

    assert published == 0
    assert OutboxMessage.objects.filter(next_attempt_at__lte=timezone.now()).count() == 3


def test_a_message_whose_worker_died_is_freed_within_minutes_and_never_before_its_task_could_end():
    from outbox import conf
    from outbox.tasks import SEND_TIME_LIMIT_SECONDS, send_message

    timeout = conf.DEFAULTS["OUTBOX_SENDING_TIMEOUT_SECONDS"]

    assert send_message.time_limit == SEND_TIME_LIMIT_SECONDS < timeout
    # Freed by the next sweep (every minute): redelivered within about three minutes, not ten.
    assert timeout + 60 <= 210
