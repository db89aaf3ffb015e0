from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import RoundForm
from .models import HiringRound


def _round_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> HiringRound:
    """Fetch a round in the user's scope (404 outside it); 403 if they may only read it."""
    hiring_round = get_object_or_404(selectors.rounds_for_user(request.user), pk=pk)
    if write and not selectors.user_leads_office(request.user, hiring_round.office_id):
        raise PermissionDenied
    return hiring_round


@login_required
@require_POST
def office_choose(request: HttpRequest) -> HttpResponseRedirect:
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
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = selectors.rounds_for_user(request.user)
    return render(request, "interviews/round_list.html", {"rounds": rounds})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hiring_round = _round_for_user(request, pk)
    return render(
        request,
        "interviews/round_detail.html",
        {
            "round": hiring_round,
            "can_change": selectors.user_leads_office(request.user, hiring_round.office_id),
            "transitions": hiring_round.transitions.select_related("by"),
        },
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    offices = selectors.offices_led_by(request.user)
    if not offices.exists():
        raise PermissionDenied
    form = RoundForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        office = data.pop("office")
        hiring_round = services.round_create(office=office, by=request.user, **data)
        messages.success(request, _("The hiring round was created as a draft."))
        return redirect("round_detail", pk=hiring_round.pk)
    return render(request, "interviews/round_form.html", {"form": form})


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hiring_round = _round_for_user(request, pk, write=True)
    form = RoundForm(request.POST or None, instance=hiring_round)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The hiring round was saved."))
        return redirect("round_detail", pk=hiring_round.pk)
    return render(request, "interviews/round_form.html", {"form": form, "round": hiring_round})


@login_required
@require_POST
def round_change_state(request: HttpRequest, pk: int) -> HttpResponseRedirect:
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
