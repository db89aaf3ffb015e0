"""The representative's pages, reached by signed links in email. Nobody signs in here.

Opening a link changes nothing (mail scanners open links): GET only shows, and every change is
a POST from a button, with CSRF. The views never read ``request.user``, so a member of staff
signed in in the same browser sees exactly what the representative sees.

An altered link, or one whose seat or person is gone, answers 404 with a friendly page; an
expired consent link answers 410 and names the office to ask.
"""

from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interviews.enums import InterviewStatus
from interviews.models import Candidate

from . import consent, feedback, links
from . import my_page as my_page_services
from .enums import RepresentativeStatus, SeatStatus
from .models import (
    FEEDBACK_QUESTIONS,
    ConfidentialityText,
    ConsentText,
    Panel,
    Seat,
    StaffInterviewer,
)
from .public_forms import (
    ConflictForm,
    ConsentForm,
    DeclarationSignForm,
    FeedbackForm,
    MyPageActionForm,
    SeatAcceptForm,
    SeatDeclineForm,
    SupportNeedsForm,
)

# What a "done" in the address may confirm after a POST; anything else is ignored.
SEAT_DONE = {"support", "conflict", "signed"}
# The support-needs form's own ids: on an invited seat the answer form has the same field.
SUPPORT_FORM_IDS = "support_%s"
CONSENT_DONE = {"given", "saved", "renewed"}


def _link_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
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
        except consent.LinkNotValid:
            response = render(request, "panels/public/link_invalid.html", status=404)
        except consent.LinkExpired as expired:
            response = render(
                request,
                "panels/public/link_expired.html",
                {"offices": expired.offices},
                status=410,
            )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper


