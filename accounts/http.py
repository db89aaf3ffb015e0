"""The request a signed-in member of staff's view receives, as the type checker should see it."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class HtmxHttpRequest(HttpRequest):
    """Any request: django-htmx's middleware sets ``request.htmx`` on every one."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request to a view behind ``login_required``: its ``user`` is a signed-in ``User``, never
    ``AnonymousUser``. Only an annotation: Django makes the request, nothing makes one of these.
    """

    user: User


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a request only they reach, where Django fixes the request's type
    (the admin site admits active staff only); PermissionDenied for anyone else."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user
