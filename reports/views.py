"""HR's honoraria and statistics pages, and the leader's travel claim form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from audit.enums import AuditAction
from audit.services import audit_record
from interviews.models import Office
from interviews.selectors import offices_for_user, user_leads_office
from navpanel.warming import view_remember
from panels.enums import SeatStatus
from panels.exported import honoraria_export_for, honoraria_exports_record
from panels.models import Seat
from panels.rounds.forms import add_service_errors
from panels.selectors import seats_for_user

from . import services
from .candidate_voice import candidate_voice_report
from .exports import honoraria_csv, honoraria_xlsx
from .forms import HonorariaForm, StatisticsForm, TravelClaimForm
from .honoraria import HonorariumLine, honoraria_lines, totals_from_lines
from .models import TravelClaim
from .periods import quarter_key, quarter_of
from .statistics import statistics_presented

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def honoraria(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = offices_for_user(request.user)
    data = request.GET.copy()
    if not data:
        data["quarter"] = quarter_key(*quarter_of(timezone.localdate()))
    form = HonorariaForm(data, offices=offices)
    context: dict[str, object] = {"form": form, "has_offices": offices.exists()}
    if form.is_valid():
        date_from, date_to = form.period
        chosen = form.cleaned_data["offices"] or offices
        lines = honoraria_lines(
            user=request.user, date_from=date_from, date_to=date_to, offices=chosen
        )
        export = request.GET.get("format")
        if export in ("csv", "xlsx"):
            return _honoraria_export(
                request, lines=lines, export=export, form=form, offices=list(chosen)
            )
        context.update(
            lines=lines,
            totals=totals_from_lines(lines),
            date_from=date_from,
            date_to=date_to,
            rate_missing=any(line.rate_missing for line in lines),
            export_query=request.GET.urlencode() or data.urlencode(),
        )
    return render(request, "reports/honoraria.html", context)


def _honoraria_export(
    request: AuthenticatedHttpRequest,
    *,
    lines: list[HonorariumLine],
    export: str,
    form: HonorariaForm,
    offices: list[Office],
) -> HttpResponse:
    date_from, date_to = form.period
    name = f"honorar-{date_from:%Y-%m-%d}-{date_to:%Y-%m-%d}"
    if export == "csv":
        separator = form.cleaned_data.get("separator") or ";"
        response = HttpResponse(
            honoraria_csv(lines, separator=separator), content_type="text/csv; charset=utf-8"
        )
        filename = f"{name}.csv"
    else:
        response = HttpResponse(honoraria_xlsx(lines), content_type=XLSX)
        filename = f"{name}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # From now on the period's attendance and travel claims are fixed (``panels.exported``).
    honoraria_exports_record(
        offices=offices, date_from=date_from, date_to=date_to, file_format=export, by=request.user
    )
    audit_record(
        action=AuditAction.HONORARIA_EXPORTED,
        request=request,
        office=offices[0] if len(offices) == 1 else None,
        format=export,
        date_from=date_from.isoformat(),
        date_to=date_to.isoformat(),
        office_ids=sorted(office.pk for office in offices),
        rows=len(lines),
    )
    return response


def _seat_to_claim_for(request: AuthenticatedHttpRequest, pk: int) -> Seat:
    """A seat of the user's offices (404 outside them); 403 unless they lead its office."""
    seat = get_object_or_404(
        seats_for_user(request.user).select_related("representative", "panel__round__office"),
        pk=pk,
    )
    if not user_leads_office(request.user, seat.panel.round.office_id):
        raise PermissionDenied
    return seat


