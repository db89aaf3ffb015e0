"""The day itself (issue 18, point 4): a panel's printable plan, the office's coming interview
days, and the warning for a day that is not a working day in Norway.

Reads only, but for the audit event the plan's view writes: it names representatives with
their phone and support needs, which are the office's leaders' to see.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import holidays
from django import forms
from django.db.models import Prefetch, QuerySet
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews.enums import InterviewStatus
from interviews.models import Interview
from interviews.selectors import offices_led_by

from ..enums import BOOKING_STATUSES, PanelStatus, SeatStatus
from ..models import Panel, Seat


@dataclass(frozen=True)
class DayPlan:
    panel: Panel
    interviews: list[Interview]
    staff: list[object]
    accepted: list[Seat]
    waiting: list[Seat]


def panel_day_plan(*, panel: Panel) -> DayPlan:
    """What the people in the room need on the day: the interviews with their candidates,
    the staff, and the representatives who said yes (with phone and support needs) and
    those who have not answered yet."""
    seats = list(
        panel.seats.filter(status__in=BOOKING_STATUSES)
        .select_related("representative")
        .order_by("representative__name", "id")
    )
    return DayPlan(
        panel=panel,
        interviews=list(
            panel.interviews.filter(status=InterviewStatus.SCHEDULED)
            .select_related("candidate")
            .order_by("starts_at", "id")
        ),
        staff=list(panel.staff.all()),
        accepted=[s for s in seats if s.status in (SeatStatus.ACCEPTED, SeatStatus.ATTENDED)],
        waiting=[s for s in seats if s.status == SeatStatus.INVITED],
    )


def agenda_for_user(*, user: User, now: datetime | None = None) -> QuerySet[Panel]:
    """The coming interview days of the offices ``user`` leads: planned panels not yet over,
    soonest first, with their interviews and booked seats."""
    now = now or timezone.now()
    return (
        Panel.objects.filter(
            round__office__in=offices_led_by(user), status=PanelStatus.PLANNED, ends_at__gt=now
        )
        .select_related("round__office")
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=Seat.objects.filter(status__in=BOOKING_STATUSES),
                to_attr="booked_seats",
            ),
            Prefetch(
                "interviews",
                queryset=Interview.objects.filter(status=InterviewStatus.SCHEDULED),
                to_attr="scheduled_interviews",
            ),
        )
        .order_by("starts_at", "id")
    )


def non_working_day(day: date) -> str | None:
    """Why ``day`` is not a working day in Norway ("lørdag", "Andre juledag"), or None.

    Public holidays from the ``holidays`` package, named in the page's language."""
    language = "no" if (get_language() or "nb").startswith("nb") else "en_US"
    public = holidays.country_holidays("NO", years=day.year, language=language)
    if day in public:
        return str(public[day])
    if day.weekday() >= 5:
        return formats.date_format(day, "l")
    return None


class WorkingDayWarning(forms.Form):
    """The one warning for a form that puts interviews on a day (planning a day, moving an
    interview, moving a panel's day): a day that is not a working day in Norway is refused once
    with the reason, and saved only once the leader ticks "Plan it on that day anyway", which is
    shown only after the warning (issue 18, point 4)."""

    plan_anyway = forms.BooleanField(label=_("Plan it on that day anyway"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.day_warning = ""
        # Last among the form's own fields, under the fields it confirms.
        self.fields["plan_anyway"] = self.fields.pop("plan_anyway")

    def warn_unless_working_days(self, days: Iterable[date], *, field: str = "day") -> None:
        """Refuse the form once, on ``field``, if any of ``days`` is not a working day."""
        if self.cleaned_data.get("plan_anyway"):
            return
        for day in sorted(set(days)):
            why = non_working_day(day)
            if why:
                # NAV offices are closed then, and so is the building the representatives
                # come to.
                self.day_warning = _(
                    "%(date)s is not a working day (%(why)s). Choose another day, or tick "
                    "“Plan it on that day anyway”."
                ) % {"date": formats.date_format(day, "DATE_FORMAT"), "why": why}
                self.add_error(field, self.day_warning)
                return

    def shows_plan_anyway(self) -> bool:
        return bool(self.day_warning or self.data.get(self.add_prefix("plan_anyway")))

    def get_context(self) -> dict[str, Any]:
        context = super().get_context()
        if not self.shows_plan_anyway():
            context["fields"] = [
                (bound, errors)
                for bound, errors in context["fields"]
                if bound.name != "plan_anyway"
            ]
        return context
