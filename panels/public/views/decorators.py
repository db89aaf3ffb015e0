"""What every page reached by a signed link goes through."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from ... import links


def link_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a bad or expired link into a friendly page, and keep link pages out of caches.

    The pages show personal data and the address holds the link, so they are never cached,
    never indexed, and never send the address to another site as a referrer (e.g. a video
    meeting). "same-origin" rather than "no-referrer": with no referrer at all, browsers send
    ``Origin: null`` on the page's own POSTs and Django's CSRF check refuses every button.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        try:
            response = view(request, token)
        except links.LinkNotValid:
            response = render(request, "panels/public/link_invalid.html", status=404)
        except links.LinkExpired as expired:
            response = render(
                request,
                "panels/public/link_expired.html",
                {"offices": expired.offices, "panel_over": expired.panel_over},
                status=410,
            )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper
