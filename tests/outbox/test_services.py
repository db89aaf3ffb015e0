"""Queuing, claiming and sending one message, against a real SMTP server (an aiosmtpd sink)."""

import smtplib
import time
from datetime import timedelta

import pytest
from django.core.mail import BadHeaderError
from django.db import transaction
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import (
    error_describe,
    error_is_permanent,
    message_claim,
    message_deliver,
    message_queue,
    messages_retry,
    retry_delay,
)
from tests.factories.outbox import OutboxMessageFactory

from .conftest import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def publishes(monkeypatch) -> list[list[int]]:
    """The ids of each hand-over to the broker, as ``messages_publish`` received them."""
    from outbox import services

    calls: list[list[int]] = []
    publish = services.messages_publish

    def recorded(*, message_ids):
        calls.append(list(message_ids))
        return publish(message_ids=message_ids)

    monkeypatch.setattr(services, "messages_publish", recorded)
    return calls


def _queue(key: str = "invitation:seat:1:v1", **fields) -> OutboxMessage:
    return message_queue(
        key=key,
        kind="invitation",
        to=fields.pop("to", "kari.nordmann@example.no"),
        subject="Invitasjon til intervjupanel",
        body_text="Hei Kari,\ndu er invitert.",
        body_html="<p>Hei Kari,</p><p>du er invitert.</p>",
        **fields,
    )


