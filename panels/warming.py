"""What a change makes panels compute again before anyone asks (``navpanel.warming``): the
front pages and pool lists of the changed offices' leaders and the panel pages they are about
to open, and the pages of the invitations still to be answered on the changed panels and of the
changed people."""

import time
from contextlib import suppress
from datetime import datetime

from celery import shared_task
from django.db.models import Q
from django.utils import timezone, translation

from interviews.enums import RoleKind, RoundState
from interviews.models import Office, OfficeRole
from interviews.selectors import offices_for_user
from navpanel.cache_versions import MAX_OFFICE_SCOPES
from navpanel.warming import QUEUE, Changed, warmer

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
# The invitations on a changed panel or of a changed person whose pages are rendered ahead,
# soonest deadline first (a write touches one panel and one person: a handful), in slices of
# about this long: what a slice leaves is queued behind what came meanwhile, so the next
# change's pages (HR's, the leaders') wait for one slice at most.
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


def open_invitations(seats: Q, now: datetime, *, limit: int | None = OPEN_INVITATIONS) -> list[int]:
    """The invitations still to be answered among ``seats``, soonest deadline first, at most
    ``limit``."""
    found = (
        Seat.objects.filter(
            seats, status=SeatStatus.INVITED, panel__status=PanelStatus.PLANNED, answer_by__gt=now
        )
        .order_by("answer_by", "pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    return list(found if limit is None else found[:limit])


def invitation_pages_render(seat_ids: list[int], *, budget: float | None = None) -> list[int]:
    """Render each seat's page as its links open it (``seat_page_cached``, in the person's
    language), one at least, then until ``budget`` seconds have passed; the seats left."""
    deadline = None if budget is None else time.monotonic() + budget
    for done, seat_id in enumerate(seat_ids, start=1):
        where = seat_where(seat_id=seat_id)
        if where is not None:  # None: gone, or its person erased
            with translation.override(where.language), suppress(LinkNotValid, LinkExpired):
                seat_page_cached(seat_id, where)
        if deadline is not None and time.monotonic() > deadline:
            return seat_ids[done:]
    return []


@shared_task(name="panels.invitation_pages_warm", ignore_result=True, acks_late=False)
def invitation_pages_warm_rest(seat_ids: list[int]) -> None:
    """The invitation pages a change left to render: a slice now, the rest behind what was
    queued meanwhile (``invitation_pages_warm``)."""
    _render_then_queue_rest(seat_ids)


def _render_then_queue_rest(seat_ids: list[int]) -> None:
    rest = invitation_pages_render(seat_ids, budget=INVITATIONS_BUDGET_SECONDS)
    if rest:
        invitation_pages_warm_rest.apply_async(args=(rest,), queue=QUEUE, retry=False)


@warmer(order=3)
def invitation_pages_warm(changed: Changed) -> None:
    """The pages of the invitations still to be answered on the changed panels and of the
    changed people, as a representative opens them from the email
    (``panels.public.views.seat.seat_page_cached``, kept under its panel's and person's
    versions). Most opens of a link are its first, hours after the email: rendered here, the
    page is waiting. In slices of ``INVITATIONS_BUDGET_SECONDS``, each further slice queued
    behind what was queued meanwhile, so that the next change's pages (HR's, the leaders') wait
    for one slice at most. A change of everything (a new text) or of an office's name renders
    none: it is rare, and the pages are rendered when opened."""
    if changed.panel_ids or changed.representative_ids:
        seats = Q(panel_id__in=changed.panel_ids) | Q(
            representative_id__in=changed.representative_ids
        )
        _render_then_queue_rest(open_invitations(seats, timezone.now()))
