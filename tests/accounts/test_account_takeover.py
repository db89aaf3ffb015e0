"""Issue 15: an account cannot be moved to someone else's address with the password alone or
from a live session, and the owner's address is told of every change of the sign-in address.

The takeover that worked before: sign in to an HR account that has no authenticator yet with its
password, add the attacker's address, make it primary, remove the owner's, enrol the attacker's
authenticator. Now the first step already needs what the attacker does not have.
"""

import re
import time
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from outbox.models import OutboxMessage
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "inntrenger@example.com"
ADDED = "navpanel: E-postadresse lagt til"
CHANGED = "navpanel: E-post endret"
REMOVED = "navpanel: E-post fjernet"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, user: User) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _confirm_by_the_link_in_its_email(client, address: str) -> None:
    body = OutboxMessage.objects.filter(to=address).latest("pk").body_text
    link = re.search(r"https?://\S+", body).group(0)
    key_page = urlsplit(link).path
    client.post(key_page)


def _notices_to(address: str) -> list[str]:
    messages = OutboxMessage.objects.filter(to=address).order_by("id")
    return list(messages.values_list("subject", flat=True))


@override_settings(MFA_REQUIRED=True)
def test_the_takeover_of_hr_without_an_authenticator_stops_at_its_first_step(client, hr):
    _sign_in(client, hr)

    email_page = client.get(reverse("account_email"))
    add = client.post(reverse("account_email"), {"action_add": "", "email": ATTACKER})
    password_page = client.get(reverse("account_change_password"))
    enrolment = client.get(reverse("mfa_activate_totp"))

    assert email_page["Location"] == reverse("mfa_activate_totp")
    assert add["Location"] == reverse("mfa_activate_totp")
    assert password_page["Location"] == reverse("mfa_activate_totp")
    assert not EmailAddress.objects.filter(email=ATTACKER).exists()
    assert User.objects.get(pk=hr.pk).email == "hr@navpanel.no"
    # Enrolment itself asks for the password again before it shows a secret.
    assert enrolment["Location"].startswith(reverse("account_reauthenticate"))


@override_settings(MFA_REQUIRED=True)
def test_hr_without_an_authenticator_reaches_enrolment_after_giving_the_password_again(client, hr):
    _sign_in(client, hr)
    asked = client.get(reverse("mfa_activate_totp"))

    wrong = client.post(asked["Location"], {"password": "not-the-password-at-all"})
    right = client.post(asked["Location"], {"password": PASSWORD})
    enrolment = client.get(reverse("mfa_activate_totp"))

    assert wrong.status_code == 200
    assert right.status_code == 302
    assert enrolment.status_code == 200
    assert "otpauth://totp/" in enrolment.context["totp_url"]


@override_settings(MFA_REQUIRED=True)
def test_no_address_can_be_added_to_an_account_with_an_authenticator_even_after_the_password(
    client, hr
):
    TOTP.activate(hr, generate_totp_secret())
    client.force_login(hr)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    add = client.post(reverse("account_email"), {"action_add": "", "email": ATTACKER})

    assert add.status_code == 200
    assert add.context["form"].errors["email"]
    assert not EmailAddress.objects.filter(email=ATTACKER).exists()


def test_a_leaders_live_session_cannot_add_an_address_until_the_password_is_given(client, leader_a):
    _sign_in(client, leader_a)

    add = client.post(reverse("account_email"), {"action_add": "", "email": ATTACKER})

    assert add["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email=ATTACKER).exists()

    client.post(add["Location"], {"password": PASSWORD})

    assert EmailAddress.objects.filter(user=leader_a, email=ATTACKER).exists()
    assert _notices_to("leder.rana@navpanel.no") == [ADDED]


def test_a_leader_cannot_change_the_password_without_the_current_one(client, leader_a):
    _sign_in(client, leader_a)

    response = client.post(
        reverse("account_change_password"),
        {"password1": "a-brand-new-password-42", "password2": "a-brand-new-password-42"},
    )

    assert response.status_code == 200
    assert User.objects.get(pk=leader_a.pk).check_password(PASSWORD)


def test_the_old_address_is_told_of_every_change_of_the_sign_in_address(client, leader_a):
    old = "leder.rana@navpanel.no"
    new = "rita.rana@nav.no"
    _sign_in(client, leader_a)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    client.post(reverse("account_email"), {"action_add": "", "email": new})
    client.post(reverse("account_email"), {"action_primary": "", "email": new})
    before_confirming = User.objects.get(pk=leader_a.pk).email
    _confirm_by_the_link_in_its_email(client, new)
    client.post(reverse("account_email"), {"action_primary": "", "email": new})
    client.post(reverse("account_email"), {"action_remove": "", "email": old})

    assert before_confirming == old  # an unconfirmed address cannot become the sign-in address
    assert User.objects.get(pk=leader_a.pk).email == new
    assert _notices_to(old) == [ADDED, CHANGED, REMOVED]
    changed = OutboxMessage.objects.get(to=old, subject=CHANGED)
    assert f"{old} til {new}" in changed.body_text
    assert "http://testserver/" in changed.body_text or settings.SITE_URL in changed.body_text


def test_the_old_address_is_told_when_the_administrator_changes_a_users_email(client):
    administrator = User.objects.create_superuser(email="admin@navpanel.no", password=PASSWORD)
    user = User.objects.create_user(email="rita@navpanel.no", name="Rita", password=PASSWORD)
    client.force_login(administrator)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    joined = timezone.localtime(user.date_joined)

    response = client.post(
        url,
        {
            "email": "rita.rana@nav.no",
            "name": "Rita",
            "is_active": "on",
            "date_joined_0": joined.strftime("%d.%m.%Y"),
            "date_joined_1": joined.strftime("%H:%M:%S"),
            "office_roles-TOTAL_FORMS": "0",
            "office_roles-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).email == "rita.rana@nav.no"
    assert _notices_to("rita@navpanel.no") == [CHANGED]
    assert not EmailAddress.objects.filter(email="rita@navpanel.no").exists()
    assert EmailAddress.objects.get(user=user).primary


@override_settings(MFA_REQUIRED=True)
def test_enrolling_an_authenticator_tells_the_owners_address(
    client, hr, django_capture_on_commit_callbacks
):
    _sign_in(client, hr)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    code = f"{hotp_value(secret, int(time.time()) // 30):06d}"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": code})

    assert Authenticator.objects.filter(user=hr, type=Authenticator.Type.TOTP).exists()
    assert "navpanel: Autentiseringsapp aktivert" in _notices_to("hr@navpanel.no")
