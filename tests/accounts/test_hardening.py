"""Staff sessions end on time, two-factor sign-in is required where it must be, and passwords
are hashed with Argon2. Representatives' link pages are not touched by any of it."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import override_settings
from django.urls import reverse

from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from accounts.models import User
from panels import links
from tests.factories.links import invited_seat

pytestmark = pytest.mark.django_db

HOUR = 60 * 60


def _age_session(client, *, signed_in_ago: int, last_seen_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[LAST_SEEN_AT] = now - last_seen_ago
    session.save()


# Session timeout ----------------------------------------------------------------------------------


def test_a_leader_active_within_the_limits_stays_signed_in(client, leader_a):
    client.force_login(leader_a)
    _age_session(client, signed_in_ago=7 * HOUR, last_seen_ago=29 * 60)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200


def test_thirty_minutes_idle_signs_staff_out(client, leader_a):
    client.force_login(leader_a)
    _age_session(client, signed_in_ago=HOUR, last_seen_ago=31 * 60)

    response = client.get(reverse("round_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_eight_hours_after_signing_in_staff_must_sign_in_again_however_active(client, leader_a):
    client.force_login(leader_a)
    _age_session(client, signed_in_ago=8 * HOUR + 60, last_seen_ago=60)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_representative_link_works_in_a_browser_with_a_stale_staff_session(
    client, leader_a, office_a
):
    seat = invited_seat(office=office_a)
    client.force_login(leader_a)
    _age_session(client, signed_in_ago=9 * HOUR, last_seen_ago=2 * HOUR)

    response = client.get(reverse("seat_link", args=[links.seat_token(seat.pk)]))

    assert response.status_code == 200


# Two-factor sign-in -------------------------------------------------------------------------------


def _with_totp(user: User) -> User:
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser(email="admin@navpanel.no", password="x", name="Admin")


@override_settings(MFA_REQUIRED=True)
@pytest.mark.parametrize("who", ["hr", "hr_b", "admin_user"])
def test_hr_and_administrators_without_two_factor_are_sent_to_set_it_up(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@override_settings(MFA_REQUIRED=True)
def test_the_admin_site_too_asks_an_administrator_for_two_factor_first(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("admin:index"))

    assert response["Location"] == reverse("mfa_activate_totp")


@override_settings(MFA_REQUIRED=True)
def test_the_setup_page_and_sign_out_stay_reachable_without_two_factor(client, hr):
    client.force_login(hr)

    setup = client.get(reverse("mfa_activate_totp"))
    signed_out = client.post(reverse("account_logout"))

    assert not (setup.status_code == 302 and setup["Location"] == reverse("mfa_activate_totp"))
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in client.session


@override_settings(MFA_REQUIRED=True)
def test_hr_with_an_authenticator_reaches_the_pages(client, hr):
    client.force_login(_with_totp(hr))

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200


@override_settings(MFA_REQUIRED=True)
def test_leaders_need_two_factor_only_when_the_setting_says_so(client, leader_a):
    client.force_login(leader_a)

    allowed = client.get(reverse("dashboard"))
    with override_settings(MFA_REQUIRED_FOR_LEADERS=True):
        asked = client.get(reverse("dashboard"))

    assert allowed.status_code == 200
    assert asked["Location"] == reverse("mfa_activate_totp")


@override_settings(MFA_REQUIRED=True, MFA_REQUIRED_FOR_LEADERS=True)
def test_a_representative_link_never_asks_for_two_factor(client, leader_a, office_a):
    seat = invited_seat(office=office_a)
    client.force_login(leader_a)

    response = client.get(reverse("seat_link", args=[links.seat_token(seat.pk)]))

    assert response.status_code == 200


# Passwords ----------------------------------------------------------------------------------------


def test_production_hashes_passwords_with_argon2_first(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-production-like-secret-key-for-this-test-only")
    import importlib

    import navpanel.settings_production as production

    importlib.reload(production)

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