# The seat page ------------------------------------------------------------------------------------


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
    request: HttpRequest,
    token: str,
    seat: Seat,
    *,
    accept_form: SeatAcceptForm | None = None,
    decline_form: SeatDeclineForm | None = None,
    support_form: SupportNeedsForm | None = None,
    sign_form: DeclarationSignForm | None = None,
) -> HttpResponse:
    panel = seat.panel
    representative = seat.representative
    declaration = consent.confidentiality_text_current()
    signed = consent.confidentiality_is_signed(representative=representative, text=declaration)
    consent_update = consent.consent_update_needed(representative=representative)
    answerable = consent.seat_can_be_answered(seat=seat)
    has_consent = representative.status == RepresentativeStatus.ACTIVE
    accepted = seat.status == SeatStatus.ACCEPTED
    context: dict[str, object] = {
        "token": token,
        "seat": seat,
        "panel": panel,
        "round": panel.round,
        "office": panel.round.office,
        "duration": _duration(panel.starts_at, panel.ends_at),
        "video_urls": sorted(
            set(
                panel.interviews.filter(status=InterviewStatus.SCHEDULED)
                .exclude(video_url="")
                .values_list("video_url", flat=True)
            )
        ),
        "staff": [
            {"first_name": member.name.split(" ")[0], "role": member.role}
            for member in panel.staff.all()
        ],
        "answerable": answerable,
        "deadline_passed": consent.seat_deadline_passed(seat=seat),
        "declaration_blocks": consent.text_blocks(declaration.text) if declaration else [],
        "done": request.GET.get("done") if request.GET.get("done") in SEAT_DONE else "",
        "my_page_url": reverse("my_page", args=[links.my_page_token(representative.pk)]),
    }
    if answerable and has_consent:
        context["accept_form"] = accept_form or SeatAcceptForm(
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
            context["consent_blocks"] = consent.text_blocks(consent_update.text)
        context["decline_form"] = decline_form or SeatDeclineForm()
    elif answerable:
        context["consent_url"] = reverse(
            "consent_link", args=[links.representative_token(representative.pk)]
        )
    # On an invited seat the answer form asks for support needs; a support-needs form posted
    # there anyway (an old page, a second tab) comes back with its error and what was typed.
    if accepted or (support_form is not None and seat.status == SeatStatus.INVITED):
        context["support_form"] = support_form or SupportNeedsForm(
            initial={"support_needs": representative.support_needs}, auto_id=SUPPORT_FORM_IDS
        )
        if signed:
            declared = consent.candidates_declared(seat=seat)
            context["candidates"] = [
                {"candidate": candidate, "declared": candidate.pk in declared}
                for candidate in consent.panel_candidates(seat=seat)
            ]
        elif declaration:
            context["sign_form"] = sign_form or DeclarationSignForm(
                initial={"declaration": declaration.pk}
            )
    # The declaration is shown in full wherever the page asks for a signature.
    context["show_declaration"] = bool(declaration and not signed) and (
        "accept_form" in context or "sign_form" in context
    )
    return render(request, "panels/public/seat.html", context)


@require_GET
@_link_page
def seat_link(request: HttpRequest, token: str) -> HttpResponse:
    return _seat_page(request, token, consent.seat_from_token(token))


@require_POST
@_link_page
def seat_link_accept(request: HttpRequest, token: str) -> HttpResponse:
    seat = consent.seat_from_token(token)
    form = _accept_form(seat, request.POST)
    if not form.is_valid():
        return _seat_page(request, token, seat, accept_form=form)
    try:
        consent.seat_accept(
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
    representative = seat.representative
    return SeatAcceptForm(
        data,
        needs_signature=not consent.confidentiality_is_signed(
            representative=representative, text=consent.confidentiality_text_current()
        ),
        needs_consent=consent.consent_update_needed(representative=representative) is not None,
    )


def _text_changed(seat: Seat, form: SeatAcceptForm, error: ValidationError) -> SeatAcceptForm:
    """The form again, for the versions now current, unticked, with the reason shown."""
    declaration = consent.confidentiality_text_current()
    consent_update = consent.consent_update_needed(representative=seat.representative)
    data = form.data.copy()
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
@_link_page
def seat_link_decline(request: HttpRequest, token: str) -> HttpResponse:
    seat = consent.seat_from_token(token)
    form = SeatDeclineForm(request.POST)
    if not form.is_valid():
        return _seat_page(request, token, seat, decline_form=form)
    try:
        consent.seat_decline(seat=seat, reason=form.cleaned_data["reason"].strip())
    except ValidationError:
        pass  # Already answered or past the deadline: the page shows the seat's status.
    return redirect(_seat_url(token))


@require_POST
@_link_page
def seat_link_support(request: HttpRequest, token: str) -> HttpResponse:
    seat = consent.seat_from_token(token)
    form = SupportNeedsForm(request.POST, auto_id=SUPPORT_FORM_IDS)
    if not form.is_valid():
        return _seat_page(request, token, seat, support_form=form)
    try:
        consent.seat_support_needs_update(
            seat=seat, support_needs=form.cleaned_data["support_needs"].strip()
        )
    except ValidationError:
        return redirect(_seat_url(token))
    return redirect(_seat_url(token, "support"))


@require_POST
@_link_page
def seat_link_sign(request: HttpRequest, token: str) -> HttpResponse:
    seat = consent.seat_from_token(token)
    form = DeclarationSignForm(request.POST)
    if not form.is_valid():
        return _seat_page(request, token, seat, sign_form=form)
    try:
        consent.seat_declaration_sign(
            seat=seat,
            declaration=ConfidentialityText.objects.filter(
                pk=form.cleaned_data["declaration"]
            ).first(),
        )
    except ValidationError:
        return redirect(_seat_url(token))
    return redirect(_seat_url(token, "signed"))


@require_POST
@_link_page
def seat_link_conflict(request: HttpRequest, token: str) -> HttpResponse:
    seat = consent.seat_from_token(token)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        raise consent.LinkNotValid
    try:
        consent.conflict_declare(seat=seat, candidate_id=form.cleaned_data["candidate"])
    except Candidate.DoesNotExist as error:
        # Not a candidate of this seat's panel: the link cannot reach anyone else's.
        raise consent.LinkNotValid from error
    except ValidationError:
        return redirect(_seat_url(token))
    return redirect(_seat_url(token, "conflict"))


# The consent page -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_link_page
def consent_link(request: HttpRequest, token: str) -> HttpResponse:
    representative = consent.representative_from_token(token)
    text = consent.consent_text_current()
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
            form = ConsentForm(
                initial={"consent_text": text.pk, "backgrounds": form.cleaned_data["backgrounds"]},
                needs_agreement=standing is None or renewal is not None,
            )
            error_message = error.messages[0]
        else:
            done = "renewed" if renewal else "saved" if standing else "given"
            return redirect(f"{reverse('consent_link', args=[token])}?done={done}#status")
    else:
        error_message = ""
    done = request.GET.get("done", "")
    return render(
        request,
        "panels/public/consent.html",
        {
            "token": token,
            "representative": representative,
            "offices": list(representative.offices.all()),
            "text": text,
            "text_blocks": consent.text_blocks(text.text) if text else [],
            "standing": standing,
            "renewal": renewal,
            "form": form,
            "error_message": error_message,
            "can_decline": representative.status != RepresentativeStatus.ACTIVE,
            "done": done if done in CONSENT_DONE else "",
        },
    )


@require_POST
@_link_page
def consent_link_decline(request: HttpRequest, token: str) -> HttpResponse:
    representative = consent.representative_from_token(token)
    try:
        consent.consent_decline(representative=representative)
    except ValidationError:
        return redirect("consent_link", token=token)
    return redirect("consent_deleted")


@require_GET
def consent_deleted(request: HttpRequest) -> HttpResponse:
    response = render(request, "panels/public/consent_deleted.html")
    add_never_cache_headers(response)
    return response


# My page -----------------------------------------------------------------------------------------

MY_PAGE_DONE = {"withdrawn", "deletion"}
MY_PAGE_CONFIRM = {"withdraw", "delete"}


def _my_page_url(token: str, *, done: str = "", confirm: str = "") -> str:
    url = reverse("my_page", args=[token])
    if done:
        return f"{url}?done={done}#status"
    if confirm:
        return f"{url}?confirm={confirm}#confirm"
    return url


@require_http_methods(["GET", "POST"])
@_link_page
def my_page(request: HttpRequest, token: str) -> HttpResponse:
    """The person's panels, consents and signatures; withdraw, download, ask for deletion.

    GET only shows (``?confirm=`` shows the second step of a button, still without change).
    POST acts; doing the same thing twice finds it done and changes nothing.
    """
    representative = consent.my_page_representative_from_token(token)
    if request.method == "POST":
        form = MyPageActionForm(request.POST)
        if not form.is_valid():
            return redirect(_my_page_url(token))
        action = form.cleaned_data["action"]
        if action == "download":
            data = my_page_services.representative_data_download(representative=representative)
            response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
            response["Content-Disposition"] = 'attachment; filename="mine-opplysninger.json"'
            return response
        if action == "withdraw":
            my_page_services.consent_withdraw(representative=representative)
            return redirect(_my_page_url(token, done="withdrawn"))
        my_page_services.deletion_request(representative=representative)
        return redirect(_my_page_url(token, done="deletion"))
    overview = my_page_services.my_page_overview(representative=representative)
    for seat in overview.upcoming:
        seat.link_path = reverse("seat_link", args=[links.seat_token(seat.pk)])
    for seat in overview.past:
        if seat.status in feedback.SEATS_THAT_SAT:
            seat.feedback_path = reverse("feedback_link", args=[links.seat_token(seat.pk)])
    confirm = request.GET.get("confirm", "")
    if confirm == "withdraw" and not overview.has_standing_consent:
        confirm = ""
    if confirm == "delete" and representative.deletion_requested_at:
        confirm = ""
    done = request.GET.get("done", "")
    return render(
        request,
        "panels/public/my_page.html",
        {
            "token": token,
            "representative": representative,
            "overview": overview,
            "offices": list(representative.offices.all()),
            "office": representative.offices.first(),
            "confirm": confirm if confirm in MY_PAGE_CONFIRM else "",
            "done": done if done in MY_PAGE_DONE else "",
            "consent_url": reverse(
                "consent_link", args=[links.representative_token(representative.pk)]
            ),
        },
    )


# Feedback ----------------------------------------------------------------------------------------


def _feedback_page(
    request: HttpRequest,
    *,
    panel: Panel,
    seat: Seat | None = None,
    staff: StaffInterviewer | None = None,
) -> HttpResponse:
    closed = feedback.feedback_closed_reason(panel=panel, seat=seat)
    already = not closed and feedback.feedback_given(seat=seat, staff=staff)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and not closed and not already and form.is_valid():
        feedback.feedback_submit(
            panel=panel,
            seat=seat,
            staff=staff,
            ratings={question: form.cleaned_data[question] for question in FEEDBACK_QUESTIONS},
            comment=form.cleaned_data["comment"],
        )
        return redirect(f"{request.path}?done=1#status")
    return render(
        request,
        "panels/public/feedback.html",
        {
            "panel": panel,
            "round": panel.round,
            "office": panel.round.office,
            "closed": closed,
            "already": already,
            "thanks": already and request.GET.get("done") == "1",
            "form": form,
            "staff": staff,
        },
    )


@require_http_methods(["GET", "POST"])
@_link_page
def feedback_link(request: HttpRequest, token: str) -> HttpResponse:
    seat = consent.seat_from_token(token)
    return _feedback_page(request, panel=seat.panel, seat=seat)


@require_http_methods(["GET", "POST"])
@_link_page
def staff_feedback_link(request: HttpRequest, token: str) -> HttpResponse:
    staff = feedback.staff_interviewer_from_token(token)
    return _feedback_page(request, panel=staff.panel, staff=staff)
