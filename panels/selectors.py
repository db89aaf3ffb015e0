"""Reads for the pool, panels and seats, always scoped through ``offices_for_user``."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from interviews.selectors import offices_for_user
from navpanel.cache_versions import cached, office_scopes

from .enums import (
    BOOKING_STATUSES,
    PanelStatus,
    SeatStatus,
)
from .models import (
    ConflictOfInterest,
    Panel,
    Representative,
    Seat,
    SeatTransition,
    StaffInterviewer,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class InvitedAt(TypedDict):
    """When an open invitation was made (its latest transition to *invited*)."""

    invited_at: datetime | None


if TYPE_CHECKING:
    # An open invitation as the dashboard and the reminder job read it.
    OpenInvitation = WithAnnotations[Seat, InvitedAt]


def representatives_for_user(user: User) -> QuerySet[Representative]:
    """Representatives in the pool of any office ``user`` may see."""
    return Representative.objects.filter(offices__in=offices_for_user(user)).distinct()


def panels_for_user(user: User) -> QuerySet[Panel]:
    """Panels of the rounds of the offices ``user`` may see."""
    return Panel.objects.filter(round__office__in=offices_for_user(user)).select_related(
        "round", "round__office"
    )


def seats_for_user(user: User) -> QuerySet[Seat]:
    return Seat.objects.filter(panel__round__office__in=offices_for_user(user))


def seat_can_be_answered(*, seat: Seat, now: datetime | None = None) -> bool:
    """An invited seat on a planned panel, before its answer deadline."""
    now = now or timezone.now()
    return (
        seat.status == SeatStatus.INVITED
        and seat.panel.status == PanelStatus.PLANNED
        and (seat.answer_by is None or now <= seat.answer_by)
    )


def seat_can_be_given_up(*, seat: Seat, now: datetime | None = None) -> bool:
    """An accepted seat on a planned panel that has not started: "I can't come after all"."""
    now = now or timezone.now()
    return (
        seat.status == SeatStatus.ACCEPTED
        and seat.panel.status == PanelStatus.PLANNED
        and now < seat.panel.starts_at
    )


def seat_ended_by(*, seat: Seat) -> str:
    """Who ended a seat that is over: the actor of its last transition ("leader",
    "representative", "system"), or "" for a seat still open."""
    if seat.status in BOOKING_STATUSES:
        return ""
    last = seat.transitions.order_by("-at", "-id").values_list("actor", flat=True).first()
    return last or ""


def seat_deadline_passed(*, seat: Seat, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return seat.status == SeatStatus.INVITED and seat.answer_by is not None and now > seat.answer_by


def invitation_deadline(*, panel: Panel, now: datetime) -> datetime:
    """The round's answer deadline, but never later than a day before the panel starts.

    When that day has already begun, the representative may answer until the panel starts:
    a deadline of "now" would let the invitation expire before anyone could read it.
    """
    deadline = min(
        now + timedelta(days=panel.round.answer_deadline_days),
        panel.starts_at - timedelta(days=1),
    )
    return deadline if deadline > now else panel.starts_at


def invitation_halfway(seat: "OpenInvitation") -> datetime:
    """Half-way from an invitation to its answer deadline: the representative is reminded to
    answer then, and the leader's dashboard starts listing the invitation as waiting."""
    invited_at = seat.invited_at or seat.created_at
    if seat.answer_by is None:
        raise ValueError(f"Seat {seat.pk} is no open invitation: it has no answer deadline.")
    return invited_at + (seat.answer_by - invited_at) / 2


# --- the panel page ----------------------------------------------------------------------------


def panel_cache_scopes(panel: Panel) -> list[str]:
    """A panel's cached parts change with its office's data (a representative's seat in another
    office bumps this office too: ``navpanel.cache_versions.OFFICE_PATHS``)."""
    return office_scopes([panel.round.office_id])


def panel_seats(*, panel: Panel) -> list[Seat]:
    """Every seat of ``panel`` ever made, with its representative and history, oldest first.

    Cached (``navpanel.cache_versions``): the panel page polls its seats every 30 seconds
    while a leader waits for answers, and any change to a seat bumps the data version.
    """

    def compute() -> tuple[list[Seat], None]:
        seats = (
            panel.seats.select_related("representative")
            .prefetch_related(
                "representative__backgrounds",
                Prefetch("transitions", queryset=SeatTransition.objects.select_related("by")),
            )
            .order_by("id")
        )
        return list(seats), None

    return cached("panel-seats", (panel.pk,), compute, scopes=panel_cache_scopes(panel))


def panel_conflicts(*, panel: Panel) -> dict[int, list[Representative]]:
    """By interview id: the representatives on ``panel`` who declared a conflict of interest
    with that interview's candidate (and so must not sit on that interview).

    For the panel page of the office's leaders; representatives whose seat is over (declined,
    withdrawn…) are left out. Cached like ``panel_seats``.
    """
    return cached(
        "panel-conflicts",
        (panel.pk,),
        lambda: (_panel_conflicts(panel=panel), None),
        scopes=panel_cache_scopes(panel),
    )


def _panel_conflicts(*, panel: Panel) -> dict[int, list[Representative]]:
    conflicts = (
        ConflictOfInterest.objects.filter(
            candidate__interviews__panels=panel,
            representative__seats__panel=panel,
            representative__seats__status__in=BOOKING_STATUSES,
        )
        .values_list("candidate__interviews__id", "representative_id")
        .distinct()
    )
    people = {
        person.pk: person
        for person in Representative.objects.filter(pk__in={rep for _, rep in conflicts})
    }
    by_interview: dict[int, list[Representative]] = {}
    for interview_id, representative_id in conflicts:
        by_interview.setdefault(interview_id, []).append(people[representative_id])
    for names in by_interview.values():
        names.sort(key=lambda person: (person.name, person.pk))
    return by_interview


def office_staff_interviewers(*, office_id: int) -> list[dict[str, str]]:
    """The staff interviewers an office has had on its panels, one per email address, with the
    name and role they had most recently: the list a leader picks from (issue 18, point 3)."""
    people: dict[str, dict[str, str]] = {}
    for name, role, email in (
        StaffInterviewer.objects.filter(panel__round__office_id=office_id)
        .order_by("-id")
        .values_list("name", "role", "email")
    ):
        people.setdefault(email.casefold(), {"name": name, "role": role, "email": email})
    return sorted(people.values(), key=lambda person: person["name"].casefold())
