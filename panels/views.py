"""The leader's pages: the dashboard, and the panels: make one, fill its seats, follow the
answers, mark attendance.

Every write answers 403 to someone who may only read (HR) and 404 outside the user's offices.
The seat actions answer an htmx request with the seats partial (and, out of band, the
suggestions and a status message); without JavaScript the same forms post and redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from interviews.enums import InterviewStatus, RoundState
from interviews.models import HiringRound
from interviews.selectors import (
    offices_for_user,
    offices_led_by,
    rounds_for_user,
    user_is_hr,
    user_is_leader,
    user_leads_office,
)

from . import feedback, selectors, services
from .dashboard import dashboard_actions, dashboard_rounds
from .eligibility import over_cap_representatives
from .enums import PanelStatus, SeatStatus
from .forms import PanelForm, PanelMoveForm, PhoneAnswerForm, StaffFormSet, day_from_query
from .models import Panel, Seat


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What needs action in the offices the user sees (the one chosen in the header, if any)."""
    offices = offices_for_user(request.user)
    chosen = request.session.get("office_id")
    if chosen and offices.filter(pk=chosen).exists():
        offices = offices.filter(pk=chosen)
    open_rounds, draft_rounds = dashboard_rounds(offices=offices)
    return render(
        request,
        "panels/dashboard.html",
        {
            "offices": offices,
            # With more than one office each item says whose it is.
            "show_office": len(offices) > 1,
            "actions": dashboard_actions(
                offices=offices,
                now=timezone.now(),
                led_offices=offices.filter(pk__in=offices_led_by(request.user)),
            ),
            "open_rounds": open_rounds,
            "draft_rounds": draft_rounds,
            "is_leader": user_is_leader(request.user),
            "is_hr": user_is_hr(request.user),
        },
    )


def _round_to_change(request: AuthenticatedHttpRequest, pk: int) -> HiringRound:
    hiring_round = get_object_or_404(rounds_for_user(request.user), pk=pk)
    if not user_leads_office(request.user, hiring_round.office_id):
        raise PermissionDenied
    return hiring_round


