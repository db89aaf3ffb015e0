""" "My page": the representative's panels, consents and data, and what they can do there."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ... import links
from ...enums import SAT_STATUSES
from ...models import Representative
from ..forms import (
    ContactForm,
    MyPageActionForm,
)
from ..my_page import (
    consent_withdraw,
    contact_choose,
    deletion_request,
    my_page_overview,
    representative_data_download,
)
from .decorators import link_page, speak_to

# My page -----------------------------------------------------------------------------------------

MY_PAGE_CONFIRM = {"withdraw"}


def _my_page_url(token: str, *, confirm: str = "") -> str:
    url = reverse("my_page", args=[token])
    if confirm:
        return f"{url}?confirm={confirm}#confirm"
    return url


@require_http_methods(["GET", "POST"])
@link_page
def my_page(request: HttpRequest, token: str) -> HttpResponse:
    """The person's panels, consents and signatures; withdraw, download, ask for deletion.

    GET only shows (``?confirm=`` shows the second step of a button, still without change).
    POST acts. Withdrawing erases the person, so the link reaches nobody afterwards.
    """
    representative = links.my_page_representative_from_token(token)
    contact_form = ContactForm(initial={"contact": representative.contact})
    speak_to(request, representative)
    if request.method == "POST":
        form = MyPageActionForm(request.POST)
        if not form.is_valid():
            return redirect(_my_page_url(token))
        action = form.cleaned_data["action"]
        if action == "contact":
            contact_form = ContactForm(request.POST)
            if contact_form.is_valid():
                try:
                    contact_choose(
                        representative=representative,
                        contact=contact_form.cleaned_data["contact"],
                    )
                except ValidationError as error:
                    contact_form.add_error("contact", error)
                else:
                    return redirect(_my_page_url(token) + "?saved=contact#contact-choice")
            return _my_page(request, token, representative, contact_form, status=400)
        if action == "download":
            data = representative_data_download(representative=representative)
            response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
            response["Content-Disposition"] = 'attachment; filename="mine-opplysninger.json"'
            return response
        # Withdrawing and "delete my data" both erase the person at once (the consent text):
        # the link reaches nobody afterwards, so the answer is a page of its own.
        if action == "withdraw":
            consent_withdraw(representative=representative)
        else:
            deletion_request(representative=representative)
        return redirect("consent_withdrawn")
    return _my_page(request, token, representative, contact_form)


def _my_page(
    request: HttpRequest,
    token: str,
    representative: Representative,
    contact_form: ContactForm,
    *,
    status: int = 200,
) -> HttpResponse:
    overview = my_page_overview(representative=representative)
    for seat in overview.upcoming:
        seat.link_path = reverse("seat_link", args=[links.seat_token(seat.pk)])
    now = timezone.now()
    for seat in overview.past:
        # Only while the seat's link still works: a link that would answer 410 is no help.
        if seat.status in SAT_STATUSES and now <= links.seat_link_ends_at(seat.panel):
            seat.feedback_path = reverse("feedback_link", args=[links.seat_token(seat.pk)])
    confirm = request.GET.get("confirm", "")
    return render(
        request,
        "panels/public/my_page.html",
        {
            "token": token,
            "language_url": reverse("my_page_language", args=[token]),
            "representative": representative,
            "overview": overview,
            "offices": list(representative.offices.all()),
            "office": representative.offices.first(),
            "confirm": confirm if confirm in MY_PAGE_CONFIRM else "",
            "contact_form": contact_form,
            "contact_saved": request.GET.get("saved") == "contact",
            "phone": representative.phone_display,
        },
        status=status,
    )


@require_GET
def consent_withdrawn(request: HttpRequest) -> HttpResponse:
    """After withdrawing on my page: what was deleted (the person is gone, so no link)."""
    return render(request, "panels/public/consent_withdrawn.html")
