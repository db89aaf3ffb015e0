"""Parts of a page rendered once per cached version, forms and all (``fragment_html``).

A part of a page with a form holds the CSRF token, which is the viewer's own: rendered once and
served to everyone, it would be refused for everyone else. So a fragment is rendered with a
placeholder where each token goes and cached like any entry (``navpanel.cache_versions``: keyed
by the versions of the data it shows, computed once when many ask); each request then puts its
own token in the placeholder's place. The placeholder is derived from ``SECRET_KEY``: no text a
user types can hold it.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

from .cache_versions import TIMEOUT, cached


def _placeholder() -> str:
    return "csrf" + salted_hmac("navpanel.fragments", "the CSRF token's place").hexdigest()


def fragment_html(
    name: str,
    parts: Iterable[Any],
    *,
    scopes: Iterable[str],
    template_name: str,
    context: Callable[[], tuple[dict[str, Any], datetime | None]],
    now: datetime | None = None,
    request: HttpRequest | None = None,
    timeout: int = TIMEOUT,
) -> SafeString:
    """``template_name`` rendered with what ``context()`` gives (the context, and the moment
    the clock alone changes it, or None), cached under ``name``, ``parts`` (what decides the
    context beyond the data of ``scopes``: who sees it, choices made by the time) and the
    versions of ``scopes``, with the placeholder where each CSRF token goes
    (``with_csrf_token`` puts the viewer's there). On a hit ``context`` is not called, so what
    it reads costs nothing. With ``request`` the template is a whole page: the context
    processors run on it, so what the page shows of it must be in ``parts``. ``timeout``: how
    long Redis keeps the entry (``cached``)."""
    placeholder = _placeholder()

    def compute() -> tuple[str, datetime | None]:
        found, valid_until = context()
        html = render_to_string(
            template_name, {**found, "csrf_token": placeholder}, request=request
        )
        return str(html), valid_until

    # The template escaped what it rendered; the cache gives back that text as it was.
    html = cached(name, parts, compute, scopes=scopes, now=now, timeout=timeout)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703: rendered by the template


def with_csrf_token(request: HttpRequest, html: str) -> SafeString:
    """``html`` of ``fragment_html`` with this request's CSRF token in each form."""
    # The html is the template's, escaped there; only the placeholder is replaced.
    with_token = html.replace(_placeholder(), get_token(request))
    return mark_safe(with_token)  # noqa: S308  # nosec B308 B703: a template's, and a token
