"""HR's roster: the table, its CSV and Excel exports, and large exports built in the background."""

import io
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from audit.enums import AuditAction
from audit.services import audit_record
from navpanel.warming import view_remember

from . import services
from .exports import (
    SEPARATORS,
    as_is,
    csv_by_copy,
    csv_copy,
    csv_stream,
    roster_header,
    roster_rows,
    xlsx_write,
)
from .forms import RosterFilterForm
from .models import ExportJob, ExportStatus
from .rows import roster_rows_html
from .selectors import (
    RosterPage,
    filters_as_detail,
    roster_count,
    roster_for_user,
    roster_page,
    user_may_see_roster,
)

PAGE_SIZE = 50
SORTABLE = ("date", "office", "status")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def roster_filter_form(user: User, query: QueryDict) -> RosterFilterForm:
    """The roster's filter form for ``user``; PermissionDenied for whoever may not see it."""
    if not user_may_see_roster(user):
        raise PermissionDenied
    return RosterFilterForm(query, user=user)


def _filter_form(request: AuthenticatedHttpRequest) -> RosterFilterForm:
    return roster_filter_form(request.user, request.GET)


def _export_detail(form: RosterFilterForm) -> dict[str, Any]:
    return {**filters_as_detail(form.filters()), "backgrounds": form.show_backgrounds}


def _sort_links(request: AuthenticatedHttpRequest, current: str) -> list[dict[str, Any]]:
    """For each sortable column: the sort key a click asks for and the column's aria-sort."""
    links = []
    for key in SORTABLE:
        ascending = current == key
        descending = current == f"-{key}"
        query = request.GET.copy()
        query["sort"] = f"-{key}" if ascending else key
        query.pop("page", None)
        links.append(
            {
                "key": key,
                "query": query.urlencode(),
                "aria_sort": "ascending" if ascending else "descending" if descending else "none",
            }
        )
    return links


def roster_found(user: User, query: QueryDict) -> tuple[RosterFilterForm, RosterPage | None]:
    """The roster's filter form for ``user`` asking ``query``, and the page it asks for (None
    while the form is invalid): the view's, and what ``rosters.warming`` computes again after a
    change for the views HR opened lately. PermissionDenied for whoever may not see it."""
    form = roster_filter_form(user, query)
    if not form.is_valid():
        return form, None
    found = roster_page(
        user,
        filters=form.filters(),
        office_ids=form.office_ids,
        page=query.get("page"),
        per_page=PAGE_SIZE,
        with_backgrounds=form.show_backgrounds,
        # Written once per cached page: 50 rows of ten cells are most of the view's time.
        present=lambda seats: roster_rows_html(seats, show_backgrounds=form.show_backgrounds),
    )
    return form, found


@login_required
@require_GET
def roster(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, found = roster_found(request.user, request.GET)
    rows: list[Any] = []
    rows_html = ""
    page = None
    if found is not None:
        filters = form.filters()
        rows = found.rows
        rows_html = found.html
        # A Page for the template's navigation, over the count alone (the rows are above).
        page = Paginator(range(found.count), PAGE_SIZE).get_page(found.number)
        if form.show_backgrounds or filters.background:
            # Who saw whose backgrounds (docs/domain.md): ids and the filter, never the data.
            audit_record(
                action=AuditAction.ROSTER_VIEWED,
                request=request,
                filters=filters_as_detail(filters),
                seats=[seat.pk for seat in rows],
                backgrounds=form.show_backgrounds,
            )
        view_remember("roster", user_id=request.user.pk, query=request.GET.urlencode())
    sort = form.cleaned_data.get("sort") if form.is_valid() else None
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "rosters/roster.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "rows_html": rows_html,
            "show_backgrounds": form.is_valid() and form.show_backgrounds,
            "sort_links": {link["key"]: link for link in _sort_links(request, sort or "")},
            "export_query": export_query.urlencode(),
            "export_params": [
                (name, value)
                for name, values in export_query.lists()
                if name != "separator"
                for value in values
            ],
            "filter_fields": [form[name] for name in form.fields if name not in ("sort",)],
        },
    )


