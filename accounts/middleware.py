"""Staff sessions: a time limit and an idle limit (two-factor sign-in, which depends on the
user's roles: ``interviews.middleware``).

Both middlewares act only on a signed-in user and leave the representatives' link pages
(``/r/``) alone, so a link keeps working while a member of staff is signed in in the same
browser, and a representative (who never signs in) never meets either.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN_AT = "staff_last_seen_at"
# Writing the session on every request is wasteful; a minute's precision is plenty.
TOUCH_EVERY_SECONDS = 60
PUBLIC_PREFIXES = ("/r/", "/static/", "/internal/", "/i18n/", "/tilgjengelighet/")


def is_public(path: str) -> bool:
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
        if user is not None and user.is_authenticated and not is_public(request.path):
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
