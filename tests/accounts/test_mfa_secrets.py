"""Two-factor secrets are encrypted at rest with the key from the environment, never shown in the
admin, and can move to a new key (issue 15, point 6)."""

import io
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from cryptography.fernet import Fernet
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from accounts.mfa import authenticators_encrypt, secret_decrypt
from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _code(secret: str) -> str:
    return f"{hotp_value(secret, int(time.time()) // 30):06d}"


def _stored(user) -> dict[str, dict]:
    return {a.type: a.data for a in Authenticator.objects.filter(user=user)}


def test_the_totp_secret_and_recovery_seed_are_stored_encrypted(settings, hr):
    settings.MFA_ENCRYPTION_KEYS = [OLD_KEY]
    secret = generate_totp_secret()

    TOTP.activate(hr, secret)
    codes = RecoveryCodes.activate(hr)
    stored = _stored(hr)

    assert secret not in str(stored)
    assert stored["totp"]["secret"] != secret
    assert Fernet(OLD_KEY).decrypt(stored["totp"]["secret"].encode()).decode() == secret
    seed = Fernet(OLD_KEY).decrypt(stored["recovery_codes"]["seed"].encode()).decode()
    assert seed not in str(stored)
    assert codes.get_unused_codes()


def test_hr_signs_in_with_a_code_from_an_encrypted_secret(client, settings, hr):
    settings.MFA_ENCRYPTION_KEYS = [OLD_KEY]
    secret = generate_totp_secret()
    TOTP.activate(hr, secret)

    client.post(reverse("account_login"), {"login": hr.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_admin_shows_neither_the_secret_nor_its_ciphertext(client, settings, hr):
    settings.MFA_ENCRYPTION_KEYS = [OLD_KEY]
    secret = generate_totp_secret()
    totp = TOTP.activate(hr, secret).instance
    administrator = User.objects.create_superuser(email="admin@navpanel.no", password=PASSWORD)
    TOTP.activate(administrator, generate_totp_secret())
    client.force_login(administrator)

    page = client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk]))
    listing = client.get(reverse("admin:mfa_authenticator_changelist"))

    assert page.status_code == listing.status_code == 200
    for response in (page, listing):
        assert secret not in response.text
        assert totp.data["secret"] not in response.text
    assert "Hanna HR" in page.text
    assert client.get(reverse("admin:mfa_authenticator_add")).status_code == 403


def test_a_new_key_first_keeps_old_secrets_working_and_the_command_moves_them_to_it(
    client, settings, hr
):
    settings.MFA_ENCRYPTION_KEYS = [OLD_KEY]
    secret = generate_totp_secret()
    TOTP.activate(hr, secret)

    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    still_readable = secret_decrypt(_stored(hr)["totp"]["secret"])
    call_command("mfa_secrets_encrypt", stdout=io.StringIO())
    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY]
    stored = _stored(hr)["totp"]["secret"]

    assert still_readable == secret
    assert Fernet(NEW_KEY).decrypt(stored.encode()).decode() == secret
    client.post(reverse("account_login"), {"login": hr.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert client.get(reverse("dashboard")).status_code == 200


def test_secrets_stored_in_plain_text_before_are_encrypted_by_the_migrations_function(settings, hr):
    settings.MFA_ENCRYPTION_KEYS = [OLD_KEY]
    secret = generate_totp_secret()
    Authenticator.objects.create(user=hr, type=Authenticator.Type.TOTP, data={"secret": secret})

    written = authenticators_encrypt(Authenticator.objects.all())
    again = authenticators_encrypt(Authenticator.objects.all())

    stored = _stored(hr)["totp"]["secret"]
    assert (written, again) == (1, 0)
    assert Fernet(OLD_KEY).decrypt(stored.encode()).decode() == secret
