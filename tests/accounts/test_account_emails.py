"""allauth's own emails (issue 15, point 11): none to an unknown address, the product's name in
them (the reset email said "Hei fra !"), and every link in them opens a working page."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse

from outbox.models import OutboxMessage
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s<>\"]+")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _links_open(client, text: str) -> dict[str, int]:
    """Each link in ``text``, followed as a browser would, and the status it ends on."""
    return {
        link: client.get(urlsplit(link).path, follow=True).status_code
        for link in LINK.findall(text)
    }


def test_a_reset_asked_for_an_unknown_address_sends_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "ukjent@example.com"})

    assert response.status_code == 302
    assert not OutboxMessage.objects.exists()


def test_the_reset_email_greets_from_navpanel_and_every_link_in_it_works(client, leader_a):
    client.post(reverse("account_reset_password"), {"email": leader_a.email})
    message = OutboxMessage.objects.get()
    opened = _links_open(client, message.body_text)

    assert message.body_text.startswith("Hei,")
    assert "Hei fra !" not in message.body_text
    assert "Hilsen navpanel (NAV)" in message.body_text
    assert message.subject.startswith("navpanel: ")
    assert any("/konto/password/reset/key/" in link for link in opened)
    assert set(opened.values()) == {200}, opened


def test_a_notice_of_a_changed_password_names_navpanel_and_its_link_works(client, leader_a):
    client.post(reverse("account_login"), {"login": leader_a.email, "password": PASSWORD})

    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-brand-new-password-42",
            "password2": "a-brand-new-password-42",
        },
    )
    notice = OutboxMessage.objects.get(to=leader_a.email)
    client.logout()
    opened = _links_open(client, notice.body_text)

    assert "Passordet ditt er endret." in notice.body_text
    assert "Denne endringen ble gjort på kontoen din i navpanel:" in notice.body_text
    assert opened and set(opened.values()) == {200}, opened
