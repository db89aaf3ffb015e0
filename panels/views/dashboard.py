"""The leader's and HR's front page: what needs action in their offices."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from interviews.selectors import (
    offices_for_user,
    offices_led_by,
    user_is_hr,
    user_is_leader,
)

from ..dashboard import dashboard_actions, dashboard_rounds


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
