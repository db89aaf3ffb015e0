"""``/r/k/<code>``: an SMS's short link, sent on to the signed link it stands for."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from ...short_links import short_link_path


@require_GET
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """Redirect to the signed link; nothing changes (a GET of the long link changes nothing
    either). An unknown code, or one whose long link is over, gets the invalid-link page."""
    path = short_link_path(code)
    response: HttpResponse
    if path is None:
        response = render(request, "panels/public/link_invalid.html", status=404)
    else:
        response = redirect(path)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response