def _panel_for_user(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Panel:
    """A panel in the user's scope (404 outside it); 403 if they may only read it."""
    panel = get_object_or_404(selectors.panels_for_user(request.user), pk=pk)
    if write and not user_leads_office(request.user, panel.round.office_id):
        raise PermissionDenied
    return panel


def _seat_to_change(request: AuthenticatedHttpRequest, pk: int) -> Seat:
    seat = get_object_or_404(
        selectors.seats_for_user(request.user).select_related(
            "panel__round__office", "representative"
        ),
        pk=pk,
    )
    if not user_leads_office(request.user, seat.panel.round.office_id):
        raise PermissionDenied
    return seat


@login_required
def panel_create(request: AuthenticatedHttpRequest, round_pk: int) -> HttpResponse:
    hiring_round = _round_to_change(request, round_pk)
    interviews = (
        hiring_round.interviews.filter(status=InterviewStatus.SCHEDULED, ends_at__gt=timezone.now())
        .exclude(panels__status=PanelStatus.PLANNED)
        .select_related("candidate")
        .order_by("starts_at", "id")
    )
    # "New panel as a copy" (issue 18, point 3): an earlier panel of the same office.
    source = None
    if request.GET.get("kopi", "").isdigit():
        source = get_object_or_404(
            selectors.panels_for_user(request.user).filter(round__office=hiring_round.office),
            pk=int(request.GET["kopi"]),
        )
    form = PanelForm(
        request.POST or None,
        interviews=interviews,
        seats_per_panel=hiring_round.seats_per_panel,
        day=day_from_query(request.GET.get("day", "")),
        known_staff=selectors.office_staff_interviewers(office_id=hiring_round.office_id),
        copy_from=source,
    )
    staff = StaffFormSet(request.POST or None, prefix="staff")
    if request.method == "POST" and form.is_valid() and staff.is_valid():
        chosen = form.staff_chosen()
        emails = {person["email"].casefold() for person in chosen}
        typed = [
            row.cleaned_data
            for row in staff
            if row.has_changed() and row.cleaned_data["email"].casefold() not in emails
        ]
        try:
            panel = services.panel_create(
                hiring_round=hiring_round,
                interviews=list(form.cleaned_data["interviews"]),
                seats_wanted=form.cleaned_data["seats_wanted"],
                location=form.cleaned_data["location"],
                staff=chosen + typed,
            )
        except ValidationError as error:
            # Too many staff is said where they are ticked: typed rows alone cannot exceed it.
            too_many = getattr(error, "code", None) == "too_many_staff"
            form.add_error("known_staff" if too_many else None, error)
        else:
            messages.success(request, _("The panel was created. Now invite representatives."))
            return redirect("panel_detail", pk=panel.pk)
    return render(
        request,
        "panels/panel_form.html",
        {"round": hiring_round, "form": form, "staff": staff},
    )


def _seats_context(request: AuthenticatedHttpRequest, panel: Panel) -> dict[str, object]:
    seats = selectors.panel_seats(panel=panel)
    wants = selectors.panel_wants(panel=panel)
    now = timezone.now()
    can_change = user_leads_office(request.user, panel.round.office_id)
    planned = panel.status == PanelStatus.PLANNED
    context: dict[str, object] = {
        "panel": panel,
        "seats": seats,
        "accepted_count": sum(1 for s in seats if s.status == SeatStatus.ACCEPTED),
        "invited_count": sum(1 for s in seats if s.status == SeatStatus.INVITED),
        "coverage": selectors.panel_want_coverage(seats=seats, wants=wants),
        "can_change": can_change,
        "started": panel.starts_at <= now,
        "planned": planned,
    }
    context["round_draft"] = panel.round.state == RoundState.DRAFT
    if can_change and planned and panel.starts_at > now and not context["round_draft"]:
        context["suggestions"] = selectors.panel_suggestions(
            panel=panel, seats=seats, wants=wants, now=now
        )
        context["over_cap"] = list(over_cap_representatives(panel=panel).order_by("name"))
    return context


@login_required
def panel_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _panel_page(request, _panel_for_user(request, pk))


def _panel_page(
    request: AuthenticatedHttpRequest, panel: Panel, *, move_form: PanelMoveForm | None = None
) -> HttpResponse:
    """The panel page; a move that was refused or warned about is shown again, open."""
    context = _seats_context(request, panel)
    interviews = list(panel.interviews.select_related("candidate").order_by("starts_at", "id"))
    if context["can_change"]:
        # Only the office's leaders: conflicts name representatives and candidates.
        conflicts = selectors.panel_conflicts(panel=panel)
        for interview in interviews:
            interview.conflicted = conflicts.get(interview.pk, [])
        if context["started"]:
            context["feedback"] = feedback.panel_feedback_summary(panel=panel)
    context.update(interviews=interviews, staff=panel.staff.all())
    if context["can_change"]:
        context["move_form"] = move_form or PanelMoveForm(panel=panel)
    return render(request, "panels/panel_detail.html", context)


@login_required
@require_GET
def panel_seats(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The seats partial alone: htmx polls it so statuses change as representatives answer."""
    panel = _panel_for_user(request, pk)
    return render(request, "panels/_seats.html", _seats_context(request, panel))


def _after_seat_change(request: AuthenticatedHttpRequest, panel: Panel) -> HttpResponse:
    if request.htmx:
        panel.refresh_from_db()
        return render(request, "panels/_seat_update.html", _seats_context(request, panel))
    return redirect("panel_detail", pk=panel.pk)


@login_required
@require_POST
def panel_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Invite the ticked representatives, each in a transaction of its own, so that one who
    cannot be invited (booked elsewhere a moment ago) does not stop the others."""
    panel = _panel_for_user(request, pk, write=True)
    ids = [int(value) for value in request.POST.getlist("representative") if value.isdigit()]
    people = selectors.representatives_for_user(request.user).filter(pk__in=ids).order_by("name")
    if not ids:
        messages.error(request, _("Tick at least one representative to invite."))
    # "Invite anyway" (issue 18, point 9): passes over the office's cap, and only the cap.
    over_cap = request.POST.get("over_cap") == "1"
    invited: list[str] = []
    for representative in people:
        try:
            services.seat_invite(
                panel=panel, representative=representative, by=request.user, over_cap=over_cap
            )
        except ValidationError as error:
            messages.error(
                request,
                _("%(name)s was not invited: %(reason)s")
                % {"name": representative.name, "reason": " ".join(error.messages)},
            )
        else:
            invited.append(representative.name)
    if invited:
        messages.success(request, _("Invited: %(names)s.") % {"names": ", ".join(invited)})
    return _after_seat_change(request, panel)


@login_required
@require_POST
def panel_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    panel = _panel_for_user(request, pk, write=True)
    if panel.status == PanelStatus.CANCELLED:
        messages.info(request, _("The panel was already cancelled."))
    else:
        services.panel_cancel(panel=panel, by=request.user)
        messages.success(request, _("The panel was cancelled, and the representatives were told."))
    return redirect("panel_detail", pk=panel.pk)


@login_required
@require_POST
def panel_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move the whole interview day at once: one change, one email to each person on it."""
    panel = _panel_for_user(request, pk, write=True)
    form = PanelMoveForm(request.POST, panel=panel)
    if form.is_valid():
        try:
            services.panel_move(
                panel=panel,
                day=form.cleaned_data["day"],
                starts_at=form.cleaned_data["starts_at"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(
                request,
                _("The panel was not moved: %(reasons)s") % {"reasons": " ".join(error.messages)},
            )
        else:
            messages.success(request, _("The panel was moved, and everyone on it was told."))
        return redirect("panel_detail", pk=panel.pk)
    messages.error(
        request,
        _("The panel was not moved: %(reasons)s")
        % {"reasons": " ".join(str(m) for errors in form.errors.values() for m in errors)},
    )
    # The form again, open, with its messages (and the checkbox a weekend day asks for).
    return _panel_page(request, panel, move_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def seat_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take a representative off the panel: GET asks the leader to confirm (and changes
    nothing), the confirmation's POST does it."""
    seat = _seat_to_change(request, pk)
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
    seat = _seat_to_change(request, pk)
    form = PhoneAnswerForm(request.POST)
    name = seat.representative.name if seat.representative else _("The representative")
    if not form.is_valid():
        messages.error(request, _("Choose whether %(name)s said yes or no.") % {"name": name})
        return _after_seat_change(request, seat.panel)
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
    return _after_seat_change(request, seat.panel)


@login_required
@require_http_methods(["GET", "POST"])
def seat_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark whether the representative came. "Did not come" means no honorarium, so it is
    asked for again on a page of its own (GET, or a POST without ``confirm``) before it is
    done; "came" is done at once."""
    seat = _seat_to_change(request, pk)
    answer = request.POST.get("attended", "") or request.GET.get("attended", "")
    if answer not in ("yes", "no"):
        messages.error(request, _("Choose whether the representative came."))
        return _after_seat_change(request, seat.panel)
    if answer == "no" and (request.method == "GET" or request.POST.get("confirm") != "yes"):
        return _attendance_confirm(request, seat, attended=False, correction=False)
    try:
        seat = services.seat_mark_attendance(seat=seat, attended=answer == "yes", by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _tell_attendance(request, seat)
    return _after_seat_change(request, seat.panel)


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
    seat = _seat_to_change(request, pk)
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
