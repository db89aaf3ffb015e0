"""Two-factor sign-in where the user's roles require it (HR, administrators, and leaders when
``MFA_REQUIRED_FOR_LEADERS`` is on). Here rather than in ``accounts``, because the roles are
this app's; it acts, like the session limits in ``accounts.middleware``, only on a signed-in
user and never on the representatives' link pages.
"""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from accounts.middleware import is_public
from accounts.models import User

from .selectors import user_is_hr, user_is_leader

# What a user who must use two-factor sign-in, and has no authenticator yet, may reach: the
# enrolment page, the password prompt it asks for first, and signing out. Not the email or
# password pages: with the password alone, an attacker could otherwise move the account to
# their own address before the owner ever enrolled (issue 15).
ENROLMENT_URL_NAMES = ("mfa_activate_totp", "account_reauthenticate", "account_logout")
_enrolment_paths = SimpleLazyObject(lambda: frozenset(reverse(n) for n in ENROLMENT_URL_NAMES))


def mfa_required_for(user: User) -> bool:
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
            isinstance(user, User)
            and user.is_authenticated
            and not is_public(request.path)
            and request.path not in _enrolment_paths
            and mfa_required_for(user)
            # Entra ID's own conditional access asked for the second factor (accounts/entra.py).
            and request.session.get("signed_in_with") != "entra-id"
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
