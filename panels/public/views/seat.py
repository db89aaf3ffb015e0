"""The seat page: what the invitation is about, and the answers to it."""

from datetime import datetime
from typing import TypedDict, Unpack, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from interviews.models import Candidate
from navpanel.cache_versions import OFFICES, panel_scope, representative_scope
from navpanel.fragments import fragment_html, with_csrf_token

from ... import links, selectors, services, texts
from ...agreements import agreement_state
from ...enums import RepresentativeStatus, SeatStatus
from ...models import (
    ConfidentialityText,
    ConsentText,
    Seat,
)
from .. import answers
from ..forms import (
    ConflictForm,
    DeclarationSignForm,
    SeatAcceptForm,
    SeatDeclineForm,
    SupportNeedsForm,
)
from ..seat_page import SeatWhere, panel_shown, seat_where
from .decorators import link_page, speak, speak_to

# What a "done" in the address may confirm after a POST; anything else is ignored.
SEAT_DONE = {"support", "conflict", "signed"}
# The support-needs form's own ids: on an invited seat the answer form has the same field.
SUPPORT_FORM_IDS = "support_%s"
# How long Redis keeps a rendered seat page at most (its versions and the clock decide whether
# it is still right): about the time from an invitation to its answer deadline.
SEAT_PAGE_SECONDS = 7 * 24 * 3600


# The seat page ------------------------------------------------------------------------------------


class SeatForms(TypedDict, total=False):
    """Forms posted with errors, shown again in their places on the seat page."""

    accept_form: SeatAcceptForm
    decline_form: SeatDeclineForm
    support_form: SupportNeedsForm
    sign_form: DeclarationSignForm
    cant_come_form: SeatDeclineForm


def _seat_url(token: str, done: str = "") -> str:
    url = reverse("seat_link", args=[token])
    return f"{url}?done={done}#status" if done else url


