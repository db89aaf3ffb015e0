"""The representative pool of an office: list, add, change, import and export."""

import csv
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from audit.enums import AuditAction
from audit.services import audit_record
from interviews.models import Office
from interviews.selectors import offices_for_user, offices_led_by, user_is_leader

from ..models import Background, PoolImport, Representative
from ..selectors import representatives_for_user, seats_for_user
from . import selectors, services
from .forms import PoolFilterForm, PoolImportForm, RepresentativeForm
from .importing import (
    csv_line_count,
    pool_import_create,
    pool_import_progress,
    representatives_import,
)

PAGE_SIZE = 25


def _chosen_office_id(request: AuthenticatedHttpRequest) -> int | None:
    return request.session.get("office_id")


def _led_offices(request: AuthenticatedHttpRequest) -> QuerySet[Office]:
    """The offices the user leads, narrowed to the header's choice when it is one of them;
    403 for a user who leads none (HR reads, never writes)."""
    led = offices_led_by(request.user)
    if not led.exists():
        raise PermissionDenied
    chosen = _chosen_office_id(request)
    if chosen and led.filter(pk=chosen).exists():
        return led.filter(pk=chosen)
    return led


def _office_meant(request: AuthenticatedHttpRequest) -> Office | None:
    """The office a new representative most likely joins: the one the user leads, or the one
    chosen in the header; none when it is not clear."""
    narrowed = list(_led_offices(request))
    return narrowed[0] if len(narrowed) == 1 else None


def _representative_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> Representative:
    """Fetch a representative in the user's scope (404 outside it); 403 if they may only read."""
    representative = get_object_or_404(representatives_for_user(request.user), pk=pk)
    if write and not selectors.user_may_change_representative(request.user, representative):
        raise PermissionDenied
    return representative


def _audit_office(
    request: AuthenticatedHttpRequest, representative: Representative
) -> Office | None:
    """The office an event about ``representative`` is filed under: the first of their offices
    that the user sees, so HR and leaders of that office find it in their audit log."""
    return (
        representative.offices.filter(pk__in=offices_for_user(request.user).values("pk"))
        .order_by("pk")
        .first()
    )


def pool_list_page(
    offices: QuerySet[Office],
    *,
    background: Background | None = None,
    status: str = "",
    page: str | None = None,
) -> selectors.PoolPage:
    """The pool list's page of ``offices`` as the list shows it: the view's, and what
    ``panels.warming`` computes again after a change."""
    show_offices = len(offices) > 1
    return selectors.pool_page(
        offices=offices,
        background=background,
        status=status,
        page=page,
        per_page=PAGE_SIZE,
        # Written once per cached page: the rows are most of the template's time.
        present=lambda representatives: render_to_string(
            "panels/pool/_representative_rows.html",
            {"representatives": representatives, "show_offices": show_offices},
        ),
    )


@login_required
def representative_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = selectors.pool_offices(request.user, chosen_office_id=_chosen_office_id(request))
    filters = PoolFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    shown = list(offices)
    found = pool_list_page(
        offices,
        background=chosen.get("background"),
        status=chosen.get("status", ""),
        page=request.GET.get("page"),
    )
    # A Page of the cached representatives, its paginator told the count of them all.
    paginator = Paginator(found.representatives, PAGE_SIZE)
    paginator.count = found.count
    page = Page(found.representatives, found.number, paginator)
    # The list shows backgrounds (docs/domain.md: every view of them is audited). Ids only.
    audit_record(
        action=AuditAction.REPRESENTATIVE_VIEWED,
        request=request,
        office=shown[0] if len(shown) == 1 else None,
        view="list",
        office_ids=[office.pk for office in shown],
        representative_ids=[representative.pk for representative in page],
    )
    return render(
        request,
        "panels/pool/representative_list.html",
        {
            "page": page,
            "rows_html": found.html,
            "filters": filters,
            "filtered": bool(request.GET.get("background") or request.GET.get("status")),
            "offices": shown,
            "can_change": user_is_leader(request.user),
        },
    )


@login_required
def representative_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    representative = _representative_for_user(request, pk)
    is_leader = selectors.user_may_change_representative(request.user, representative)
    audit_record(
        action=AuditAction.REPRESENTATIVE_VIEWED,
        request=request,
        obj=representative,
        office=_audit_office(request, representative),
        view="detail",
    )
    return render(
        request,
        "panels/pool/representative_detail.html",
        {
            "representative": representative,
            "offices": representative.offices.filter(
                pk__in=offices_for_user(request.user).values("pk")
            ),
            "backgrounds": representative.backgrounds.all(),
            "age_group": selectors.age_group(
                representative.birth_year, this_year=timezone.localdate().year
            ),
            "seats": seats_for_user(request.user)
            .filter(representative=representative)
            .select_related("panel__round__office")
            .order_by("-starts_at", "-pk"),
            "can_change": is_leader,
            "links_to_resend": selectors.link_resend_allowed(representative=representative)
            if is_leader
            else set(),
        },
    )


