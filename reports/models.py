"""Honorarium rates and travel claims. Amounts are Norwegian kroner (NOK)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from panels.models import Seat


class HonorariumRate(models.Model):
    """What one attended interview day pays, from ``valid_from`` until the next rate starts.

    Set by the administrator in the admin; the rate in force on a date is the newest one whose
    ``valid_from`` is on or before it.
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    day_rate = models.DecimalField(
        _("rate per interview day (NOK)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("honorarium rate")
        verbose_name_plural = _("honorarium rates")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                name="honorariumrate_day_rate_not_negative",
                condition=models.Q(day_rate__gte=0),
            )
        ]

    def __str__(self) -> str:
        return f"NOK {self.day_rate} ({self.valid_from:%Y-%m-%d})"


class TravelClaim(models.Model):
    """Travel costs of one attended seat, entered by a leader of the seat's office."""

    seat = models.ForeignKey(
        Seat, on_delete=models.PROTECT, related_name="travel_claims", verbose_name=_("seat")
    )
    amount = models.DecimalField(
        _("amount (NOK)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    description = models.CharField(_("description"), max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        verbose_name = _("travel claim")
        verbose_name_plural = _("travel claims")
        ordering = ["entered_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="travelclaim_amount_not_negative", condition=models.Q(amount__gte=0)
            )
        ]

    def __str__(self) -> str:
        return f"{self.seat_id}: NOK {self.amount}"


class TravelClaimChange(models.Model):
    """One entry in a seat's travel claims' history: entered, changed or deleted, by whom.

    Amounts only: the description may name the person or their journey, and is blanked on
    erasure (``services.travel_claims_scrub``), so the history keeps none of it. It outlives a
    deleted claim (``claim_id`` is a plain number).
    """

    class Kind(models.TextChoices):
        ENTERED = "entered", _("Entered")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")

    seat = models.ForeignKey(
        Seat, on_delete=models.CASCADE, related_name="travel_claim_changes", verbose_name=_("seat")
    )
    claim_id = models.PositiveBigIntegerField(_("claim"))
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    amount_before = models.DecimalField(
        _("amount before (NOK)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    amount_after = models.DecimalField(
        _("amount after (NOK)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("travel claim change")
        verbose_name_plural = _("travel claim changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.kind}"
