"""Staff sign-in behind NAIS's login sidecar (Wonderwall) with Entra ID.

The sidecar signs the employee in and forwards every request with ``Authorization: Bearer
<access token>``; the application must check that token itself (nais/doc
``docs/auth/entra-id/how-to/login.md`` and ``partials/validate.md``): its signature against a
key published at ``AZURE_OPENID_CONFIG_JWKS_URI``, its issuer ``AZURE_OPENID_CONFIG_ISSUER``,
its audience ``AZURE_APP_CLIENT_ID`` and its expiry.

A valid token signs in the *existing* account it names: by ``NAVident`` (``User.nav_ident``),
else by ``preferred_username`` or ``email`` (``User.email``). No account is ever created here:
the administrator makes staff accounts and gives them their offices. An invalid, expired or
foreign token, or one for a person without an account, signs nobody in; a session that Entra ID
opened ends as soon as a request comes without a valid token for its person.

Off (no ``AZURE_APP_CLIENT_ID``), nothing here runs: ``make run`` and the administrator's
break-glass sign-in use allauth's password and two-factor pages as before.
"""

import logging
from collections.abc import Callable
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest, HttpResponse

from .models import User

logger = logging.getLogger(__name__)

SIGNED_IN_WITH = "signed_in_with"
ENTRA_ID = "entra-id"
ALGORITHMS = ["RS256"]
LEEWAY_SECONDS = 30

_jwks_clients: dict[str, jwt.PyJWKClient] = {}


class EntraIdTokenError(Exception):
    """The token is not one of ours: bad signature, issuer, audience, expired or malformed."""


def _jwks_client() -> jwt.PyJWKClient:
    """One client per JWKS URI per process: it caches the keys and fetches them again when a
    token names a key it does not know (Entra ID rotates its keys)."""
    uri = settings.AZURE_OPENID_CONFIG_JWKS_URI
    if uri not in _jwks_clients:
        _jwks_clients[uri] = jwt.PyJWKClient(uri, cache_keys=True, lifespan=3600, timeout=5)
    return _jwks_clients[uri]


def token_claims(token: str) -> dict[str, Any]:
    """The claims of a valid Entra ID access token for this application, or EntraIdTokenError."""
    try:
        key = _jwks_client().get_signing_key_from_jwt(token)
        return jwt.decode(
            token,
            key=key.key,
            algorithms=ALGORITHMS,
            audience=settings.AZURE_APP_CLIENT_ID,
            issuer=settings.AZURE_OPENID_CONFIG_ISSUER,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud"]},
        )
    except jwt.PyJWTError as error:
        raise EntraIdTokenError(type(error).__name__) from error


def user_for_claims(claims: dict[str, Any]) -> User | None:
    """The active staff account the claims name, or None; never creates one."""
    active = User.objects.filter(is_active=True)
    nav_ident = str(claims.get("NAVident") or "").strip()
    if nav_ident:
        user = active.filter(nav_ident__iexact=nav_ident).first()
        if user is not None:
            return user
    for claim in ("preferred_username", "email"):
        address = str(claims.get(claim) or "").strip()
        if "@" in address:
            user = active.filter(email__iexact=address).first()
            if user is not None:
                return user
    return None


class EntraIdBackend(BaseBackend):
    """``authenticate(request, entra_token=…)``: the account a valid Entra ID token names."""

    # Django binds the credentials to the parameters a backend names (it calls only the
    # backends whose signature takes them); the stubs' base declares **kwargs instead.
    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, entra_token: str | None = None
    ) -> User | None:
        if not entra_token or not settings.AZURE_APP_CLIENT_ID:
            return None
        try:
            claims = token_claims(entra_token)
        except EntraIdTokenError as error:
            logger.warning("entra-id: token refused (%s)", error)
            return None
        user = user_for_claims(claims)
        if user is None:
            # No name, address or NAVident in the log: the claims are personal data.
            logger.warning("entra-id: valid token for a person without a staff account")
        return user

    def get_user(self, user_id: Any) -> User | None:
        return User.objects.filter(pk=user_id, is_active=True).first()


def _bearer(request: HttpRequest) -> str:
    """The request's bearer token if it looks like a JWT (the API's ``npk_`` tokens do not)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or token.count(".") != 2:
        return ""
    return token


class EntraIdMiddleware:
    """Sign the request in as the account its Entra ID token names (after Django's
    AuthenticationMiddleware); end a session Entra ID opened when the token no longer holds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.AZURE_APP_CLIENT_ID:
            self._sign_in(request)
        return self.get_response(request)

    def _sign_in(self, request: HttpRequest) -> None:
        token = _bearer(request)
        from_entra = request.session.get(SIGNED_IN_WITH) == ENTRA_ID
        if not token:
            if from_entra:
                logout(request)
            return
        user = authenticate(request, entra_token=token)
        if user is None:
            if from_entra:
                logout(request)
            return
        if request.user.is_authenticated and request.user.pk == user.pk and from_entra:
            return
        login(request, user, backend="accounts.entra.EntraIdBackend")
        request.session[SIGNED_IN_WITH] = ENTRA_ID
