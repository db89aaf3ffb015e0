"""The consent page: give, renew, decline or withdraw consent to be in an office's pool."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ... import links, texts
from ...enums import RepresentativeStatus
from ...models import (
    ConsentText,
)
from ...pool import consent
from ..forms import (
    ConsentForm,
)
from ..my_page import consent_withdraw
from .decorators import link_page, speak_to

CONSENT_DONE = {"given", "saved", "renewed"}

# The consent page -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@link_page
def consent_link(request: HttpRequest, token: str) -> HttpResponse:
    representative = links.representative_from_token(token)
    speak_to(request, representative)
    text = texts.consent_text_current()
    standing = consent.consent_standing(representative=representative, text=text) if text else None
    renewal = consent.consent_renewal_due(representative=representative) if standing else None
    form = ConsentForm(
        request.POST or None,
        needs_agreement=standing is None or renewal is not None,
        initial={
            "consent_text": text.pk if text else None,
            "backgrounds": list(representative.backgrounds.all()),
        },
    )
    if request.method == "POST" and text and form.is_valid():
        try:
            consent.consent_give(
                representative=representative,
                text=ConsentText.objects.filter(pk=form.cleaned_data["consent_text"]).first(),
                backgrounds=form.cleaned_data["backgrounds"],
                renew=renewal is not None,
            )
        except ValidationError as error:
            # The text changed while the person read it: show the new one, keep their
            # backgrounds, and ask for the tick again (it was given to the old text).
            form = ConsentForm(
                {
                    "consent_text": text.pk,
                    "backgrounds": [b.pk for b in form.cleaned_data["backgrounds"]],
                },
                needs_agreement=standing is None or renewal is not None,
            )
            form.is_valid()
            form.add_error(None, error)
        else:
            done = "renewed" if renewal else "saved" if standing else "given"
            return redirect(f"{reverse('consent_link', args=[token])}?done={done}#status")
    done = request.GET.get("done", "")
    return render(
        request,
        "panels/public/consent.html",
        {
            "token": token,
            "language_url": reverse("consent_link_language", args=[token]),
            "representative": representative,
            "offices": list(representative.offices.all()),
            "text": text,
            "text_blocks": texts.text_blocks(text.text) if text else [],
            "standing": standing,
            "renewal": renewal,
            "form": form,
            "can_decline": representative.status != RepresentativeStatus.ACTIVE,
            "done": done if done in CONSENT_DONE else "",
            "confirm": request.GET.get("confirm", ""),
        },
    )


@require_POST
@link_page
def consent_link_decline(request: HttpRequest, token: str) -> HttpResponse:
    representative = links.representative_from_token(token)
    speak_to(request, representative)
    try:
        consent.consent_decline(representative=representative)
    except ValidationError:
        return redirect("consent_link", token=token)
    return redirect("consent_deleted")


@require_POST
@link_page
def consent_link_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """Withdraw from the consent page, as the consent request and the renewal email offer:
    the same withdrawal as on my page (it erases the person at once)."""
    representative = links.representative_from_token(token)
    speak_to(request, representative)
    if representative.status != RepresentativeStatus.ACTIVE:
        return redirect("consent_link", token=token)
    consent_withdraw(representative=representative)
    return redirect("consent_withdrawn")


@require_GET
def consent_deleted(request: HttpRequest) -> HttpResponse:
    response = render(request, "panels/public/consent_deleted.html")
    add_never_cache_headers(response)
    return response