@login_required
@require_POST
def representative_link_resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Send the consent request or a "my page" link again (leaders only; once a day)."""
    representative = _representative_for_user(request, pk, write=True)
    try:
        what = selectors.LinkToResend(request.POST.get("what", ""))
    except ValueError:
        what = None
    if what is None:
        messages.error(request, _("Choose which link to send."))
        return redirect("representative_detail", pk=representative.pk)
    try:
        services.representative_link_resend(
            representative=representative, what=what, by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The consent request was sent again to %(email)s.") % {"email": representative.email}
            if what == selectors.LinkToResend.CONSENT
            else _("A new link to their page was sent to %(email)s.")
            % {"email": representative.email},
        )
    return redirect("representative_detail", pk=representative.pk)


@login_required
def representative_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = offices_led_by(request.user)
    if not offices.exists():
        raise PermissionDenied
    office = _office_meant(request)
    form = RepresentativeForm(
        request.POST or None, offices=offices, initial={"offices": [office] if office else []}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = list(data.pop("offices"))
        representative = services.representative_create(
            offices=chosen, backgrounds=data.pop("backgrounds"), by=request.user, **data
        )
        audit_record(
            action=AuditAction.REPRESENTATIVE_CREATED,
            request=request,
            obj=representative,
            office=chosen[0],
            office_ids=[office.pk for office in chosen],
        )
        messages.success(
            request,
            _("%(name)s was added and is awaiting consent. We have emailed them a request.")
            % {"name": representative.name},
        )
        return redirect("representative_detail", pk=representative.pk)
    return render(request, "panels/pool/representative_form.html", {"form": form})


@login_required
def representative_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    representative = _representative_for_user(request, pk, write=True)
    form = RepresentativeForm(
        request.POST or None, instance=representative, offices=offices_led_by(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.representative_update(
                representative=representative,
                offices=data.pop("offices"),
                backgrounds=data.pop("backgrounds"),
                by=request.user,
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The representative was saved."))
            return redirect("representative_detail", pk=representative.pk)
    return render(
        request,
        "panels/pool/representative_form.html",
        {"form": form, "representative": representative},
    )


@login_required
def representative_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = offices_led_by(request.user)
    if not offices.exists():
        raise PermissionDenied
    form = PoolImportForm(
        request.POST or None,
        request.FILES or None,
        offices=offices,
        initial={"office": _office_meant(request)},
    )
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"]
        if csv_line_count(text) > settings.POOL_IMPORT_SYNC_MAX_LINES:
            # Too many for one request (gunicorn's time-out): the worker imports, the
            # leader watches the progress page.
            job = pool_import_create(
                office=form.cleaned_data["office"],
                text=text,
                by=request.user,
                language=get_language(),
            )
            return redirect("representative_import_job", pk=job.pk)
        try:
            added = representatives_import(
                office=form.cleaned_data["office"], text=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            audit_record(
                action=AuditAction.POOL_IMPORTED,
                request=request,
                office=form.cleaned_data["office"],
                count=len(added),
                representative_ids=[representative.pk for representative in added],
            )
            messages.success(
                request,
                ngettext(
                    "%(count)s representative added, awaiting consent.",
                    "%(count)s representatives added, awaiting consent.",
                    len(added),
                )
                % {"count": len(added)},
            )
            return redirect(f"{reverse('representative_list')}?status=awaiting_consent")
    return render(
        request,
        "panels/pool/representative_import.html",
        {"form": form, "backgrounds": Background.objects.all()},
    )


@login_required
@require_GET
def representative_import_job(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """A large import's progress (htmx polls the status part), then its outcome."""
    job = get_object_or_404(PoolImport.objects.select_related("office"), pk=pk)
    if (
        job.requested_by_id != request.user.pk
        or not offices_led_by(request.user).filter(pk=job.office_id).exists()
    ):
        raise Http404
    done = pool_import_progress(job=job)
    context = {
        "job": job,
        "done": done,
        "percent": min(100, round(100 * done / job.line_count)) if job.line_count else 0,
    }
    if request.htmx:
        return render(request, "panels/pool/_import_job_status.html", context)
    return render(request, "panels/pool/import_job.html", context)


@login_required
def representative_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = _led_offices(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"brukerrepresentanter-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Norwegian Excel reads UTF-8 only with a byte order mark, and splits on ";".
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerows(selectors.pool_export_rows(offices=offices))
    exported = list(offices)
    audit_record(
        action=AuditAction.POOL_EXPORTED,
        request=request,
        office=exported[0] if len(exported) == 1 else None,
        office_ids=[office.pk for office in exported],
        format="csv",
    )
    return response
