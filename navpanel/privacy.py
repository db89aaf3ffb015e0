"""No response of ours is kept by a browser's or a proxy's cache.

Pages for signed-in staff, the API and the representatives' link pages carry personal data
(names, backgrounds, support needs, honoraria); a shared computer's back button, a disk cache or
a proxy must not keep them. The rest (sign-in, the accessibility statement) costs nothing to
fetch again, so one default for every response the application writes is simpler than a list
that a new page can miss. Static files are served by WhiteNoise before this middleware runs and
keep their long cache lifetimes.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Add ``Cache-Control: no-store, private`` to every response (keeping what a view set)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
