"""Staff sessions: a time limit, an idle limit, and two-factor sign-in where it is required.

Both middlewares act only on a signed-in user and leave the representatives' link pages
(``/r/``) alone, so a link keeps working while a member of staff is signed in in the same
browser, and a representative (who never signs in) never meets either.
"""

import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from interviews.selectors import user_is_hr, user_is_leader

SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN_AT = "staff_last_seen_at"
# Writing the session on every request is wasteful; a minute's precision is plenty.
TOUCH_EVERY_SECONDS = 60
PUBLIC_PREFIXES = ("/r/", "/static/", "/internal/", "/i18n/", "/tilgjengelighet/")
# What a user who must use two-factor sign-in, and has no authenticator yet, may reach: the
# enrolment page, the password prompt it asks for first, and signing out. Not the email or
# password pages: with the password alone, an attacker could otherwise move the account to
# their own address before the owner ever enrolled (issue 15).
ENROLMENT_URL_NAMES = ("mfa_activate_totp", "account_reauthenticate", "account_logout")
_enrolment_paths = SimpleLazyObject(lambda: frozenset(reverse(n) for n in ENROLMENT_URL_NAMES))


def _is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


@receiver(user_logged_in)
def _session_clock_start(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """Start both clocks at sign-in, so the requests that follow do not write the session."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


class StaffSessionTimeoutMiddleware:
    """Sign staff out ``STAFF_SESSION_MAX_SECONDS`` (8 h) after they signed in, or after
    ``STAFF_SESSION_IDLE_SECONDS`` (30 min) without a request. The page then asks them to sign
    in again (``login_required``), with the address they asked for as ``next``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _is_public(request.path):
            now = int(time.time())
            session = request.session
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_seen_at = session.get(LAST_SEEN_AT, now)
            if (
                now - signed_in_at > settings.STAFF_SESSION_MAX_SECONDS
                or now - last_seen_at > settings.STAFF_SESSION_IDLE_SECONDS
            ):
                logout(request)
            elif LAST_SEEN_AT not in session or now - last_seen_at >= TOUCH_EVERY_SECONDS:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)


def mfa_required_for(user: object) -> bool:
    """HR and administrators always; leaders when ``MFA_REQUIRED_FOR_LEADERS`` is on."""
    if not settings.MFA_REQUIRED:
        return False
    if user.is_superuser or user.is_staff or user_is_hr(user):
        return True
    return settings.MFA_REQUIRED_FOR_LEADERS and user_is_leader(user)


class MfaRequiredMiddleware:
    """Send a signed-in user who must use two-factor sign-in, and has no TOTP authenticator
    yet, to the page that sets one up. Only that page, the password prompt before it, sign-out
    and the public pages stay reachable; allauth asks for the password again before enrolment
    (``MFA_REAUTHENTICATION_REQUIRED``, on by default)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not _is_public(request.path)
            and request.path not in _enrolment_paths
            and mfa_required_for(user)
            # Entra ID's own conditional access asked for the second factor (accounts/entra.py).
            and request.session.get("signed_in_with") != "entra-id"
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
