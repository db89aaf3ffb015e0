"""Quiet hours (issue 19, point 1): no SMS between 21:00 and 08:00 Oslo time; an SMS due then
goes at 08:00, across the changes to and from summer time. The clock is time-machine's."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from navpanel import settings as production_settings
from outbox.models import Channel, OutboxMessage, OutboxStatus
from outbox.quiet import sms_quiet_until
from outbox.services import message_deliver, message_queue, messages_sweep

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def quiet_hours(settings):
    settings.SMS_QUIET_START_HOUR = production_settings.SMS_QUIET_START_HOUR
    settings.SMS_QUIET_END_HOUR = production_settings.SMS_QUIET_END_HOUR


@pytest.fixture
def published(monkeypatch) -> list[list[int]]:
    calls: list[list[int]] = []
    monkeypatch.setattr(
        "outbox.services.messages_publish",
        lambda *, message_ids: calls.append(list(message_ids)) or len(message_ids),
    )
    return calls


def test_the_quiet_hours_are_21_to_8_in_production():
    assert (production_settings.SMS_QUIET_START_HOUR, production_settings.SMS_QUIET_END_HOUR) == (
        21,
        8,
    )


@pytest.mark.parametrize(
    ("due", "goes"),
    [
        # The night summer time ends (25 October 2026, 03:00 CEST → 02:00 CET).
        (datetime(2026, 10, 24, 22, 30), datetime(2026, 10, 25, 8, 0)),
        # The night summer time begins (28 March 2027, 02:00 CET → 03:00 CEST).
        (datetime(2027, 3, 27, 22, 30), datetime(2027, 3, 28, 8, 0)),
        (datetime(2026, 12, 7, 6, 59), datetime(2026, 12, 7, 8, 0)),
        (datetime(2026, 12, 7, 21, 0), datetime(2026, 12, 8, 8, 0)),
    ],
)
def test_an_sms_due_in_the_quiet_hours_goes_at_eight_the_next_morning(
    quiet_hours, sms_settings, published, due, goes, django_capture_on_commit_callbacks
):
    due, goes = due.replace(tzinfo=OSLO), goes.replace(tzinfo=OSLO)
    with (
        time_machine.travel(due, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = message_queue(
            key="sms:quiet",
            kind="reminder",
            channel=Channel.SMS,
            to="+4791234567",
            subject="",
            body_text="Påminnelse: intervju i morgen.",
        )
    # Not handed to the broker when queued, and a task that reaches a worker anyway (a retry
    # by an administrator) puts it back, its attempt not counted.
    assert published == []
    with time_machine.travel(due, tick=False):
        assert message_deliver(message_id=message.pk) == OutboxStatus.QUEUED
    message.refresh_from_db()
    assert message.next_attempt_at == goes
    assert message.attempts == 0

    with time_machine.travel(goes.timestamp() - 60, tick=False):
        assert messages_sweep() == 0
        assert message_deliver(message_id=message.pk) == OutboxStatus.QUEUED
    assert sms_settings.received == []

    with time_machine.travel(goes, tick=False):
        assert messages_sweep() == 1
        assert message_deliver(message_id=message.pk) == OutboxStatus.SENT
    [received] = sms_settings.received
    assert received.text == "Påminnelse: intervju i morgen."
    sent = OutboxMessage.objects.get(pk=message.pk)
    assert sent.sent_at == goes and sent.attempts == 1


def test_an_sms_queued_in_the_day_is_published_at_once(
    quiet_hours, published, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(datetime(2026, 10, 24, 20, 59, tzinfo=OSLO), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = message_queue(
            key="sms:day",
            kind="reminder",
            channel=Channel.SMS,
            to="+4791234567",
            subject="",
            body_text="Hei",
        )
    assert published == [[message.pk]]


def test_emails_have_no_quiet_hours(quiet_hours, published, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(datetime(2026, 10, 24, 23, 0, tzinfo=OSLO), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = message_queue(
            key="email:night", kind="reminder", to="kari@example.no", subject="S", body_text="B"
        )
    assert published == [[message.pk]]


def test_quiet_until_is_none_in_the_day(quiet_hours):
    assert sms_quiet_until(datetime(2026, 7, 1, 8, 0, tzinfo=OSLO)) is None
    assert sms_quiet_until(datetime(2026, 7, 1, 20, 59, tzinfo=OSLO)) is None
