"""The leader's round pages: the rounds, one round with its candidates, interview days and
panels, and the moves and cancellations whose panels follow. They live in ``panels`` because a
round's page shows its panels and wanted backgrounds; ``interviews`` holds the rules they call.
"""

from datetime import date, datetime
from typing import TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from interviews import selectors, services
from interviews.enums import InterviewStatus, RoundState
from interviews.models import HiringRound, Interview

from .. import services as panel_services
from ..enums import SAT_STATUSES
from ..selectors import panels_for_user
from . import services as round_services
from .forms import (
    CandidatesForm,
    InterviewDayForm,
    InterviewMoveForm,
    RoundFilterForm,
    RoundForm,
    add_service_errors,
)


def _round_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> HiringRound:
    """Fetch a round in the user's scope (404 outside it); 403 if they may only read it."""
    hiring_round = get_object_or_404(selectors.rounds_for_user(request.user), pk=pk)
    if write and not selectors.user_leads_office(request.user, hiring_round.office_id):
        raise PermissionDenied
    return hiring_round


def _interview_for_change(request: AuthenticatedHttpRequest, pk: int) -> Interview:
    """Fetch an interview in the user's scope (404 outside it); 403 unless they lead its office."""
    interview = get_object_or_404(selectors.interviews_for_user(request.user), pk=pk)
    if not selectors.user_leads_office(request.user, interview.round.office_id):
        raise PermissionDenied
    return interview


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _round_url(hiring_round: HiringRound, section: str) -> str:
    return f"{reverse('round_detail', args=[hiring_round.pk])}#{section}"


@login_required
@require_POST
def office_choose(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    """Remember which of the user's offices the pages show; empty means all of them."""
    office_id = request.POST.get("office", "")
    if office_id == "":
        request.session.pop("office_id", None)
    else:
        office = get_object_or_404(
            selectors.offices_for_user(request.user),
            pk=int(office_id) if office_id.isdigit() else 0,
        )
        request.session["office_id"] = office.pk
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "dashboard"
    return redirect(next_url)


@login_required
def round_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rounds = selectors.rounds_for_user(request.user)
    filter_form = RoundFilterForm(request.GET)
    # An unknown state in the address is ignored rather than answered with an error page.
    state = filter_form.cleaned_data["state"] if filter_form.is_valid() else ""
    if state:
        rounds = rounds.filter(state=state)
    return render(
        request,
        "interviews/round_list.html",
        {"rounds": rounds, "filter_form": filter_form, "state": state},
    )


class _InterviewDay(TypedDict):
    day: date
    interviews: list[Interview]
    scheduled: int


def _round_page(
    request: AuthenticatedHttpRequest,
    hiring_round: HiringRound,
    *,
    candidates_form: CandidatesForm | None = None,
    move_form: InterviewMoveForm | None = None,
) -> HttpResponse:
    """The round page; a form that was refused is shown again with its messages."""
    can_change = selectors.user_leads_office(request.user, hiring_round.office_id)
    days: list[_InterviewDay] = []
    for interview in hiring_round.interviews.select_related("candidate"):
        day = timezone.localdate(interview.starts_at)
        if not days or days[-1]["day"] != day:
            days.append({"day": day, "interviews": [], "scheduled": 0})
        days[-1]["interviews"].append(interview)
        if interview.status == InterviewStatus.SCHEDULED:
            days[-1]["scheduled"] += 1
            if can_change:
                interview.move_form = (
                    move_form
                    if move_form is not None and move_form.interview.pk == interview.pk
                    else InterviewMoveForm(interview=interview)
                )
    panels = (
        panels_for_user(request.user)
        .filter(round=hiring_round)
        .annotate(seats_accepted=Count("seats", filter=Q(seats__status__in=SAT_STATUSES)))
        .order_by("starts_at", "id")
    )
    context = {
        "round": hiring_round,
        "can_change": can_change,
        "is_closed": hiring_round.state == RoundState.CLOSED,
        "wants": hiring_round.wants.select_related("background").order_by(
            "background__order", "background__name"
        ),
        "days": days,
        "panels": panels,
        "transitions": hiring_round.transitions.select_related("by"),
    }
    # Candidates' names are for the office's leaders only (docs/domain.md), not for HR.
    if can_change:
        context["candidates"] = hiring_round.candidates.order_by("id").prefetch_related(
            Prefetch(
                "interviews",
                queryset=Interview.objects.filter(status=InterviewStatus.SCHEDULED),
                to_attr="scheduled_interviews",
            )
        )
        context["candidates_form"] = candidates_form or CandidatesForm()
    else:
        context["candidate_count"] = hiring_round.candidates.count()
    return render(request, "interviews/round_detail.html", context)


@login_required
def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, _round_for_user(request, pk))


