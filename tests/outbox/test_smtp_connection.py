"""The worker's SMTP connection: kept open from one email to the next, replaced when the server
dropped it while idle, closed after a failed send; never a second send of one message."""

import time

import pytest
from aiosmtpd.controller import Controller

from outbox import smtp
from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import message_deliver, message_queue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_connection():
    """Each test starts without the connection a previous one kept, and leaves none."""
    smtp.connection_close()
    yield
    smtp.connection_close()


def _queue(n: int) -> OutboxMessage:
    return message_queue(
        key=f"connection:{n}", kind="test", to=f"b{n}@example.no", subject="S", body_text="T"
    )


def test_emails_sent_one_after_another_share_one_smtp_connection(smtp_settings):
    messages = [_queue(n) for n in range(3)]

    statuses = [
        message_deliver(message_id=m.pk, connection=smtp.worker_connection()) for m in messages
    ]

    assert statuses == [OutboxStatus.SENT] * 3
    assert len(smtp_settings.received) == 3
    assert len({received.peer for received in smtp_settings.received}) == 1


def test_a_connection_dropped_while_idle_is_replaced_before_the_next_email(
    smtp_settings, monkeypatch
):
    first, second = _queue(1), _queue(2)
    message_deliver(message_id=first.pk, connection=smtp.worker_connection())
    smtp_settings.controller.stop()
    smtp_settings.controller = Controller(
        smtp_settings.handler, hostname="127.0.0.1", port=smtp_settings.port
    )
    smtp_settings.controller.start()
    monkeypatch.setattr(smtp, "_last_used", time.monotonic() - smtp.IDLE_CHECK_SECONDS - 1)

    status = message_deliver(message_id=second.pk, connection=smtp.worker_connection())

    second.refresh_from_db()
    assert (status, second.attempts, second.last_error) == (OutboxStatus.SENT, 1, "")
    assert [r.message_id for r in smtp_settings.received] == [first.message_id, second.message_id]
    assert len({received.peer for received in smtp_settings.received}) == 2


def test_after_a_refused_email_the_connection_is_replaced_and_the_next_one_goes_out(smtp_settings):
    refused, next_one = _queue(1), _queue(2)
    smtp_settings.handler.data_replies.append("451 4.3.0 Mailbox busy, try again later")

    first = message_deliver(message_id=refused.pk, connection=smtp.worker_connection())
    second = message_deliver(message_id=next_one.pk, connection=smtp.worker_connection())

    refused.refresh_from_db()
    assert (first, second) == (OutboxStatus.QUEUED, OutboxStatus.SENT)
    assert refused.last_error == "SMTPDataError: 451 4.3.0 Mailbox busy, try again later"
    assert [r.message_id for r in smtp_settings.received] == [next_one.message_id]


def test_without_smtp_there_is_no_connection_to_keep(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"

    assert smtp.worker_connection() is None
