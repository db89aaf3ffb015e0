"""Writes for honoraria: travel claims entered by the office's leader, and blanked on erasure."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from panels.enums import SeatStatus
from panels.models import Representative, Seat

from .models import TravelClaim


@transaction.atomic
def travel_claim_create(
    *, seat: Seat, amount: Decimal, description: str, by: User | None
) -> TravelClaim:
    """Add a travel claim to an attended seat. The caller has checked that ``by`` leads the
    seat's office."""
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.status != SeatStatus.ATTENDED:
        raise ValidationError(
            _("Travel can only be claimed for a seat whose representative attended."),
            code="seat_not_attended",
        )
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    return TravelClaim.objects.create(
        seat=seat, amount=amount, description=description.strip(), entered_by=by
    )


def travel_claims_scrub(
    *, representative: Representative, seats: QuerySet[Seat], **_: object
) -> None:
    """On erasure (``panels.erasure.representative_erasing``): a claim's amount stays for the
    payroll figures, its description (which may name the person or their journey) goes."""
    TravelClaim.objects.filter(seat__in=seats).exclude(description="").update(description="")