@login_required
def round_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = selectors.offices_led_by(request.user)
    if not offices.exists():
        raise PermissionDenied
    # "New round as a copy" (issue 18, point 3): an earlier round of the user's offices.
    source = None
    if request.GET.get("kopi", "").isdigit():
        source = get_object_or_404(
            selectors.rounds_for_user(request.user).filter(office__in=offices),
            pk=int(request.GET["kopi"]),
        )
    form = RoundForm(request.POST or None, offices=offices, copy_from=source)
    if request.method == "POST" and form.is_valid():
        data = form.model_data()
        office = data.pop("office")
        try:
            hiring_round = round_services.round_create(
                office=office, by=request.user, wants=form.wants(), **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The hiring round was created as a draft."))
            return redirect("round_detail", pk=hiring_round.pk)
    return render(request, "interviews/round_form.html", {"form": form, "source": source})


@login_required
def round_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hiring_round = _round_for_user(request, pk, write=True)
    form = RoundForm(request.POST or None, instance=hiring_round)
    if request.method == "POST" and form.is_valid():
        try:
            round_services.round_update(
                hiring_round=hiring_round, wants=form.wants(), **form.model_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The hiring round was saved."))
            return redirect("round_detail", pk=hiring_round.pk)
    return render(request, "interviews/round_form.html", {"form": form, "round": hiring_round})


@login_required
@require_POST
def round_change_state(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    hiring_round = _round_for_user(request, pk, write=True)
    try:
        services.round_transition(
            hiring_round=hiring_round, to=request.POST.get("to", ""), by=request.user
        )
    except ValidationError:
        messages.error(request, _("That change of state is not possible for this round."))
    else:
        messages.success(request, _("The round's state was changed."))
    return redirect("round_detail", pk=hiring_round.pk)


@login_required
@require_POST
def round_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    """Delete a draft round (confirmed in the round page's "Delete" panel)."""
    hiring_round = _round_for_user(request, pk, write=True)
    title = hiring_round.position_title
    try:
        round_services.round_delete(hiring_round=hiring_round, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("round_detail", pk=hiring_round.pk)
    messages.success(request, _("The draft round “%(title)s” was deleted.") % {"title": title})
    return redirect("round_list")


@login_required
@require_POST
def candidates_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hiring_round = _round_for_user(request, pk, write=True)
    form = CandidatesForm(request.POST)
    if form.is_valid():
        try:
            added = services.candidates_add(
                hiring_round=hiring_round, text=form.cleaned_data["names"]
            )
        except ValidationError as error:
            form.add_error("names", error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s candidate was added.", "%(count)s candidates were added.", len(added)
                )
                % {"count": len(added)},
            )
            return redirect(_round_url(hiring_round, "candidates"))
    # Also above the page: the field is far down it, and a closed round shows no form at all.
    messages.error(
        request,
        _("No candidates were added: %(reasons)s")
        % {"reasons": " ".join(str(message) for message in form.errors.get("names", []))},
    )
    return _round_page(request, hiring_round, candidates_form=form)


@login_required
@require_POST
def candidate_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    """Remove a candidate (confirmed in the round page's "Remove" panel)."""
    candidate = get_object_or_404(
        selectors.candidates_for_user(request.user).select_related("round"), pk=pk
    )
    if not selectors.user_leads_office(request.user, candidate.round.office_id):
        raise PermissionDenied
    name = candidate.name
    try:
        round_services.candidate_remove(candidate=candidate, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s was removed from the round.") % {"name": name})
    return redirect(_round_url(candidate.round, "candidates"))


@login_required
def interview_day_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hiring_round = _round_for_user(request, pk, write=True)
    form = InterviewDayForm(request.POST or None, hiring_round=hiring_round)
    if request.method == "POST" and form.is_valid():
        arguments = form.plan_arguments()
        try:
            planned = services.interview_day_plan(hiring_round=hiring_round, **arguments)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s interview was planned on %(date)s.",
                    "%(count)s interviews were planned on %(date)s.",
                    len(planned),
                )
                % {
                    "count": len(planned),
                    "date": formats.date_format(arguments["day"], "DATE_FORMAT"),
                },
            )
            return redirect(_round_url(hiring_round, f"day-{arguments['day']:%Y-%m-%d}"))
    return render(
        request, "interviews/interview_day_form.html", {"form": form, "round": hiring_round}
    )


@login_required
@require_POST
def interview_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    interview = _interview_for_change(request, pk)
    form = InterviewMoveForm(request.POST, interview=interview)
    if form.is_valid():
        starts_at, ends_at = form.moments()
        try:
            panel_services.interview_move(
                interview=interview, starts_at=starts_at, ends_at=ends_at, by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The interview was moved to %(when)s.") % {"when": _when(starts_at)}
            )
            return redirect(_round_url(interview.round, "interview-days"))
    # Also above the page: the form is far down it, and a cancelled interview shows none.
    messages.error(
        request,
        _("The interview was not moved: %(reasons)s")
        % {"reasons": " ".join(str(m) for errors in form.errors.values() for m in errors)},
    )
    return _round_page(request, interview.round, move_form=form)


@login_required
@require_POST
def interview_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    interview = _interview_for_change(request, pk)
    if interview.status == InterviewStatus.CANCELLED:
        messages.info(request, _("The interview was already cancelled."))
    else:
        try:
            panel_services.interview_cancel(interview=interview, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The interview at %(when)s was cancelled.")
                % {"when": _when(interview.starts_at)},
            )
    return redirect(_round_url(interview.round, "interview-days"))


@login_required
@require_POST
def interview_day_cancel(
    request: AuthenticatedHttpRequest, pk: int, day: str
) -> HttpResponseRedirect:
    hiring_round = _round_for_user(request, pk, write=True)
    try:
        local_day = date.fromisoformat(day)
    except ValueError as error:
        raise Http404 from error
    try:
        cancelled = panel_services.interview_day_cancel(
            hiring_round=hiring_round, day=local_day, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        when = formats.date_format(local_day, "DATE_FORMAT")
        if cancelled:
            messages.success(
                request,
                ngettext(
                    "%(count)s interview on %(date)s was cancelled.",
                    "%(count)s interviews on %(date)s were cancelled.",
                    len(cancelled),
                )
                % {"count": len(cancelled), "date": when},
            )
        else:
            messages.info(
                request, _("No interview on %(date)s was left to cancel.") % {"date": when}
            )
    return redirect(_round_url(hiring_round, "interview-days"))
