"""No personal data in the logs: a failed email, a refused page and an erasure log ids only."""

import logging
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse

from outbox.services import message_deliver, message_queue
from panels.erasure import representative_erase
from tests.factories.panels import PoolRepresentativeFactory

pytestmark = pytest.mark.django_db

NAME = "Torill Taus"
EMAIL = "torill.taus@example.no"


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses the recipient, naming the address in its reply."""

    def send_messages(self, email_messages):
        address = email_messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, f"5.1.1 <{address}>: Recipient address rejected".encode())}
        )


@pytest.fixture
def torill(office_a):
    return PoolRepresentativeFactory(offices=[office_a], name=NAME, email=EMAIL)


@override_settings(EMAIL_BACKEND="tests.accounts.test_logs.RefusingBackend")
def test_a_refused_email_is_logged_without_the_address_or_the_name(caplog, office_a, torill):
    message = message_queue(
        key="test:refused",
        kind="invitation",
        to=EMAIL,
        subject=f"Invitasjon til {NAME}",
        body_text=f"Hei {NAME}",
        office=office_a,
        representative_id=torill.pk,
    )
    caplog.set_level(logging.DEBUG)

    message_deliver(message_id=message.pk)

    assert "failed" in caplog.text
    assert EMAIL not in caplog.text
    assert "Torill" not in caplog.text


def test_pages_and_an_erasure_log_no_name_or_email(caplog, client, leader_a, leader_b, torill):
    caplog.set_level(logging.DEBUG)
    client.force_login(leader_a)
    client.get(reverse("representative_detail", args=[torill.pk]))
    client.get(reverse("representative_export"))
    client.force_login(leader_b)
    client.get(reverse("representative_detail", args=[torill.pk]))

    representative_erase(representative=torill, reason="request")

    assert "representative_detail" in caplog.text or "Not Found" in caplog.text
    assert EMAIL not in caplog.text
    assert "Torill" not in caplog.text
