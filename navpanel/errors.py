"""Error pages 400, 403, 404 and 500 in NAV's look and the user's language (issue 18, point 8).

Django's own are bare English pages. Ours say what happened in plain words and offer a way back:
to the page the person came from (when it was a page of ours) and to the front page; a
representative, who only ever arrives by a link, is told to open the link again or call NAV.
The 500 page is rendered without the request's context processors (they read the database,
which may be what failed) and without calling anything that can fail in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

# A representative's pages (panels.public.urls) live under this prefix; they never sign in.
PUBLIC_PREFIX = "/r/"


@dataclass(frozen=True)
class ErrorText:
    title: Promise
    body: Promise


TEXTS = {
    400: ErrorText(
        _("Something was wrong with the request"),
        _(
            "The page could not be shown, because the address or the form that was sent was not "
            "as expected. Nothing was changed."
        ),
    ),
    403: ErrorText(
        _("You do not have access to this page"),
        _(
            "Your role does not give access to this. If you think it should, ask the "
            "administrator of navpanel at your office."
        ),
    ),
    404: ErrorText(
        _("We could not find the page"),
        _("The address may be wrong, or the page may have been removed."),
    ),
    500: ErrorText(
        _("Something went wrong on our side"),
        _(
            "The error has been logged and nothing you did caused it. Try again in a few minutes. "
            "If it keeps happening, tell the NAV office you work with."
        ),
    ),
}


def _back_url(request: HttpRequest) -> str | None:
    """The page the person came from, if it was one of ours; never another site's address."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    if not referer or not url_has_allowed_host_and_scheme(referer, {host}):
        return None
    parts = urlsplit(referer)
    if parts.netloc != host or parts.path == request.path:
        return None
    return referer


def _render(request: HttpRequest, status: int, *, with_context: bool = True) -> HttpResponse:
    context = {
        "status": status,
        "text": TEXTS[status],
        "public": request.path.startswith(PUBLIC_PREFIX),
        "back_url": _back_url(request),
    }
    template = loader.get_template("errors/error.html")
    # The 500 page renders with no request: no context processors, no database.
    body = template.render(context, request if with_context else None)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(request, 500, with_context=False)
