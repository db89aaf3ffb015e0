"""Every periodic task of the beat schedule, run twice through a real worker: the second run
sends nothing new."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from navpanel.celery import app as celery_app
from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import message_queue
from panels import emails
from panels.enums import RepresentativeStatus
from panels.models import Representative, Seat
from tests.factories.links import invited_seat
from tests.factories.panels import PoolRepresentativeFactory
from tests.panels.test_jobs import _accepted_seat, _consented, _past_day

from .conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Every task beat runs, read from the schedule, so that a task added to it is covered here.
PERIODIC = sorted({entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()})


def _run_every_task_and_wait(marker: str) -> None:
    """Publish every periodic task, then a marker email behind them, and wait for the marker.

    The worker (one process, solo pool, one message at a time) takes tasks in the order they
    were published, so once the marker is sent, every task before it has run.
    """
    for name in PERIODIC:
        celery_app.send_task(name)
    message = message_queue(
        key=f"test:marker:{marker}",
        kind="marker",
        to="marker@example.no",
        subject=marker,
        body_text=marker,
    )
    assert wait_for(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENT).exists(),
        timeout=60,
    ), f"the worker did not get to the marker {marker}"


def _all_sent() -> bool:
    return not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()


def test_the_beat_schedule_holds_the_jobs_of_issue_6():
    assert set(PERIODIC) >= {
        "outbox.sweep",
        "panels.reminders",
        "panels.answer_reminders",
        "panels.invitations_expire",
        "panels.attendance_reminders",
        "panels.feedback_requests",
        "panels.consent_renewals",
        "panels.unanswered_consents_erase",
        "retention.nightly",
    }


def test_every_periodic_task_run_twice_by_the_worker_sends_nothing_new_the_second_time(
    office_a, leader_a, celery_worker, mail_dir
):
    now = timezone.now()
    expiring = invited_seat(office=office_a)
    Seat.objects.filter(pk=expiring.pk).update(answer_by=now - timedelta(minutes=1))
    PoolRepresentativeFactory(offices=[office_a], name="Vara Reserve")
    _past_day(office_a, now - timedelta(days=2))
    _accepted_seat(office_a, now + timedelta(days=2), accepted_at=now - timedelta(days=10))
    _consented([office_a], months_ago=25, now=now)
    silent = PoolRepresentativeFactory(
        offices=[office_a], status=RepresentativeStatus.AWAITING_CONSENT
    )
    emails.consent_request(representative=silent)
    request = OutboxMessage.objects.filter(representative_id=silent.pk)
    assert wait_for(lambda: request.filter(status=OutboxStatus.SENT).exists())
    # Delivered 31 days ago: the erasure clock starts at delivery.
    request.update(sent_at=now - timedelta(days=31))
    before = set(OutboxMessage.objects.values_list("kind", flat=True))

    _run_every_task_and_wait("first")
    assert wait_for(_all_sent, timeout=60)
    first = dict(OutboxMessage.objects.values_list("key", "status"))
    _run_every_task_and_wait("second")
    assert wait_for(_all_sent, timeout=60)

    after = dict(OutboxMessage.objects.values_list("key", "status"))
    assert set(after) - set(first) == {"test:marker:second"}
    kinds = set(OutboxMessage.objects.values_list("kind", flat=True)) - before
    assert kinds >= {
        "reminder",
        "expired_notice",
        "attendance_reminder",
        "feedback_request",
        "staff_feedback_request",
        "consent_renewal",
    }
    assert not Representative.objects.filter(pk=silent.pk).exists()
    files = [path.read_text(errors="replace") for path in mail_dir.iterdir()]
    for message in OutboxMessage.objects.all():
        assert sum(message.message_id in text for text in files) == 1, message.key
