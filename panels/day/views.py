"""The day itself (issue 18, point 4): the printable day plan of a panel, and the agenda of
the coming interview days of the offices a leader leads."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from audit.enums import AuditAction
from audit.services import audit_record
from interviews.selectors import offices_led_by, user_leads_office

from .. import candidate_voice, selectors
from ..models import Panel
from .plan import agenda_for_user, panel_day_plan


@dataclass
class AgendaDay:
    day: date
    panels: list[Panel]


@login_required
@require_GET
def panel_day_plan_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The plan to take into the room. It names the representatives with their phone and
    support needs, so only the office's leaders see it (404 for anyone else, HR too), and
    each view is audited."""
    panel = get_object_or_404(selectors.panels_for_user(request.user), pk=pk)
    if not user_leads_office(request.user, panel.round.office_id):
        raise Http404
    plan = panel_day_plan(panel=panel)
    audit_record(
        action=AuditAction.DAY_PLAN_VIEWED,
        request=request,
        obj=panel,
        office=panel.round.office,
        representative_ids=[s.representative_id for s in plan.accepted + plan.waiting],
    )
    codes = [
        {"url": candidate_voice.survey_url(c.code), "qr": candidate_voice.survey_qr_svg(c.code)}
        for c in candidate_voice.panel_survey_codes(panel=panel)
    ]
    return render(request, "panels/day_plan.html", {"plan": plan, "panel": panel, "codes": codes})


@login_required
@require_GET
def agenda(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coming interview days of the offices the user leads, soonest first."""
    if not offices_led_by(request.user).exists():
        raise PermissionDenied
    panels = list(agenda_for_user(user=request.user))
    days: list[AgendaDay] = []
    for panel in panels:
        day = timezone.localdate(panel.starts_at)
        if not days or days[-1].day != day:
            days.append(AgendaDay(day=day, panels=[]))
        days[-1].panels.append(panel)
    return render(
        request,
        "panels/agenda.html",
        {"days": days, "show_office": len({p.round.office_id for p in panels}) > 1},
    )
