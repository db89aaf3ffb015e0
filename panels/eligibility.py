"""Who may be invited to a panel: the rule stated once, for the suggestions and for ``seat_invite``.

A representative is eligible for a panel when they are in the pool of the round's office, with
consent (active), not already on the panel, not booked at an overlapping time, have not declined
or let an invitation expire in this round, and have declared no conflict of interest with a
candidate of the panel's interviews, and is under the office's cap of panels for the panel's
calendar month and quarter (``Office.cap_per_month``/``cap_per_quarter``, counting the seats
that hold the person: invited, accepted, attended). The panel page suggests only eligible people
(``eligible_representatives``), and ``services.seat_invite`` refuses anyone else with the reason
(``representative_ineligibility``), so a leader cannot invite someone the page would not suggest.
The cap alone may be overridden by the leader (``seat_invite(..., over_cap=True)``), recorded.
"""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .bookings import booking_overlaps, panel_booking_blocks
from .enums import BOOKING_STATUSES, SAID_NO_STATUSES, RepresentativeStatus
from .models import ConflictOfInterest, Panel, Representative, Seat, SeatBooking

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable, NegatedExpression

    # ``~Exists(…)`` is a NegatedExpression in Django 5.2 (Exists has no __invert__ of its own).
    _Rule = Q | Exists | NegatedExpression[Combinable] | LessThan


class Ineligible(StrEnum):
    """Why a representative may not be invited, in the order a leader is told."""

    NO_CONSENT = "no_consent"
    NOT_IN_POOL = "not_in_pool"
    ON_PANEL = "on_panel"
    BOOKED = "booked"
    SAID_NO = "said_no"
    CONFLICT = "conflict"
    # Last: the only reason a leader may override, so any other one is told first.
    OVER_CAP = "over_cap"


# What the leader reads; ``%(name)s`` is the representative's name.
MESSAGES: dict[Ineligible, Promise] = {
    Ineligible.NO_CONSENT: _("%(name)s has not given consent and cannot be invited."),
    Ineligible.NOT_IN_POOL: _("The representative is not in this office's pool."),
    Ineligible.ON_PANEL: _("%(name)s already has a seat on this panel."),
    Ineligible.BOOKED: _("%(name)s is already booked at that time."),
    Ineligible.SAID_NO: _("%(name)s declined or did not answer an invitation in this round."),
    Ineligible.CONFLICT: _("%(name)s knows a candidate on this panel and cannot sit on it."),
    Ineligible.OVER_CAP: _(
        "%(name)s has already reached the office's cap of panels for that month or quarter. "
        "Tick “Invite anyway” to invite them all the same."
    ),
}


def cap_periods(panel: Panel) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]]:
    """The local calendar month and quarter the panel starts in, as [start, end) instants."""
    day = timezone.localtime(panel.starts_at).date()

    def start_of(year: int, month: int) -> datetime:
        if month > 12:
            year, month = year + 1, month - 12
        return timezone.make_aware(datetime(year, month, 1))

    first_of_quarter = 3 * ((day.month - 1) // 3) + 1
    return (
        (start_of(day.year, day.month), start_of(day.year, day.month + 1)),
        (start_of(day.year, first_of_quarter), start_of(day.year, first_of_quarter + 3)),
    )


def _seats_in(panel: Panel, period: tuple[datetime, datetime]) -> Coalesce:
    """How many seats holding the person start in ``period``, on other panels than this."""
    counted = (
        Seat.objects.filter(
            representative_id=OuterRef("pk"),
            status__in=BOOKING_STATUSES,
            starts_at__gte=period[0],
            starts_at__lt=period[1],
        )
        .exclude(panel=panel)
        .order_by()
        .values("representative_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def _under_cap(panel: Panel) -> Q:
    month, quarter = cap_periods(panel)
    office = panel.round.office
    return Q(
        LessThan(_seats_in(panel, month), office.cap_per_month),
        LessThan(_seats_in(panel, quarter), office.cap_per_quarter),
    )


def _rules(panel: Panel) -> dict[Ineligible, "_Rule"]:
    """For each reason, the condition an eligible representative meets. Each is a subquery on
    the person's own row (no joins), so the conditions can be filtered on and annotated alike."""
    person = OuterRef("pk")
    return {
        Ineligible.NO_CONSENT: Q(status=RepresentativeStatus.ACTIVE),
        Ineligible.NOT_IN_POOL: Exists(
            Representative.offices.through.objects.filter(
                representative_id=person, office_id=panel.round.office_id
            )
        ),
        Ineligible.ON_PANEL: ~Exists(
            Seat.objects.filter(panel=panel, representative_id=person, status__in=BOOKING_STATUSES)
        ),
        Ineligible.BOOKED: ~Exists(
            SeatBooking.objects.filter(
                booking_overlaps(panel_booking_blocks(panel=panel)), representative_id=person
            )
        ),
        Ineligible.SAID_NO: ~Exists(
            Seat.objects.filter(
                representative_id=person,
                panel__round=panel.round_id,
                status__in=SAID_NO_STATUSES,
            )
        ),
        Ineligible.CONFLICT: ~Exists(
            ConflictOfInterest.objects.filter(
                representative_id=person, candidate__interviews__panels=panel
            )
        ),
        Ineligible.OVER_CAP: _under_cap(panel),
    }


def eligible_representatives(*, panel: Panel) -> QuerySet[Representative]:
    """Who may be invited to ``panel`` (see the module docstring)."""
    return Representative.objects.filter(*_rules(panel).values())


def eligible_but_for_the_cap(*, panel: Panel) -> QuerySet[Representative]:
    """Who would be eligible for ``panel`` but perhaps for the office's cap, each annotated
    ``under_cap``, in one query: the panel page suggests the eligible and lists those at the cap
    apart, whom the leader may still invite ("Invite anyway")."""
    rules = _rules(panel)
    cap = rules.pop(Ineligible.OVER_CAP)
    return Representative.objects.filter(*rules.values()).annotate(
        under_cap=Case(When(cap, then=Value(True)), default=Value(False))
    )


def representative_ineligibility(
    *, panel: Panel, representative: Representative
) -> Ineligible | None:
    """Why ``representative`` may not be invited to ``panel`` (the first reason in
    ``Ineligible``'s order), or None when they may. One query over the same conditions as
    ``eligible_representatives``."""
    checks = {
        reason.value: Case(When(rule, then=Value(True)), default=Value(False))
        for reason, rule in _rules(panel).items()
    }
    met = (
        Representative.objects.filter(pk=representative.pk)
        .annotate(**{name: check for name, check in checks.items()})
        .values(*checks)
        .get()
    )
    return next((reason for reason in Ineligible if not met[reason.value]), None)


def ineligibility_message(reason: Ineligible, *, representative: Representative) -> str:
    """The sentence a leader reads when ``representative`` cannot be invited for ``reason``."""
    return str(MESSAGES[reason]) % {"name": representative.name}