def _duration(starts_at: datetime, ends_at: datetime) -> str:
    hours, minutes = divmod(int((ends_at - starts_at).total_seconds() // 60), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts)


def _seat_page(
    request: HttpRequest, token: str, seat: Seat, **forms: Unpack[SeatForms]
) -> HttpResponse:
    """The page again after a POST whose form has errors: rendered for this request."""
    speak_to(request, seat.holder())
    context = _seat_context(request, token, seat, **forms)
    return render(request, "panels/public/seat.html", context)


def _token_placeholder() -> str:
    """Where the link's token goes in the cached page; derived from ``SECRET_KEY``, so no text
    a user types can hold it, and made of letters and digits, as a token's place in an address
    needs."""
    return "seatlink" + salted_hmac("navpanel.seat_page", "the token's place").hexdigest()


def seat_page_scopes(where: SeatWhere) -> list[str]:
    """The versions a seat's page is kept under: its panel's (with its round, interviews,
    candidates and staff), its person's (with their agreements and conflicts) and the offices'
    (their names and contact details); ``all`` (the texts) is in every key."""
    return [
        panel_scope(where.panel_id),
        representative_scope(where.representative_id),
        OFFICES,
    ]


def seat_page_cached(seat_id: int, where: SeatWhere, done: str = "") -> str:
    """The seat page as it opens from any of the seat's links, in the active language (the
    person's), with placeholders where the link's token and the CSRF token go
    (``seat_page_from_link`` puts them in); the same for the view and the worker that renders
    it ahead (``panels.warming``).

    Rendered once per version of what it shows (``seat_page_scopes``): its panel, its person,
    the offices' names and everything (``all``: the texts). By the clock it changes at the
    answer deadline, when the panel starts, when the link stops working and when a text
    published ahead comes into force. Kept in Redis until then (at most ``SEAT_PAGE_SECONDS``):
    an invitation is opened hours or days after it is sent.
    """
    token = _token_placeholder()
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = _seat_url(token)
    if done:
        request.META["QUERY_STRING"] = f"done={done}"
        request.GET = QueryDict(f"done={done}")

    def context() -> tuple[dict[str, object], datetime | None]:
        seat = links.seat_for_link(seat_id)
        now = timezone.now()
        moments = [
            seat.answer_by,
            seat.panel.starts_at,
            links.seat_link_ends_at(seat.panel),
            texts.texts_change_at(now),
        ]
        changes_at = min((m for m in moments if m is not None and m > now), default=None)
        return _seat_context(request, token, seat), changes_at

    return fragment_html(
        "seat-page",
        (seat_id, done),
        scopes=seat_page_scopes(where),
        template_name="panels/public/seat.html",
        context=context,
        request=request,
        timeout=SEAT_PAGE_SECONDS,
    )


def seat_page_from_link(request: HttpRequest, token: str) -> HttpResponse:
    """The seat page as its link opens it: from the cache, with this link's token and this
    visitor's CSRF token put in. Read before it: the token's signature, and where the seat
    belongs (one statement); the rest only when the page must be rendered."""
    seat_id = links.seat_id_from_token(token)
    where = seat_where(seat_id=seat_id)
    if where is None:
        raise links.LinkNotValid
    speak(request, where.language)
    done = request.GET.get("done", "")
    html = seat_page_cached(seat_id, where, done if done in SEAT_DONE else "")
    # The token is a signature's letters, digits, "-", "_" and ":": as it stands in an address.
    return HttpResponse(with_csrf_token(request, html.replace(_token_placeholder(), token)))


def _seat_context(
    request: HttpRequest, token: str, seat: Seat, **forms: Unpack[SeatForms]
) -> dict[str, object]:
    panel = seat.panel
    representative = seat.holder()
    agreements = agreement_state(representative_id=representative.pk)
    declaration = agreements.declaration
    signed = agreements.declaration_signed
    consent_update = agreements.consent_update
    answerable = selectors.seat_can_be_answered(seat=seat)
    has_consent = representative.status == RepresentativeStatus.ACTIVE
    accepted = seat.status == SeatStatus.ACCEPTED
    shown = panel_shown(panel_id=panel.pk)
    context: dict[str, object] = {
        "token": token,
        "language_url": reverse("seat_link_language", args=[token]),
        "seat": seat,
        "panel": panel,
        "round": panel.round,
        "office": panel.round.office,
        "duration": _duration(panel.starts_at, panel.ends_at),
        "video_urls": shown.video_urls,
        "staff": shown.staff,
        "answerable": answerable,
        "deadline_passed": selectors.seat_deadline_passed(seat=seat),
        "declaration_blocks": texts.text_blocks(declaration.text) if declaration else [],
        "done": request.GET.get("done") if request.GET.get("done") in SEAT_DONE else "",
        "ended_by": selectors.seat_ended_by(seat=seat),
    }
    if selectors.seat_can_be_given_up(seat=seat):
        context["cant_come_form"] = forms.get("cant_come_form") or SeatDeclineForm(
            auto_id="cant_come_%s"
        )
    if answerable and has_consent:
        context["accept_form"] = forms.get("accept_form") or SeatAcceptForm(
            needs_signature=not signed,
            needs_consent=consent_update is not None,
            initial={
                "declaration": declaration.pk if declaration else None,
                "consent_text": consent_update.pk if consent_update else None,
                "support_needs": representative.support_needs,
            },
        )
        if consent_update is not None:
            context["consent_update"] = consent_update
            context["consent_blocks"] = texts.text_blocks(consent_update.text)
        context["decline_form"] = forms.get("decline_form") or SeatDeclineForm()
    elif answerable:
        # Consent is asked by its own email; this page hands out no link to other data.
        context["needs_consent"] = True
    # On an invited seat the answer form asks for support needs; a support-needs form posted
    # there anyway (an old page, a second tab) comes back with its error and what was typed.
    support_form = forms.get("support_form")
    if accepted or (support_form is not None and seat.status == SeatStatus.INVITED):
        context["support_form"] = support_form or SupportNeedsForm(
            initial={"support_needs": representative.support_needs}, auto_id=SUPPORT_FORM_IDS
        )
        if signed:
            declared = answers.candidates_declared(seat=seat)
            context["candidates"] = [
                {"candidate": candidate, "declared": candidate.pk in declared}
                for candidate in answers.panel_candidates(seat=seat)
            ]
        elif declaration:
            context["sign_form"] = forms.get("sign_form") or DeclarationSignForm(
                initial={"declaration": declaration.pk}
            )
    # The declaration is shown in full wherever the page asks for a signature.
    context["show_declaration"] = bool(declaration and not signed) and (
        "accept_form" in context or "sign_form" in context
    )
    return context


@require_GET
@link_page
def seat_link(request: HttpRequest, token: str) -> HttpResponse:
    return seat_page_from_link(request, token)


@require_POST
@link_page
def seat_link_accept(request: HttpRequest, token: str) -> HttpResponse:
    seat = links.seat_from_token(token)
    speak_to(request, seat.holder())
    form = _accept_form(seat, request.POST)
    if not form.is_valid():
        return _seat_page(request, token, seat, accept_form=form)
    try:
        answers.invitation_accept(
            seat=seat,
            declaration=ConfidentialityText.objects.filter(
                pk=form.cleaned_data["declaration"]
            ).first(),
            sign_declaration=form.cleaned_data.get("sign_declaration", False),
            support_needs=form.cleaned_data["support_needs"].strip(),
            consent_text=ConsentText.objects.filter(pk=form.cleaned_data["consent_text"]).first(),
            agree_consent=form.cleaned_data.get("agree_consent", False),
        )
    except ValidationError as error:
        if error.code not in ("declaration_changed", "consent_text_changed"):
            # Already answered, past the deadline or without consent: the page says which.
            return redirect(_seat_url(token))
        return _seat_page(request, token, seat, accept_form=_text_changed(seat, form, error))
    return redirect(_seat_url(token))


def _accept_form(seat: Seat, data: QueryDict) -> SeatAcceptForm:
    agreements = agreement_state(representative_id=seat.holder().pk)
    return SeatAcceptForm(
        data,
        needs_signature=not agreements.declaration_signed,
        needs_consent=agreements.consent_update is not None,
    )


def _text_changed(seat: Seat, form: SeatAcceptForm, error: ValidationError) -> SeatAcceptForm:
    """The form again, for the versions now current, unticked, with the reason shown."""
    agreements = agreement_state(representative_id=seat.holder().pk)
    declaration, consent_update = agreements.declaration, agreements.consent_update
    # A bound form's data is the request's QueryDict; the stubs type it as a Mapping.
    data = cast(QueryDict, form.data).copy()
    data["declaration"] = str(declaration.pk) if declaration else ""
    data["consent_text"] = str(consent_update.pk) if consent_update else ""
    if error.code == "declaration_changed":
        data.pop("sign_declaration", None)
    else:
        data.pop("agree_consent", None)
    fresh = _accept_form(seat, data)
    fresh.is_valid()
    fresh.add_error(None, error)
    return fresh


@require_POST
@link_page
def seat_link_decline(request: HttpRequest, token: str) -> HttpResponse:
    seat = links.seat_from_token(token)
    speak_to(request, seat.holder())
    form = SeatDeclineForm(request.POST)
    if not form.is_valid():
        return _seat_page(request, token, seat, decline_form=form)
    try:
        services.seat_decline(seat=seat, reason=form.cleaned_data["reason"].strip())
    except ValidationError:
        pass  # Already answered or past the deadline: the page shows the seat's status.
    return redirect(_seat_url(token))


@require_POST
@link_page
def seat_link_cant_come(request: HttpRequest, token: str) -> HttpResponse:
    """An accepted representative cannot come after all (POST only: opening the link and
    the page changes nothing)."""
    seat = links.seat_from_token(token)
    speak_to(request, seat.holder())
    form = SeatDeclineForm(request.POST, auto_id="cant_come_%s")
    if not form.is_valid():
        return _seat_page(request, token, seat, cant_come_form=form)
    try:
        services.seat_cant_come(seat=seat, reason=form.cleaned_data["reason"].strip())
    except ValidationError:
        pass  # Already given up, cancelled, or the panel has started: the page says which.
    return redirect(_seat_url(token))


@require_POST
@link_page
def seat_link_support(request: HttpRequest, token: str) -> HttpResponse:
    seat = links.seat_from_token(token)
    speak_to(request, seat.holder())
    form = SupportNeedsForm(request.POST, auto_id=SUPPORT_FORM_IDS)
    if not form.is_valid():
        return _seat_page(request, token, seat, support_form=form)
    try:
        answers.seat_support_needs_update(
            seat=seat, support_needs=form.cleaned_data["support_needs"].strip()
        )
    except ValidationError:
        return redirect(_seat_url(token))
    return redirect(_seat_url(token, "support"))


@require_POST
@link_page
def seat_link_sign(request: HttpRequest, token: str) -> HttpResponse:
    seat = links.seat_from_token(token)
    speak_to(request, seat.holder())
    form = DeclarationSignForm(request.POST)
    if not form.is_valid():
        return _seat_page(request, token, seat, sign_form=form)
    try:
        answers.seat_declaration_sign(
            seat=seat,
            declaration=ConfidentialityText.objects.filter(
                pk=form.cleaned_data["declaration"]
            ).first(),
        )
    except ValidationError:
        return redirect(_seat_url(token))
    return redirect(_seat_url(token, "signed"))


@require_POST
@link_page
def seat_link_conflict(request: HttpRequest, token: str) -> HttpResponse:
    seat = links.seat_from_token(token)
    speak_to(request, seat.holder())
    form = ConflictForm(request.POST)
    if not form.is_valid():
        raise links.LinkNotValid
    try:
        answers.conflict_declare(seat=seat, candidate_id=form.cleaned_data["candidate"])
    except Candidate.DoesNotExist as error:
        # Not a candidate of this seat's panel: the link cannot reach anyone else's.
        raise links.LinkNotValid from error
    except ValidationError:
        return redirect(_seat_url(token))
    return redirect(_seat_url(token, "conflict"))
