"""The representative chooses their own language (issue 19): from the consent page, my page
and the seat page (whose language switcher posts here), for the pages and every message."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ... import links
from ...models import Representative
from ..forms import LanguageForm
from ..my_page import representative_language_choose
from .decorators import link_page, speak_to


def _choose(request: HttpRequest, representative: Representative, page: str) -> HttpResponse:
    """Save the choice and go back to the page it was made on (``next``, this site only)."""
    form = LanguageForm(request.POST)
    if form.is_valid():
        representative_language_choose(
            representative=representative, language=form.cleaned_data["language"]
        )
        representative.language = form.cleaned_data["language"]
    speak_to(request, representative)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = page
    return redirect(back)


@require_POST
@link_page
def consent_link_language(request: HttpRequest, token: str) -> HttpResponse:
    representative = links.representative_from_token(token)
    return _choose(request, representative, reverse("consent_link", args=[token]))


@require_POST
@link_page
def my_page_language(request: HttpRequest, token: str) -> HttpResponse:
    representative = links.my_page_representative_from_token(token)
    return _choose(request, representative, reverse("my_page", args=[token]))


@require_POST
@link_page
def seat_link_language(request: HttpRequest, token: str) -> HttpResponse:
    seat = links.seat_from_token(token)
    return _choose(request, seat.holder(), reverse("seat_link", args=[token]))
