"""A real worker against an SMTP server: one connection for a backlog, and a server that says
no, later (451) or never (550)."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import message_queue, messages_sweep

from .conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _queue(office=None) -> OutboxMessage:
    return message_queue(
        key="invitation:seat:7:v1",
        kind="invitation",
        to="ola.nordmann@example.no",
        subject="Invitasjon til intervjupanel",
        body_text="Hei Ola",
        office=office,
    )


def _status(message: OutboxMessage) -> str:
    message.refresh_from_db()
    return message.status


def test_a_worker_sends_a_backlog_over_one_smtp_connection(broker, smtp_sink, start_worker):
    with transaction.atomic():
        for n in range(30):
            message_queue(
                key=f"backlog:{n}", kind="test", to=f"b{n}@example.no", subject="S", body_text="T"
            )
    start_worker()

    assert wait_for(lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 30)

    assert len(smtp_sink.received) == 30
    assert len({received.peer for received in smtp_sink.received}) == 1


def test_a_451_is_retried_after_its_backoff_and_then_sent_once(broker, smtp_sink, start_worker):
    smtp_sink.handler.data_replies.append("451 4.3.0 Mailbox busy, try again later")
    start_worker(OUTBOX_RETRY_BACKOFF_SECONDS=2)

    message = _queue()

    assert wait_for(lambda: message.refresh_from_db() or message.attempts == 1)
    assert wait_for(lambda: _status(message) == OutboxStatus.QUEUED)
    assert message.last_error == "SMTPDataError: 451 4.3.0 Mailbox busy, try again later"
    assert message.next_attempt_at > timezone.now()
    assert messages_sweep() == 0

    assert wait_for(lambda: timezone.now() >= message.next_attempt_at, timeout=5)
    assert messages_sweep() == 1
    assert wait_for(lambda: _status(message) == OutboxStatus.SENT)

    assert (message.attempts, message.last_error) == (2, "")
    assert smtp_sink.handler.message_ids() == {message.message_id: 1}


def test_a_550_fails_the_message_and_the_admin_list_and_leaders_dashboard_show_why(
    client, broker, smtp_sink, start_worker, office_a, leader_a, leader_b
):
    smtp_sink.handler.refused["ola.nordmann@example.no"] = (
        "550 5.1.1 <ola.nordmann@example.no>: Recipient address rejected: User unknown"
    )
    start_worker()
    admin = User.objects.create_superuser(email="admin@navpanel.no", password="x", name="Admin")

    message = _queue(office=office_a)

    assert wait_for(lambda: _status(message) == OutboxStatus.FAILED)
    assert message.attempts == 1
    assert messages_sweep() == 0
    assert smtp_sink.received == []

    client.force_login(admin)
    response = client.get(
        reverse("admin:outbox_outboxmessage_changelist"),
        {"status__exact": "failed"},
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert "550 5.1.1 &lt;[address]&gt;: Recipient address rejected" in response.text

    client.force_login(leader_a)
    dashboard = client.get(reverse("dashboard"), headers={"accept-language": "en"})
    client.force_login(leader_b)
    other_office = client.get(reverse("dashboard"), headers={"accept-language": "en"})

    assert "Emails and SMS that could not be sent" in dashboard.text
    assert "Recipient address rejected" in dashboard.text
    assert "o***@example.no" in dashboard.text
    assert "Recipient address rejected" not in other_office.text
