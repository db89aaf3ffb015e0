"""The development mail page: every email the outbox holds, readable in the browser.

It exists only while ``DEBUG`` is on (404 otherwise, whoever asks) and only for staff
superusers, because it shows every representative's mail.
"""

from collections.abc import Callable
from functools import wraps

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import selectors

View = Callable[..., HttpResponse]


def _development_superusers_only(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not settings.DEBUG:
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff and request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@_development_superusers_only
def mail_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.messages_newest_first(), 50).get_page(request.GET.get("page"))
    return render(request, "outbox/mail_list.html", {"page": page})


# The HTML body is shown in a sandboxed iframe (no scripts, no same origin), whose document
# inherits this page's policy: emails carry their styles inline, so this page allows them.
@csp_update({"style-src": [UNSAFE_INLINE]})
@_development_superusers_only
def mail_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(selectors.messages_newest_first(), pk=pk)
    return render(request, "outbox/mail_detail.html", {"message": message})
