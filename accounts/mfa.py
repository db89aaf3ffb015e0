"""Two-factor secrets encrypted at rest (issue 15, point 6).

allauth stores each authenticator's secret in ``Authenticator.data``: the TOTP key
(``secret``) and the seed the recovery codes are derived from (``seed``, and ``migrated_codes``
when present). Anyone who reads the table, a backup or an admin page could otherwise make codes.
allauth passes each through its MFA adapter's ``encrypt``/``decrypt``; ours uses Fernet
(AES-128-CBC with HMAC-SHA256) with the keys in ``MFA_ENCRYPTION_KEYS`` (from the environment).

Rotation: put a new key first and keep the old ones after it; everything still decrypts, new
secrets use the new key; ``manage.py mfa_secrets_encrypt`` then re-encrypts every secret with the
first key, after which the old keys can be removed (README, "Two-factor secrets").
"""

import base64
import hashlib
from collections.abc import Iterable
from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

# The fields of Authenticator.data that allauth passes through encrypt().
SECRET_FIELDS = ("secret", "seed")
SECRET_LISTS = ("migrated_codes",)


def _fernets() -> list[Fernet]:
    """The configured keys, first one encrypting; without any, one derived from SECRET_KEY
    (itself from the environment in production)."""
    keys = list(settings.MFA_ENCRYPTION_KEYS)
    if not keys:
        digest = hashlib.sha256(b"navpanel-mfa:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return [Fernet(key.encode() if isinstance(key, str) else key) for key in keys]


def _keys() -> MultiFernet:
    return MultiFernet(_fernets())


def secret_encrypt(text: str) -> str:
    return _keys().encrypt(text.encode()).decode()


def secret_decrypt(token: str) -> str:
    return _keys().decrypt(token.encode()).decode()


def _encrypted_with_first_key(value: str) -> str:
    """``value`` encrypted with the first key: as it is when it already is, re-encrypted when
    another configured key encrypted it, encrypted when it is plain text from before."""
    try:
        _fernets()[0].decrypt(value.encode())
        return value
    except InvalidToken:
        pass
    try:
        return _keys().rotate(value.encode()).decode()
    except InvalidToken:
        return secret_encrypt(value)


def authenticator_data_encrypted(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of an authenticator's ``data`` with every secret encrypted with the first key."""
    data = dict(data)
    for name in SECRET_FIELDS:
        if isinstance(data.get(name), str):
            data[name] = _encrypted_with_first_key(data[name])
    for name in SECRET_LISTS:
        if isinstance(data.get(name), list):
            data[name] = [_encrypted_with_first_key(v) for v in data[name]]
    return data


def authenticators_encrypt(authenticators: Iterable[Any]) -> int:
    """Re-encrypt the secrets of ``authenticators`` (model instances, historical ones in a
    migration) with the first key; return how many were written."""
    written = 0
    for authenticator in authenticators:
        data = authenticator_data_encrypted(authenticator.data)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            written += 1
    return written


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return secret_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secret_decrypt(encrypted_text)
