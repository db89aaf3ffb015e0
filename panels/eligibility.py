"""Who may be invited to a panel: the rule stated once, for the suggestions and for ``seat_invite``.

A representative is eligible for a panel when they are in the pool of the round's office, with
consent (active), not already on the panel, not booked at an overlapping time, have not declined
or let an invitation expire in this round, and have declared no conflict of interest with a
candidate of the panel's interviews. The panel page suggests only eligible people
(``eligible_representatives``), and ``services.seat_invite`` refuses anyone else with the reason
(``representative_ineligibility``), so a leader cannot invite someone the page would not suggest.
"""

from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .bookings import booking_overlaps, panel_booking_blocks
from .enums import BOOKING_STATUSES, SAID_NO_STATUSES, RepresentativeStatus
from .models import ConflictOfInterest, Panel, Representative, Seat, SeatBooking

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable, NegatedExpression

    # ``~Exists(…)`` is a NegatedExpression in Django 5.2 (Exists has no __invert__ of its own).
    _Rule = Q | Exists | NegatedExpression[Combinable]


class Ineligible(StrEnum):
    """Why a representative may not be invited, in the order a leader is told."""

    NO_CONSENT = "no_consent"
    NOT_IN_POOL = "not_in_pool"
    ON_PANEL = "on_panel"
    BOOKED = "booked"
    SAID_NO = "said_no"
    CONFLICT = "conflict"


# What the leader reads; ``%(name)s`` is the representative's name.
MESSAGES: dict[Ineligible, Promise] = {
    Ineligible.NO_CONSENT: _("%(name)s has not given consent and cannot be invited."),
    Ineligible.NOT_IN_POOL: _("The representative is not in this office's pool."),
    Ineligible.ON_PANEL: _("%(name)s already has a seat on this panel."),
    Ineligible.BOOKED: _("%(name)s is already booked at that time."),
    Ineligible.SAID_NO: _("%(name)s declined or did not answer an invitation in this round."),
    Ineligible.CONFLICT: _("%(name)s knows a candidate on this panel and cannot sit on it."),
}


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
    }


def eligible_representatives(*, panel: Panel) -> QuerySet[Representative]:
    """Who may be invited to ``panel`` (see the module docstring)."""
    return Representative.objects.filter(*_rules(panel).values())


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
