"""SMS through the outbox (issue 19, point 1), against the fake gateway on loopback: sent once
with its office as sender, tried again after a 5xx, a refused connection or a time-out,
failed for good on a refusal of the message, and never sent twice by a repeated task."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outbox.addresses import sms_sender_name
from outbox.models import Channel, OutboxMessage, OutboxStatus
from outbox.services import message_deliver, message_queue, messages_erase
from tests.factories import OfficeFactory
from tests.sms_gateway import closed_url

pytestmark = pytest.mark.django_db

NUMBER = "+4791234567"


def _sms(key: str = "sms:test:1", **fields: object) -> OutboxMessage:
    return message_queue(
        **{
            "key": key,
            "kind": "invitation",
            "channel": Channel.SMS,
            "to": NUMBER,
            "subject": "",
            "body_text": "Hei Kari! Svar her: https://navpanel.example/k/Ab3dE5fG7h",
            **fields,
        }
    )


def test_an_sms_reaches_the_gateway_once_with_the_office_as_sender(sms_settings):
    message = _sms(office=OfficeFactory(name="NAV Tromsø, Karlsøy og Balsfjord"))

    assert message_deliver(message_id=message.pk) == OutboxStatus.SENT
    assert message_deliver(message_id=message.pk) is None

    [received] = sms_settings.received
    assert received.to == NUMBER
    assert received.sender == "NAV Tromso"
    assert received.text.startswith("Hei Kari!")
    assert received.reference == f"outbox-{message.pk}"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


def test_a_500_then_a_200_sends_the_sms_once_in_two_attempts(sms_settings):
    sms_settings.answers.append((500, {"code": "0x0001", "message": "Internal error"}))
    message = _sms()

    assert message_deliver(message_id=message.pk) == OutboxStatus.QUEUED
    message.refresh_from_db()
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert "500" in message.last_error
    assert message_deliver(message_id=message.pk) == OutboxStatus.SENT

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert sms_settings.references() == {f"outbox-{message.pk}": 1}
    assert sms_settings.requests == 2


def test_a_refusal_of_the_message_fails_it_for_good(sms_settings):
    sms_settings.answers.append((422, {"code": "0x0216", "message": "Invalid recipient"}))
    message = _sms()

    assert message_deliver(message_id=message.pk) == OutboxStatus.FAILED
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "422" in message.last_error and "Invalid recipient" in message.last_error
    assert sms_settings.received == []


@pytest.mark.parametrize("status", [401, 429, 503])
def test_credentials_throttling_and_outages_pass(sms_settings, status):
    sms_settings.answers.append((status, {"message": "not now"}))
    message = _sms()

    assert message_deliver(message_id=message.pk) == OutboxStatus.QUEUED


def test_a_gateway_that_refuses_connections_is_tried_again(settings):
    settings.SMS_URL = closed_url()
    message = _sms()

    assert message_deliver(message_id=message.pk) == OutboxStatus.QUEUED
    message.refresh_from_db()
    assert "no answer" in message.last_error


def test_a_gateway_that_does_not_answer_in_time_is_tried_again(sms_settings, settings):
    settings.SMS_TIMEOUT = 0.5
    sms_settings.delay = 2
    message = _sms()

    assert message_deliver(message_id=message.pk) == OutboxStatus.QUEUED
    message.refresh_from_db()
    assert message.status == OutboxStatus.QUEUED and message.attempts == 1


def test_a_number_that_is_not_e164_fails_at_once_without_calling_the_gateway(sms_settings):
    message = _sms(to="91234567")

    assert message_deliver(message_id=message.pk) == OutboxStatus.FAILED
    assert sms_settings.requests == 0


def test_erasing_a_person_erases_their_sms_by_id_and_by_number(sms_settings):
    mine = _sms(key="sms:a", representative_id=7)
    by_number = _sms(key="sms:b")

    messages_erase(representative_id=7, addresses=["", NUMBER])

    for message in (mine, by_number):
        message.refresh_from_db()
        assert message.status == OutboxStatus.FAILED
        assert NUMBER not in message.to and message.body_text == ""


@pytest.mark.parametrize(
    ("office", "sender"),
    [
        ("NAV Rana", "NAV Rana"),
        ("NAV Tromsø, Karlsøy og Balsfjord", "NAV Tromso"),
        ("NAV Kárášjohka-Karasjok", "NAV"),
        ("NAV Aust-Agder", "NAV Aust"),
        ("Arbeidsinkluderingssenteret", "Arbeidsinkl"),
    ],
)
def test_the_sender_name_is_the_office_in_at_most_eleven_plain_characters(office, sender):
    assert sms_sender_name(office) == sender


def test_the_default_file_backend_sends_nothing_outside_development(settings, tmp_path):
    settings.SMS_URL = f"file://{tmp_path}"
    settings.DEBUG = False
    message = _sms()

    assert message_deliver(message_id=message.pk) == OutboxStatus.QUEUED
    message.refresh_from_db()
    assert "SMS_URL is not set" in message.last_error
    assert list(tmp_path.iterdir()) == []

    settings.DEBUG = True
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
    assert message_deliver(message_id=message.pk) == OutboxStatus.SENT
    [written] = tmp_path.iterdir()
    assert "Hei Kari!" in written.read_text()
