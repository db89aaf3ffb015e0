"""``manage.py send_test_email ADDRESS``: one email straight through the configured backend."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from outbox.models import OutboxMessage

from .conftest import free_port

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("send_test_email", *args, stdout=out)
    return out.getvalue()


def test_send_test_email_sends_one_email_through_smtp_and_says_so(smtp_settings):
    output = _run("drift@nav.no")

    [received] = smtp_settings.received
    assert received.to == ["drift@nav.no"]
    assert received.subject == "navpanel test email"
    assert f"SMTP 127.0.0.1:{smtp_settings.port}" in received.text
    assert "The test email to drift@nav.no was sent through SMTP 127.0.0.1:" in output
    assert received.message_id in output
    assert OutboxMessage.objects.count() == 0


def test_send_test_email_reports_the_smtp_error_when_the_server_refuses(smtp_settings):
    smtp_settings.handler.refused["drift@nav.no"] = "550 5.7.1 Relaying denied"

    with pytest.raises(CommandError) as failure:
        _run("drift@nav.no")

    assert "was NOT sent" in str(failure.value)
    assert "SMTPRecipientsRefused: 550 5.7.1 Relaying denied" in str(failure.value)
    assert smtp_settings.received == []


def test_send_test_email_reports_a_server_it_cannot_reach(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()

    with pytest.raises(CommandError) as failure:
        _run("drift@nav.no")

    assert "was NOT sent" in str(failure.value)
    assert "ConnectionRefusedError" in str(failure.value)


def test_send_test_email_refuses_something_that_is_not_an_address(smtp_settings):
    with pytest.raises(CommandError, match="is not an email address"):
        _run("drift-at-nav.no")

    assert smtp_settings.received == []
