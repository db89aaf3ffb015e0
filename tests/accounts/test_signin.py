"""Sign-in for staff: email and password, no self sign-up, rate limits, reset through the outbox."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from outbox.models import OutboxMessage
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_leader_signs_in_with_email_and_password(client, leader_a):
    response = client.post(
        reverse("account_login"), {"login": "leder.rana@navpanel.no", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).context["user"] == leader_a


def test_nobody_can_sign_up_on_their_own(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.no",
            "password1": "Et-langt-passord-99",
            "password2": "Et-langt-passord-99",
        },
    )

    assert not User.objects.filter(email="ny@example.no").exists()
    assert response.status_code == 200


def test_after_five_wrong_passwords_even_the_right_one_is_refused_for_a_while(client, leader_a):
    for _ in range(5):
        client.post(
            reverse("account_login"), {"login": "leder.rana@navpanel.no", "password": "feil"}
        )

    response = client.post(
        reverse("account_login"), {"login": "leder.rana@navpanel.no", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "For mange mislykkede forsøk på å logge inn. Prøv igjen senere." in response.text
    assert "_auth_user_id" not in client.session


def test_password_reset_queues_one_email_in_the_outbox(client, leader_a):
    client.post(reverse("account_reset_password"), {"email": "leder.rana@navpanel.no"})

    message = OutboxMessage.objects.get()
    assert message.to == "leder.rana@navpanel.no"
    assert "/konto/password/reset/key/" in message.body_text


def test_administrator_creates_a_staff_account_that_can_sign_in_without_verification(client):
    User.objects.create_user(email="ny.leder@navpanel.no", password=PASSWORD, name="Ny Leder")

    response = client.post(
        reverse("account_login"), {"login": "ny.leder@navpanel.no", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_signed_in_leader_can_set_up_two_factor_authentication_with_totp(client, leader_a):
    client.post(reverse("account_login"), {"login": "leder.rana@navpanel.no", "password": PASSWORD})
    asked = client.get(reverse("mfa_activate_totp"))
    client.post(asked["Location"], {"password": PASSWORD})

    response = client.get(reverse("mfa_activate_totp"))

    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert response.status_code == 200
    assert "otpauth://totp/" in response.context["totp_url"]
