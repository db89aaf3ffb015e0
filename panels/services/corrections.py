"""Putting a leader's mistake right after the day (issue 18, point 1).

Attendance marked the wrong way round is corrected here, through ``seat_transition`` (so the
seat's history and the audit log record it), until the honoraria of the day are exported
(``panels.exported``). Travel claims are corrected in ``reports.services``; a candidate is
removed in ``panels.rounds.services``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..enums import SeatStatus
from ..exported import refuse_if_exported
from ..models import Seat
from .seats import seat_transition


@transaction.atomic
def seat_attendance_correct(*, seat: Seat, attended: bool, by: User | None) -> Seat:
    """Change a seat marked "came" to "did not come", or back, until the day is exported.

    Safe to call twice: a seat already as asked is returned unchanged. A seat with travel
    claims is not marked "did not come" while they stand: they would still be paid.
    """
    locked = (
        Seat.objects.select_for_update(of=("self",)).select_related("panel__round").get(pk=seat.pk)
    )
    wanted = SeatStatus.ATTENDED if attended else SeatStatus.NO_SHOW
    if locked.status not in (SeatStatus.ATTENDED, SeatStatus.NO_SHOW):
        raise ValidationError(
            _("Attendance has not been marked for this seat, so there is nothing to correct."),
            code="not_marked",
        )
    if locked.status == wanted:
        return locked
    refuse_if_exported(office_id=locked.panel.round.office_id, moment=locked.starts_at)
    # The claims are reports' (``reports.models.TravelClaim``), reached by their relation.
    if not attended and locked.travel_claims.exists():
        raise ValidationError(
            _(
                "The seat has travel claims. Delete them first: someone who did not come is "
                "not paid for travel."
            ),
            code="travel_claims",
        )
    # The history says "corrected" from the edge itself (only a correction leaves these two).
    return seat_transition(seat=locked, to=wanted, by=by, actor="leader", correction=True)