def _valid_export_form(request: AuthenticatedHttpRequest) -> RosterFilterForm | None:
    form = _filter_form(request)
    return form if form.is_valid() else None


def _filename(extension: str, day: date | None = None) -> str:
    """The download's name in the reader's language, ASCII only ("plassoversikt-2026-02-05.csv")."""
    name = pgettext("file name, ASCII only", "roster")
    return f"{name}-{day or timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
@require_GET
def roster_export_csv(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = _valid_export_form(request)
    if form is None:
        return redirect(f"{reverse('roster')}?{request.GET.urlencode()}")
    separator = SEPARATORS.get(request.GET.get("separator", ""), ",")
    filters = form.filters()
    seats = roster_for_user(request.user, filters=filters, with_backgrounds=form.show_backgrounds)
    rows = roster_count(request.user, filters=filters, office_ids=form.office_ids)
    audit_record(
        action=AuditAction.ROSTER_EXPORTED,
        request=request,
        office_ids=form.offices_concerned(),
        format="csv",
        filters=_export_detail(form),
        rows=rows,
    )
    header = roster_header(with_backgrounds=form.show_backgrounds)
    response: StreamingHttpResponse
    if csv_by_copy(seats, with_backgrounds=form.show_backgrounds):
        # PostgreSQL writes the file (bench/export.py: within 3x a bare COPY at 200,000 seats),
        # held in a spooled temporary file and sent in chunks.
        response = FileResponse(
            csv_copy(seats, user=request.user, filters=filters, header=header, separator=separator),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = StreamingHttpResponse(
            csv_stream(
                roster_rows(
                    seats,
                    user=request.user,
                    filters=filters,
                    with_backgrounds=form.show_backgrounds,
                    as_text=True,
                    separator=separator,
                ),
                header=header,
                separator=separator,
            ),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@login_required
@require_GET
def roster_export_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _valid_export_form(request)
    if form is None:
        return redirect(f"{reverse('roster')}?{request.GET.urlencode()}")
    filters = form.filters()
    seats = roster_for_user(request.user, filters=filters, with_backgrounds=form.show_backgrounds)
    rows = roster_count(request.user, filters=filters, office_ids=form.office_ids)
    if rows > settings.ROSTER_EXPORT_SYNC_MAX_ROWS:
        job = services.export_job_create(
            request=request,
            filters=_export_detail(form),
            row_count=rows,
            office_ids=form.offices_concerned(),
        )
        return redirect("roster_export_job", pk=job.pk)
    audit_record(
        action=AuditAction.ROSTER_EXPORTED,
        request=request,
        office_ids=form.offices_concerned(),
        format="xlsx",
        filters=_export_detail(form),
        rows=rows,
    )
    buffer = io.BytesIO()
    xlsx_write(
        roster_rows(
            seats,
            user=request.user,
            filters=filters,
            with_backgrounds=form.show_backgrounds,
            guard=as_is,
        ),
        header=roster_header(with_backgrounds=form.show_backgrounds),
        target=buffer,
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response


def _own_job(request: AuthenticatedHttpRequest, pk: Any) -> ExportJob:
    """The requester's own job; anyone else's (or an unknown id) is 404."""
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@login_required
@require_GET
def roster_export_job(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    job = _own_job(request, pk)
    context = {"job": job, "expired": job.expires_at < timezone.now()}
    if request.htmx:
        return render(request, "rosters/_export_job_status.html", context)
    return render(request, "rosters/export_job.html", context)


@login_required
@require_GET
def roster_export_download(request: AuthenticatedHttpRequest, pk: Any) -> FileResponse:
    job = _own_job(request, pk)
    if job.status != ExportStatus.DONE or not job.file or job.expires_at < timezone.now():
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=_filename("xlsx", timezone.localdate(job.created_at)),
        content_type=XLSX,
    )
    return response
