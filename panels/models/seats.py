"""A panel, its staff interviewers and its representatives' seats, with every change of a seat."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviews.models import Candidate, HiringRound, Interview

from ..enums import (
    BOOKING_STATUSES,
    PanelStatus,
    SeatStatus,
)
from .people import Representative


class Panel(models.Model):
    """Who interviews on one interview day: staff interviewers and representative seats.

    ``starts_at``/``ends_at`` span its interviews; the panel services keep them (and its seats'
    copies) in step whenever an interview is planned, moved or cancelled.
    """

    round = models.ForeignKey(
        HiringRound, on_delete=models.CASCADE, related_name="panels", verbose_name=_("round")
    )
    interviews = models.ManyToManyField(
        Interview, related_name="panels", verbose_name=_("interviews")
    )
    seats_wanted = models.PositiveSmallIntegerField(
        _("representative seats"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("room or address"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PanelStatus.choices, default=PanelStatus.PLANNED
    )
    calendar_sequence = models.PositiveIntegerField(
        default=0, help_text=_("Raised on every move, so staff calendars update the entry.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="panel_ends_after_start", condition=models.Q(ends_at__gt=models.F("starts_at"))
            ),
            models.CheckConstraint(
                name="panel_seats_between_1_and_5",
                condition=models.Q(seats_wanted__gte=1, seats_wanted__lte=5),
            ),
        ]
        indexes = [models.Index(fields=["round", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.round.position_title} {self.starts_at:%Y-%m-%d}"


class StaffInterviewer(models.Model):
    """A member of staff on a panel (e.g. the union representative); gets the calendar entry."""

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="staff", verbose_name=_("panel")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"))

    class Meta:
        verbose_name = _("staff interviewer")
        verbose_name_plural = _("staff interviewers")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """One representative's place on a panel, with its own status and history.

    The database refuses two live seats of one representative on one panel. The time a seat
    holds in the person's calendar is its ``bookings``, one a day of the panel's interviews;
    ``starts_at``/``ends_at`` copy the panel's whole span, for reminders and calendars.
    """

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="seats", verbose_name=_("panel")
    )
    representative = models.ForeignKey(
        Representative,
        on_delete=models.SET_NULL,
        null=True,
        related_name="seats",
        verbose_name=_("representative"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SeatStatus.choices, default=SeatStatus.INVITED
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    answer_by = models.DateTimeField(_("answer by"), null=True, blank=True)
    decline_reason = models.TextField(_("reason given"), blank=True)
    backgrounds_snapshot = models.JSONField(
        _("backgrounds when seated"),
        default=list,
        blank=True,
        help_text=_("Taken at acceptance and fixed at attendance, so statistics do not change."),
    )
    calendar_sequence = models.PositiveIntegerField(default=0)
    over_cap = models.BooleanField(
        _("invited over the cap"),
        default=False,
        db_default=False,
        help_text=_("A leader invited the representative over the office's cap of panels."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["panel", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "representative"],
                condition=models.Q(status__in=BOOKING_STATUSES),
                name="seat_one_live_seat_per_representative_per_panel",
                violation_error_message=_("The representative already has a seat on this panel."),
            ),
            models.CheckConstraint(
                name="seat_ends_after_start", condition=models.Q(ends_at__gt=models.F("starts_at"))
            ),
        ]
        indexes = [
            models.Index(fields=["status", "answer_by"]),
            models.Index(fields=["representative", "starts_at"]),
            # Booked seats still ahead: panel page and dashboard (bench/RESULTS.md).
            models.Index(
                fields=["ends_at"],
                condition=models.Q(status__in=BOOKING_STATUSES),
                name="seat_booked_ends_at",
            ),
            # The roster's order (rosters.selectors.SORTS "date"/"-date"): its first page of
            # 200,000 seats is 50 index entries instead of a sort of them all.
            models.Index(fields=["starts_at", "panel", "id"], name="seat_roster_order"),
        ]

    # Not stored: set on the seats "my page" lists, for its template; by seat_transition, the
    # invitation that refilled a seat it freed (or None); by the roster, on the seats it shows.
    link_path: str
    feedback_path: str
    next_seat: "Seat | None"
    honorarium: Decimal | None
    local_date: date
    attended: bool | None
    background_labels: list[str]

    def __str__(self) -> str:
        return f"{self.panel} – {self.get_status_display()}"

    def holder(self) -> Representative:
        """The person the seat is for. Only erasure empties ``representative``, and no link,
        answer or email about the person reaches such a seat afterwards: a seat without a
        person here is a bug, raised as ``Representative.DoesNotExist``."""
        if self.representative is None:
            raise Representative.DoesNotExist(f"Seat {self.pk} has no representative.")
        return self.representative


class SeatBooking(models.Model):
    """A stretch of time a seat holds in its representative's calendar.

    One a day of the panel's interviews, from that day's first start to its last end, not the
    panel's whole span: a panel whose interviews are a week apart leaves the person free for
    another panel in between (issue 14, point 6). The rows exist while the seat holds time
    (``BOOKING_STATUSES``); ``panels.services.seat_bookings_sync`` keeps them. On PostgreSQL
    an exclusion constraint (migration 0013) refuses two overlapping bookings of one person.
    """

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="bookings")
    representative = models.ForeignKey(
        Representative, on_delete=models.CASCADE, related_name="bookings"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="seat_booking_ends_after_start",
                condition=models.Q(ends_at__gt=models.F("starts_at")),
            ),
        ]
        indexes = [models.Index(fields=["representative", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.seat_id}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class SeatTransition(models.Model):
    """One recorded change of a seat: from, to, who or what made it, when."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=SeatStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=SeatStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor = models.CharField(
        max_length=16,
        choices=[
            ("leader", _("Leader")),
            ("representative", _("Representative")),
            ("system", _("System")),
        ],
    )
    note = models.CharField(max_length=300, blank=True)
    by_phone = models.BooleanField(
        default=False,
        db_default=False,
        help_text=_("The representative answered by phone; a leader recorded it for them."),
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.seat_id}: {self.from_status} → {self.to_status}"

    @property
    def note_display(self) -> str:
        """The note in the reader's language when the system wrote it (stored as its English
        code, ``SYSTEM_NOTES``); a person's own words as they wrote them."""
        return str(SYSTEM_NOTES.get(self.note, self.note))


# Notes the services write, stored in English whatever the language of the request that wrote
# them, and shown in the reader's (issue 18, point 11: "(consent withdrawn)" on a Norwegian page).
OVER_CAP_NOTE = "Invited over the office's cap of panels: the leader chose to."
SYSTEM_NOTES = {
    "consent withdrawn": _("consent withdrawn"),
    "No answer by the deadline.": _("No answer by the deadline."),
    "The panel was cancelled.": _("The panel was cancelled."),
    OVER_CAP_NOTE: _("Invited over the office's cap of panels: the leader chose to."),
}


class ConflictOfInterest(models.Model):
    """The representative knows this candidate and must not sit on that candidate's interview."""

    representative = models.ForeignKey(
        Representative, on_delete=models.CASCADE, related_name="conflicts"
    )
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="conflicts")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "candidate"], name="conflict_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative_id} × {self.candidate_id}"
