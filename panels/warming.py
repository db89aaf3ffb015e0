"""What a change makes panels compute again before anyone asks (``navpanel.warming``): the
front pages and pool lists of the changed offices' leaders and the panel pages they are about
to open, and the pages of the invitations still to be answered there."""

import time

from django.db.models import Q
from django.utils import timezone, translation

from interviews.enums import RoleKind, RoundState
from interviews.models import Office, OfficeRole
from interviews.selectors import offices_for_user
from navpanel.cache_versions import MAX_OFFICE_SCOPES
from navpanel.warming import Changed, warmer

from .dashboard import dashboard_actions, dashboard_rounds
from .enums import PanelStatus, SeatStatus
from .links import LinkExpired, LinkNotValid
from .models import Panel, Seat
from .pool.views import pool_list_page
from .public.seat_page import seat_where
from .public.views.seat import seat_page_cached
from .selectors import panel_conflicts
from .views.panel import panel_sections

# Each changed office's next planned panels: those its leaders open while they invite.
UPCOMING_PANELS = 3
# The invitations of a changed office whose pages are rendered ahead, soonest deadline first
# (an office has ~16 open at a time at NAV's scale, 68 at most in the benchmark's data), for at
# most this long a change: the next change's pages (HR's, the leaders') wait behind it on the
# queue, and a page not rendered ahead is rendered when it is opened.
OPEN_INVITATIONS = 100
INVITATIONS_BUDGET_SECONDS = 0.25


def _office_sets(office_ids: frozenset[int]) -> set[tuple[int, ...]]:
    """The offices each dashboard shows that a change in ``office_ids`` empties: each office's
    own (a leader who chose it in the header), and the whole set of each of its leaders who
    sees several (a dashboard over many offices is keyed by the country and left out)."""
    sets: set[tuple[int, ...]] = {(pk,) for pk in office_ids}
    roles = OfficeRole.objects.filter(kind=RoleKind.LEADER, office_id__in=office_ids)
    for user in {role.user for role in roles.select_related("user")}:
        ids = tuple(sorted(offices_for_user(user).values_list("pk", flat=True)))
        if 1 < len(ids) <= MAX_OFFICE_SCOPES:
            sets.add(ids)
    return sets


@warmer(order=2)
def leaders_pages_warm(changed: Changed) -> None:
    """The dashboards and pool lists over the changed offices and their next planned panels'
    pages, as the views compute them (``panels.views``, ``panels.pool.views``)."""
    if not changed.office_ids:
        return
    now = timezone.now()
    for ids in sorted(_office_sets(changed.office_ids)):
        offices = Office.objects.filter(pk__in=ids)
        dashboard_rounds(offices=offices)
        dashboard_actions(offices=offices, now=now)
        pool_list_page(offices)
    upcoming = Panel.objects.filter(
        Q(status=PanelStatus.PLANNED, starts_at__gt=now) & ~Q(round__state=RoundState.DRAFT)
    ).select_related("round")
    leaders = OfficeRole.objects.filter(kind=RoleKind.LEADER).select_related("user")
    for office_id in sorted(changed.office_ids):
        role = leaders.filter(office_id=office_id, user__is_active=True).first()
        if role is None:  # nobody leads it: nobody opens its panel pages as a leader
            continue
        for panel in upcoming.filter(round__office_id=office_id).order_by("starts_at")[
            :UPCOMING_PANELS
        ]:
            panel_sections(role.user, panel)
            panel_conflicts(panel=panel)


@warmer(order=3)
def invitation_pages_warm(changed: Changed) -> None:
    """The pages of the invitations still to be answered in the changed offices (their panel's
    office or one of their person's), as a representative opens them from the email
    (``panels.public.views.seat.seat_page_cached``), in the person's language. Most opens of
    a link are its first, hours after the email and the office's other writes: rendered here,
    the page is waiting. At most ``INVITATIONS_BUDGET_SECONDS`` a change; a change of
    everything (a new text) renders none: it is rare, and the pages are rendered when
    opened."""
    if not changed.office_ids:
        return
    now = timezone.now()
    deadline = time.monotonic() + INVITATIONS_BUDGET_SECONDS
    for office_id in sorted(changed.office_ids):
        seats = (
            Seat.objects.filter(
                Q(panel__round__office_id=office_id) | Q(representative__offices=office_id),
                status=SeatStatus.INVITED,
                panel__status=PanelStatus.PLANNED,
                answer_by__gt=now,
            )
            .order_by("answer_by", "pk")
            .values_list("pk", flat=True)[:OPEN_INVITATIONS]
        )
        # A seat of the office's own panel whose person is in its pool too comes twice.
        for seat_id in dict.fromkeys(seats):
            if time.monotonic() > deadline:
                return
            where = seat_where(seat_id=seat_id)
            if where is None:
                continue
            with translation.override(where.language):
                try:
                    seat_page_cached(seat_id, where)
                except (LinkNotValid, LinkExpired):
                    continue
