"""What every page reached by a signed link goes through."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from ... import links
from ...models import Representative


def speak_to(request: HttpRequest, representative: Representative) -> None:
    """Show this page in the language the representative chose (``Representative.language``),
    as their emails, SMS and calendar text are; ``link_page`` keeps it in the language cookie,
    so the pages without a link that follow (withdrawn, deleted) speak it too."""
    speak(request, representative.language)


def speak(request: HttpRequest, language: str) -> None:
    """``speak_to`` with the person's language read already."""
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request.representative_language = language  # type: ignore[attr-defined]


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
        language = getattr(request, "representative_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper
