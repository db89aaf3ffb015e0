"""What a leader does to one seat: take the person off, record a phone answer, mark
attendance and put it right."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest

from .. import services
from ..enums import SeatStatus
from ..forms import PhoneAnswerForm
from ..models import Seat
from .panel import after_seat_change, seat_to_change


@login_required
@require_http_methods(["GET", "POST"])
def seat_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take a representative off the panel: GET asks the leader to confirm (and changes
    nothing), the confirmation's POST does it."""
    seat = seat_to_change(request, pk)
    name = seat.representative.name if seat.representative else _("The representative")
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return render(
            request,
            "panels/seat_cancel_confirm.html",
            {"seat": seat, "panel": seat.panel, "name": name},
        )
    try:
        seat = services.seat_cancel(seat=seat, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s was taken off the panel and told by email.") % {"name": name}
        )
        _tell_refill(request, seat)
    return redirect("panel_detail", pk=seat.panel_id)


def _tell_refill(request: AuthenticatedHttpRequest, seat: Seat) -> None:
    next_seat = getattr(seat, "next_seat", None)
    if next_seat is not None and next_seat.representative:
        messages.info(
            request,
            _("%(name)s, the next suggestion, was invited automatically.")
            % {"name": next_seat.representative.name},
        )


@login_required
@require_POST
def seat_phone_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the answer an invited representative gave by phone, on their behalf."""
    seat = seat_to_change(request, pk)
    form = PhoneAnswerForm(request.POST)
    name = seat.representative.name if seat.representative else _("The representative")
    if not form.is_valid():
        messages.error(request, _("Choose whether %(name)s said yes or no.") % {"name": name})
        return after_seat_change(request, seat.panel)
    accepted = form.cleaned_data["answer"] == "accepted"
    try:
        seat = services.seat_answer_by_phone(
            seat=seat,
            accepted=accepted,
            by=request.user,
            reason=form.cleaned_data["reason"].strip(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if accepted:
            messages.success(
                request,
                _("Recorded: %(name)s said yes by phone. The confirmation was sent by email.")
                % {"name": name},
            )
        else:
            messages.success(request, _("Recorded: %(name)s said no by phone.") % {"name": name})
            _tell_refill(request, seat)
    return after_seat_change(request, seat.panel)


@login_required
@require_http_methods(["GET", "POST"])
def seat_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark whether the representative came. "Did not come" means no honorarium, so it is
    asked for again on a page of its own (GET, or a POST without ``confirm``) before it is
    done; "came" is done at once."""
    seat = seat_to_change(request, pk)
    answer = request.POST.get("attended", "") or request.GET.get("attended", "")
    if answer not in ("yes", "no"):
        messages.error(request, _("Choose whether the representative came."))
        return after_seat_change(request, seat.panel)
    if answer == "no" and (request.method == "GET" or request.POST.get("confirm") != "yes"):
        return _attendance_confirm(request, seat, attended=False, correction=False)
    try:
        seat = services.seat_mark_attendance(seat=seat, attended=answer == "yes", by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _tell_attendance(request, seat)
    return after_seat_change(request, seat.panel)


def _tell_attendance(request: AuthenticatedHttpRequest, seat: Seat) -> None:
    name = seat.representative.name if seat.representative else _("The representative")
    if seat.status == SeatStatus.ATTENDED:
        messages.success(request, _("%(name)s came.") % {"name": name})
    else:
        messages.success(request, _("%(name)s did not come.") % {"name": name})


def _attendance_confirm(
    request: AuthenticatedHttpRequest, seat: Seat, *, attended: bool, correction: bool
) -> HttpResponse:
    name = seat.representative.name if seat.representative else _("The representative")
    return render(
        request,
        "panels/seat_attendance_confirm.html",
        {
            "seat": seat,
            "panel": seat.panel,
            "name": name,
            "attended": attended,
            "correction": correction,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_attendance_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Put right attendance marked the wrong way round, until the day's honoraria are
    exported: GET asks the leader to confirm (and changes nothing), the POST does it."""
    seat = seat_to_change(request, pk)
    attended = seat.status != SeatStatus.ATTENDED
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return _attendance_confirm(request, seat, attended=attended, correction=True)
    try:
        seat = services.seat_attendance_correct(seat=seat, attended=attended, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _tell_attendance(request, seat)
    return redirect(f"{reverse('panel_detail', args=[seat.panel_id])}#seat-{seat.pk}")
