"""A panel's pages: make one, its page and seats partial, invite, cancel, move; and the
access checks the seat actions share."""

from datetime import datetime
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from interviews.enums import InterviewStatus, RoundState
from interviews.models import HiringRound
from interviews.selectors import (
    rounds_for_user,
    user_leads_office,
)
from navpanel.fragments import fragment_html, with_csrf_token

from .. import feedback, selectors, services
from ..enums import PanelStatus, SeatStatus
from ..forms import PanelForm, PanelMoveForm, StaffFormSet, day_from_query
from ..models import BackgroundWant, Panel, Seat
from ..suggestions import pool as suggested


def round_to_change(request: AuthenticatedHttpRequest, pk: int) -> HiringRound:
    hiring_round = get_object_or_404(rounds_for_user(request.user), pk=pk)
    if not user_leads_office(request.user, hiring_round.office_id):
        raise PermissionDenied
    return hiring_round


def panel_for_user(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Panel:
    """A panel in the user's scope (404 outside it); 403 if they may only read it."""
    panel = get_object_or_404(selectors.panels_for_user(request.user), pk=pk)
    if write and not user_leads_office(request.user, panel.round.office_id):
        raise PermissionDenied
    return panel


def seat_to_change(request: AuthenticatedHttpRequest, pk: int) -> Seat:
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
    hiring_round = round_to_change(request, round_pk)
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


def _seats_context(
    user: User,
    panel: Panel,
    *,
    now: datetime | None = None,
    with_suggestions: bool = True,
) -> dict[str, object]:
    """What the seats section (and, ``with_suggestions``, the invitation section) shows."""
    seats = selectors.panel_seats(panel=panel)
    wants = suggested.panel_wants(panel=panel)
    now = now or timezone.now()
    context: dict[str, object] = {
        **_panel_view(user, panel, now=now),
        "seats": seats,
        "wants": wants,
        "accepted_count": sum(1 for s in seats if s.status == SeatStatus.ACCEPTED),
        "invited_count": sum(1 for s in seats if s.status == SeatStatus.INVITED),
        "coverage": suggested.panel_want_coverage(seats=seats, wants=wants),
    }
    if with_suggestions and context["inviting"]:
        suggestions = suggested.panel_suggestions(panel=panel, seats=seats, wants=wants, now=now)
        context.update(suggestions=suggestions, over_cap=suggestions.over_cap)
    return context


def _panel_view(user: User, panel: Panel, *, now: datetime) -> dict[str, object]:
    """How the viewer sees the panel now: whether they may change it, whether it is planned,
    has begun, belongs to a draft round, and so takes invitations."""
    can_change = user_leads_office(user, panel.round.office_id)
    planned = panel.status == PanelStatus.PLANNED
    started = panel.starts_at <= now
    round_draft = panel.round.state == RoundState.DRAFT
    return {
        "panel": panel,
        "can_change": can_change,
        "planned": planned,
        "started": started,
        "round_draft": round_draft,
        "inviting": can_change and planned and not started and not round_draft,
    }


def panel_sections(user: User, panel: Panel) -> dict[str, object]:
    """The panel page's seats and invitation sections as ``user`` sees them, each rendered once
    per version of the office's data and per view of them (``navpanel.fragments``): a hit reads
    no seat, want or suggestion, only the HTML. Their forms hold the CSRF token's placeholder
    (``with_csrf_token``): the view's, and what ``panels.warming`` computes after a change."""
    now = timezone.now()
    context = _panel_view(user, panel, now=now)
    scopes = selectors.panel_cache_scopes(panel)
    view = (panel.pk, context["can_change"], context["planned"], context["started"])

    read: dict[str, object] = {}

    def seats_section() -> tuple[dict[str, object], datetime | None]:
        if not read:  # read once for both sections when both are computed
            read.update(_seats_context(user, panel, now=now, with_suggestions=False))
        return read, None

    def invitation_section() -> tuple[dict[str, object], datetime | None]:
        found = dict(seats_section()[0])
        suggestions = suggested.panel_suggestions(
            panel=panel,
            seats=cast(list[Seat], found["seats"]),
            wants=cast(list[BackgroundWant], found["wants"]),
            now=now,
        )
        found.update(suggestions=suggestions, over_cap=suggestions.over_cap)
        return found, suggested.suggestions_valid_until(suggestions, now=now)

    context["seats_html"] = fragment_html(
        "panel-seats-html",
        view,
        scopes=scopes,
        template_name="panels/_seats.html",
        context=seats_section,
        now=now,
    )
    if context["inviting"]:
        context["suggestions_html"] = fragment_html(
            "panel-suggestions-html",
            view,
            scopes=scopes,
            template_name="panels/_seat_suggestions.html",
            context=invitation_section,
            now=now,
        )
    return context


@login_required
def panel_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _panel_page(request, panel_for_user(request, pk))


def _panel_page(
    request: AuthenticatedHttpRequest, panel: Panel, *, move_form: PanelMoveForm | None = None
) -> HttpResponse:
    """The panel page; a move that was refused or warned about is shown again, open."""
    context = panel_sections(request.user, panel)
    for section in ("seats_html", "suggestions_html"):
        if section in context:
            context[section] = with_csrf_token(request, cast(str, context[section]))
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
    panel = panel_for_user(request, pk)
    seats_html = cast(str, panel_sections(request.user, panel)["seats_html"])
    return HttpResponse(with_csrf_token(request, seats_html))


def after_seat_change(request: AuthenticatedHttpRequest, panel: Panel) -> HttpResponse:
    if request.htmx:
        panel.refresh_from_db()
        return render(request, "panels/_seat_update.html", _seats_context(request.user, panel))
    return redirect("panel_detail", pk=panel.pk)


@login_required
@require_POST
def panel_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Invite the ticked representatives, each in a transaction of its own, so that one who
    cannot be invited (booked elsewhere a moment ago) does not stop the others."""
    panel = panel_for_user(request, pk, write=True)
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
    return after_seat_change(request, panel)


@login_required
@require_POST
def panel_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    panel = panel_for_user(request, pk, write=True)
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
    panel = panel_for_user(request, pk, write=True)
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
