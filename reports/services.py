"""Writes for honoraria: travel claims entered, corrected or deleted by the office's leader (until
the day's honoraria are exported: ``panels.exported``), and blanked on erasure."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from audit.enums import AuditAction
from audit.services import audit_record
from panels.enums import SeatStatus
from panels.exported import refuse_if_exported
from panels.models import Representative, Seat

from .models import TravelClaim, TravelClaimChange


def _claim_recorded(
    *,
    seat: Seat,
    claim_id: int,
    kind: str,
    before: Decimal | None,
    after: Decimal | None,
    by: User | None,
) -> None:
    """The claim's history row and its audit event: ids and amounts, never the description."""
    TravelClaimChange.objects.create(
        seat=seat, claim_id=claim_id, kind=kind, amount_before=before, amount_after=after, by=by
    )
    amounts: dict[str, Any] = {}
    if before is not None:
        amounts["amount_before"] = f"{before:.2f}"
    if after is not None:
        amounts["amount_after"] = f"{after:.2f}"
    audit_record(
        action=_AUDIT_ACTIONS[kind],
        actor=by,
        obj=seat,
        office_id=seat.panel.round.office_id,
        claim_id=claim_id,
        **amounts,
    )


_AUDIT_ACTIONS: dict[str, AuditAction] = {
    TravelClaimChange.Kind.ENTERED: AuditAction.TRAVEL_CLAIM_ENTERED,
    TravelClaimChange.Kind.CHANGED: AuditAction.TRAVEL_CLAIM_CHANGED,
    TravelClaimChange.Kind.DELETED: AuditAction.TRAVEL_CLAIM_DELETED,
}


def _locked_seat(seat_id: int) -> Seat:
    return (
        Seat.objects.select_for_update(of=("self",)).select_related("panel__round").get(pk=seat_id)
    )


@transaction.atomic
def travel_claim_create(
    *, seat: Seat, amount: Decimal, description: str, by: User | None
) -> TravelClaim:
    """Add a travel claim to an attended seat. The caller has checked that ``by`` leads the
    seat's office. Refused once the day's honoraria are exported: it would never be paid."""
    seat = _locked_seat(seat.pk)
    if seat.status != SeatStatus.ATTENDED:
        raise ValidationError(
            _("Travel can only be claimed for a seat whose representative attended."),
            code="seat_not_attended",
        )
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    refuse_if_exported(office_id=seat.panel.round.office_id, moment=seat.starts_at)
    claim = TravelClaim.objects.create(
        seat=seat, amount=amount, description=description.strip(), entered_by=by
    )
    _claim_recorded(
        seat=seat,
        claim_id=claim.pk,
        kind=TravelClaimChange.Kind.ENTERED,
        before=None,
        after=claim.amount,
        by=by,
    )
    return claim


@transaction.atomic
def travel_claim_update(
    *, claim: TravelClaim, amount: Decimal, description: str, by: User | None
) -> TravelClaim:
    """Correct a travel claim (245.50 that should be 246) until the day is exported: the
    claim itself changes, so the honoraria hold it once, with the new amount."""
    seat = _locked_seat(claim.seat_id)
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    refuse_if_exported(office_id=seat.panel.round.office_id, moment=seat.starts_at)
    claim = TravelClaim.objects.get(pk=claim.pk)
    before = claim.amount
    claim.amount, claim.description = amount, description.strip()
    claim.full_clean(exclude=["seat", "entered_by"])
    claim.save(update_fields=["amount", "description"])
    _claim_recorded(
        seat=seat,
        claim_id=claim.pk,
        kind=TravelClaimChange.Kind.CHANGED,
        before=before,
        after=claim.amount,
        by=by,
    )
    return claim


@transaction.atomic
def travel_claim_delete(*, claim: TravelClaim, by: User | None) -> None:
    """Delete a travel claim entered by mistake, until the day is exported."""
    seat = _locked_seat(claim.seat_id)
    refuse_if_exported(office_id=seat.panel.round.office_id, moment=seat.starts_at)
    claim = TravelClaim.objects.get(pk=claim.pk)
    claim_id, amount = claim.pk, claim.amount
    claim.delete()
    _claim_recorded(
        seat=seat,
        claim_id=claim_id,
        kind=TravelClaimChange.Kind.DELETED,
        before=amount,
        after=None,
        by=by,
    )


def travel_claims_scrub(
    *, representative: Representative, seats: QuerySet[Seat], **_: object
) -> None:
    """On erasure (``panels.erasure.representative_erasing``): a claim's amount stays for the
    payroll figures, its description (which may name the person or their journey) goes."""
    TravelClaim.objects.filter(seat__in=seats).exclude(description="").update(description="")