@login_required
def travel_claim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A leader adds a travel claim to an attended seat of their office, and sees its claims
    with their history, each to be corrected or deleted until the day is exported.

    Out of scope answers 404; HR (who reads but changes nothing) 403.
    """
    seat = _seat_to_claim_for(request, pk)
    office = seat.panel.round.office
    attended = seat.status == SeatStatus.ATTENDED
    export = honoraria_export_for(office_id=office.pk, day=timezone.localdate(seat.starts_at))
    form = TravelClaimForm(request.POST or None)
    if request.method == "POST" and attended and form.is_valid():
        try:
            services.travel_claim_create(
                seat=seat,
                amount=form.cleaned_data["amount"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The travel claim was saved."))
            return redirect("seat_travel_claim", pk=seat.pk)
    return render(
        request,
        "reports/travel_claim.html",
        {
            "seat": seat,
            "office": office,
            "attended": attended,
            "export": export,
            "form": form,
            "claims": seat.travel_claims.all(),
            "changes": seat.travel_claim_changes.select_related("by"),
        },
    )


def _claim_to_change(request: AuthenticatedHttpRequest, pk: int) -> TravelClaim:
    claim = get_object_or_404(
        TravelClaim.objects.filter(seat__in=seats_for_user(request.user)).select_related(
            "seat__representative", "seat__panel__round__office"
        ),
        pk=pk,
    )
    if not user_leads_office(request.user, claim.seat.panel.round.office_id):
        raise PermissionDenied
    return claim


@login_required
@require_http_methods(["GET", "POST"])
def travel_claim_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct a travel claim; refused (with a message) once the day is exported."""
    claim = _claim_to_change(request, pk)
    form = TravelClaimForm(
        request.POST or None,
        initial={"amount": claim.amount, "description": claim.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.travel_claim_update(
                claim=claim,
                amount=form.cleaned_data["amount"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The travel claim was corrected."))
            return redirect("seat_travel_claim", pk=claim.seat_id)
    return render(
        request,
        "reports/travel_claim_edit.html",
        {"claim": claim, "seat": claim.seat, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def travel_claim_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Delete a travel claim: GET asks to confirm (and changes nothing), the POST does it."""
    claim = _claim_to_change(request, pk)
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return render(
            request, "reports/travel_claim_delete.html", {"claim": claim, "seat": claim.seat}
        )
    try:
        services.travel_claim_delete(claim=claim, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The travel claim was deleted."))
    return redirect("seat_travel_claim", pk=claim.seat_id)


def statistics_context(user: User, query: QueryDict) -> dict[str, object]:
    """The statistics page's form and report for ``user`` asking ``query``: the view's, and
    what ``reports.warming`` computes again after a change for the views HR opened lately."""
    offices = offices_for_user(user)
    data = query.copy()
    data.setdefault("year", str(timezone.localdate().year))
    form = StatisticsForm(data, offices=offices)
    context: dict[str, object] = {"form": form, "has_offices": form.has_offices}
    if form.is_valid():
        chosen = offices
        if form.cleaned_data["county"]:
            chosen = chosen.filter(county=form.cleaned_data["county"])
        if form.cleaned_data["office"]:
            chosen = chosen.filter(pk=form.cleaned_data["office"].pk)
        # More than one county and nothing chosen: the page opens on a row per county; a
        # county's offices and an office's tables are a choice away (issue 20).
        by_county = not form.cleaned_data["county"] and not form.cleaned_data["office"]
        by_county = by_county and len(form.county_choices) > 2
        context["by_county"] = by_county
        context["counties"] = form.county_choices[1:] if by_county else []
        year = form.cleaned_data["year"]
        context["year"] = year
        context["report_html"] = statistics_presented(
            user=user,
            year=year,
            offices=chosen,
            by_county=by_county,
            # Rendered once per version: the tables are most of the page's cost.
            present=lambda report: render_to_string(
                "reports/_statistics_report.html", {"report": report}
            ),
        )
    return context


@login_required
def statistics(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = statistics_context(request.user, request.GET)
    view_remember("statistics", user_id=request.user.pk, query=request.GET.urlencode())
    return render(request, "reports/statistics.html", context)


@login_required
def candidate_voice(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The candidates' anonymous answers as counts per office, small counts hidden."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, this_year - 5), this_year)
    return render(
        request,
        "reports/candidate_voice.html",
        {
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "tables": candidate_voice_report(user=request.user, year=year),
        },
    )