def test_queuing_the_same_key_twice_gives_one_row_and_one_publish(
    broker, django_capture_on_commit_callbacks, publishes
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue()
        second = _queue()

    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert publishes == [[first.pk]]
    assert broker.messages_waiting() == [first.pk]


def test_the_messages_of_one_transaction_are_published_together_once_it_commits(
    broker, django_capture_on_commit_callbacks, publishes
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue("invitation:seat:1:v1")
        with pytest.raises(RuntimeError), transaction.atomic():
            _queue("invitation:seat:2:v1")
            raise RuntimeError("this part of the change failed")
        third = _queue("invitation:seat:3:v1")
        assert broker.queue_length() == 0

    assert publishes == [[first.pk, third.pk]]
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {first.pk, third.pk}
    assert broker.messages_waiting() == [first.pk, third.pk]
    assert broker.queue_length() == 1  # one task carries both (services.PUBLISH_BATCH)


def test_a_rolled_back_savepoint_that_queued_first_leaves_the_later_messages_published(
    broker, django_capture_on_commit_callbacks, publishes
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _queue("invitation:seat:1:v1")
            raise RuntimeError("this part of the change failed")
        kept = _queue("invitation:seat:2:v1")

    assert publishes == [[kept.pk]]
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [kept.pk]
    assert broker.messages_waiting() == [kept.pk]


def test_a_message_queued_in_a_rolled_back_transaction_leaves_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _queue()
            raise RuntimeError("the change that caused the email failed")

    assert OutboxMessage.objects.count() == 0
    assert callbacks == []


def test_a_new_message_is_not_due_for_the_sweep_while_its_first_publish_is_on_its_way(settings):
    settings.OUTBOX_REPUBLISH_AFTER_SECONDS = 300

    message = _queue()

    assert message.status == OutboxStatus.QUEUED
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=290)


def test_deliver_sends_the_message_with_its_message_id_and_marks_it_sent(smtp_settings):
    message = _queue(attachments=[("intervju.ics", b"BEGIN:VCALENDAR\r\n", "text/calendar")])

    status = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert status == OutboxStatus.SENT
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 1, "")
    assert message.sent_at is not None
    [received] = smtp_settings.received
    assert received.message_id == message.message_id
    assert received.to == ["kari.nordmann@example.no"]
    assert received.text.splitlines() == ["Hei Kari,", "du er invitert."]
    assert [p.get_filename() for p in received.parsed.iter_attachments()] == ["intervju.ics"]


def test_an_email_about_an_office_is_sent_in_its_name_with_two_queries(
    smtp_settings, django_assert_num_queries
):
    from tests.factories import OfficeFactory

    office = OfficeFactory(name="NAV Tromsø, Karlsøy og Balsfjord", email="nav.tromso@nav.no")
    message = _queue(office=office)

    with django_assert_num_queries(2):  # the claim (with the office) and the sent record
        status = message_deliver(message_id=message.pk)

    [received] = smtp_settings.received
    assert status == OutboxStatus.SENT
    assert received.parsed["From"].addresses[0].display_name == ("NAV Tromsø, Karlsøy og Balsfjord")
    assert str(received.parsed["Reply-To"].addresses[0].addr_spec) == "nav.tromso@nav.no"


def test_a_batch_writes_each_sent_record_with_the_next_claim(
    smtp_settings, django_assert_num_queries
):
    from outbox.services import messages_deliver

    messages = [_queue(key=f"invitation:seat:{n}:v1", to=f"p{n}@example.no") for n in range(3)]

    # The first claim, two records each with the next claim, and the last record.
    with django_assert_num_queries(4):
        done = messages_deliver(message_ids=[m.pk for m in messages])

    assert done == 3
    assert sorted(r.message_id for r in smtp_settings.received) == sorted(
        m.message_id for m in messages
    )
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_a_batch_stopped_after_a_send_still_records_that_email_as_sent(smtp_settings, monkeypatch):
    from outbox import services

    first, second = _queue(key="invitation:seat:1:v1"), _queue(key="invitation:seat:2:v1")
    claim = services.message_claim

    def failing_for_the_second(*, message_id, sent=None):
        if message_id == second.pk:
            raise RuntimeError("the worker is stopping")
        return claim(message_id=message_id, sent=sent)

    monkeypatch.setattr(services, "message_claim", failing_for_the_second)

    with pytest.raises(RuntimeError):
        services.messages_deliver(message_ids=[first.pk, second.pk])

    first.refresh_from_db()
    second.refresh_from_db()
    assert [r.message_id for r in smtp_settings.received] == [first.message_id]
    assert (first.status, second.status) == (OutboxStatus.SENT, OutboxStatus.QUEUED)


def test_a_delivery_builds_the_email_once_and_sends_what_it_checked(smtp_settings, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    built = []
    build = EmailMultiAlternatives.message

    def counted(self):
        built.append(1)
        return build(self)

    monkeypatch.setattr(EmailMultiAlternatives, "message", counted)
    message = _queue(attachments=[("intervju.ics", b"BEGIN:VCALENDAR\r\n", "text/calendar")])

    message_deliver(message_id=message.pk)

    [received] = smtp_settings.received
    assert len(built) == 1
    assert received.message_id == message.message_id


def test_a_task_delivered_twice_sends_the_message_once(smtp_settings):
    message = _queue()

    first = message_deliver(message_id=message.pk)
    second = message_deliver(message_id=message.pk)

    assert (first, second) == (OutboxStatus.SENT, None)
    assert len(smtp_settings.received) == 1


def test_only_one_claim_wins(smtp_settings):
    message = _queue()

    claims = [message_claim(message_id=message.pk) for _ in range(3)]

    assert claims[0] is not None
    assert claims[1:] == [None, None]


def test_a_451_reply_queues_the_message_again_after_its_backoff(settings, smtp_settings):
    settings.OUTBOX_RETRY_BACKOFF_SECONDS = 60
    smtp_settings.handler.data_replies.append("451 4.3.0 Mailbox busy, try again later")
    message = _queue()
    before = timezone.now()

    status = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert status == OutboxStatus.QUEUED
    assert message.attempts == 1
    assert message.last_error == "SMTPDataError: 451 4.3.0 Mailbox busy, try again later"
    assert before + timedelta(seconds=60) <= message.next_attempt_at
    assert message.next_attempt_at <= timezone.now() + timedelta(seconds=60)
    assert smtp_settings.received == []


def test_a_refused_recipient_fails_the_message_without_the_address_in_the_error(smtp_settings):
    smtp_settings.handler.refused["kari.nordmann@example.no"] = (
        "550 5.1.1 <kari.nordmann@example.no>: Recipient address rejected: User unknown"
    )
    message = _queue()

    status = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert status == OutboxStatus.FAILED
    assert message.status == OutboxStatus.FAILED
    assert message.last_error == (
        "SMTPRecipientsRefused: 550 5.1.1 <[address]>: Recipient address rejected: User unknown"
    )


def test_a_554_reply_to_the_content_fails_the_message(smtp_settings):
    smtp_settings.handler.data_replies.append("554 5.6.0 Message content rejected")
    message = _queue()

    assert message_deliver(message_id=message.pk) == OutboxStatus.FAILED


def test_an_smtp_server_that_cannot_be_reached_is_tried_again(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    message = _queue()

    status = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert status == OutboxStatus.QUEUED
    assert message.last_error.startswith("ConnectionRefusedError")


def test_a_message_out_of_attempts_fails_for_good(settings, smtp_settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    smtp_settings.handler.data_replies.extend(["451 4.3.0 Busy", "451 4.3.0 Still busy"])
    message = _queue()

    first = message_deliver(message_id=message.pk)
    second = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert (first, second) == (OutboxStatus.QUEUED, OutboxStatus.FAILED)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 2)
    assert message.last_error == "SMTPDataError: 451 4.3.0 Still busy"


def test_the_backoff_doubles_per_attempt_up_to_its_cap(settings):
    settings.OUTBOX_RETRY_BACKOFF_SECONDS = 60
    settings.OUTBOX_RETRY_BACKOFF_MAX_SECONDS = 3600

    delays = [retry_delay(attempts=n).total_seconds() for n in range(1, 9)]

    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.no": (550, b"User unknown")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.no": (450, b"Mailbox busy")}), False),
        (smtplib.SMTPSenderRefused(553, b"Sender rejected", "navpanel@nav.no"), True),
        (smtplib.SMTPDataError(554, b"Rejected"), True),
        (smtplib.SMTPDataError(451, b"Try again"), False),
        (smtplib.SMTPAuthenticationError(535, b"Bad credentials"), False),
        (smtplib.SMTPConnectError(554, b"No service"), False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
        (smtplib.SMTPNotSupportedError("SMTPUTF8 not supported"), True),
        (BadHeaderError("Header values can't contain newlines"), True),
        (ConnectionRefusedError(111, "Connection refused"), False),
        (TimeoutError("timed out"), False),
    ],
)
def test_errors_that_refuse_the_message_are_permanent_and_the_rest_pass(error, permanent):
    assert error_is_permanent(error) is permanent


