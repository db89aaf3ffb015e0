"""A task sent from a view runs on a real Celery worker against Redis and PostgreSQL."""

import time

import pytest
from django.urls import reverse

from outbox.models import OutboxMessage, OutboxStatus

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_password_reset_email_is_sent_by_the_worker_once(client, leader_a, celery_worker, mail_dir):
    client.post(reverse("account_reset_password"), {"email": "leder.rana@navpanel.no"})
    message = OutboxMessage.objects.get()

    sent = _wait_for(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENT).exists()
    )

    assert sent, "the worker did not send the password reset email"
    files = [p.read_text() for p in mail_dir.iterdir()]
    matching = [f for f in files if message.message_id in f]
    assert len(matching) == 1
    assert "To: leder.rana@navpanel.no" in matching[0]
    assert "/konto/password/reset/key/" in matching[0]
