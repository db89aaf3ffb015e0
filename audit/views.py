"""The audit log page for HR: who did what to which sensitive object, in their offices."""

from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from interviews.selectors import user_is_hr

from .forms import AuditFilterForm
from .selectors import audit_events_for_user

PAGE_SIZE = 50


@login_required
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """HR (in their scope) and administrators read the log; leaders are refused (403)."""
    if not (request.user.is_superuser or user_is_hr(request.user)):
        raise PermissionDenied
    events = audit_events_for_user(request.user).select_related("actor", "office")
    filters = AuditFilterForm(request.GET or None)
    if filters.is_valid():
        chosen = filters.cleaned_data
        if chosen["action"]:
            events = events.filter(action=chosen["action"])
        zone = timezone.get_current_timezone()
        if chosen["date_from"]:
            events = events.filter(
                at__gte=datetime.combine(chosen["date_from"], time.min, tzinfo=zone)
            )
        if chosen["date_to"]:
            next_day = chosen["date_to"] + timedelta(days=1)
            events = events.filter(at__lt=datetime.combine(next_day, time.min, tzinfo=zone))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"page": page, "filters": filters})