def test_error_description_keeps_code_and_reply_and_masks_addresses():
    error = smtplib.SMTPSenderRefused(553, b"5.7.1 <navpanel@nav.no> not allowed", "x@nav.no")

    assert error_describe(error) == "SMTPSenderRefused: 553 5.7.1 <[address]> not allowed"


def test_retry_queues_failed_messages_again_once_and_publishes_them_on_commit(
    broker, django_capture_on_commit_callbacks
):
    failed = OutboxMessageFactory(status=OutboxStatus.FAILED, attempts=8, last_error="550 …")
    sent = OutboxMessageFactory(status=OutboxStatus.SENT, attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        first = messages_retry(message_ids=[failed.pk, sent.pk])
    with django_capture_on_commit_callbacks(execute=True):
        second = messages_retry(message_ids=[failed.pk, sent.pk])

    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (first, second) == (1, 0)
    assert (failed.status, failed.attempts) == (OutboxStatus.QUEUED, 0)
    assert sent.status == OutboxStatus.SENT
    assert broker.messages_waiting() == [failed.pk]


def test_a_batch_that_has_used_its_time_hands_the_rest_to_new_tasks(
    broker, smtp_settings, monkeypatch
):
    from outbox import services, tasks

    messages = [OutboxMessageFactory(next_attempt_at=None) for _ in range(3)]
    deliver = services._deliver_claimed

    def slow_server(message, **kwargs):
        status = deliver(message, **kwargs)
        time.sleep(0.2)
        return status

    monkeypatch.setattr(services, "_deliver_claimed", slow_server)
    monkeypatch.setattr(tasks, "BATCH_BUDGET_SECONDS", 0.1)

    tasks.send_messages(message_ids=[m.pk for m in messages])

    statuses = [OutboxMessage.objects.get(pk=m.pk).status for m in messages]
    assert statuses == [OutboxStatus.SENT, OutboxStatus.QUEUED, OutboxStatus.QUEUED]
    assert broker.messages_waiting() == [messages[1].pk, messages[2].pk]
    assert len(smtp_settings.received) == 1
