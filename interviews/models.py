from collections.abc import Sequence

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.forms import BaseForm
from django.utils.translation import gettext_lazy as _

from .enums import County, InterviewStatus, RoleKind, RoleScope, RoundState


class Office(models.Model):
    """A NAV office, e.g. "NAV Hadeland"; it owns its rounds, panels and pool."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    county = models.CharField(_("county"), max_length=32, choices=County.choices)
    email = models.EmailField(_("office email"), blank=True)
    street_address = models.CharField(
        _("street address"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "Where the interviews are held, e.g. “Fridtjof Nansens gate 11, 8622 Mo i Rana”."
        ),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    consent_renewal_months = models.PositiveSmallIntegerField(
        _("months before consent is asked again"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "A representative whose consent is older than this is asked to renew it. "
            "In several offices' pools, the shortest period applies."
        ),
    )
    # Nobody carries too much (issue 18, point 9): how many panels one representative may sit
    # or be booked for in a calendar month and quarter; a leader may invite over it, visibly.
    cap_per_month = models.PositiveSmallIntegerField(
        _("panels per representative a month"),
        default=2,
        db_default=2,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("A representative at this many panels in a month is not suggested for more."),
    )
    cap_per_quarter = models.PositiveSmallIntegerField(
        _("panels per representative a quarter"),
        default=4,
        db_default=4,
        validators=[MinValueValidator(1), MaxValueValidator(92)],
        help_text=_("A representative at this many panels in a quarter is not suggested for more."),
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfficeRole(models.Model):
    """What a staff user may do, and where.

    A leader acts on one office (a user may hold several leader roles). An HR adviser reads one
    office, one county or every office, and changes nothing.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="office_roles",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("role"), max_length=16, choices=RoleKind.choices)
    scope = models.CharField(
        _("scope"), max_length=16, choices=RoleScope.choices, default=RoleScope.OFFICE
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("office"),
    )
    county = models.CharField(_("county"), max_length=32, choices=County.choices, blank=True)

    class Meta:
        verbose_name = _("office role")
        verbose_name_plural = _("office roles")
        constraints = [
            models.CheckConstraint(
                name="officerole_scope_matches_fields",
                condition=(
                    Q(scope=RoleScope.OFFICE, office__isnull=False, county="")
                    | Q(scope=RoleScope.COUNTY, office__isnull=True) & ~Q(county="")
                    | Q(scope=RoleScope.NATIONAL, office__isnull=True, county="")
                ),
                violation_error_message=_("The scope does not match the office and county."),
            ),
            models.CheckConstraint(
                name="officerole_leader_acts_on_one_office",
                condition=~Q(kind=RoleKind.LEADER) | Q(scope=RoleScope.OFFICE),
                violation_error_message=_("An office leader's role is for one office."),
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "office"],
                condition=Q(office__isnull=False),
                name="officerole_unique_per_office",
            ),
        ]

    def __str__(self) -> str:
        where = self.office or self.get_county_display() or _("all offices")
        return f"{self.user} – {self.get_kind_display()} – {where}"


class HiringRound(models.Model):
    """Hiring for one position at one office; draft → open → closed."""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("office")
    )
    position_title = models.CharField(_("position"), max_length=200)
    team = models.CharField(_("team"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    info_for_representatives = models.TextField(
        _("what the representatives should know about the position"), blank=True
    )
    seats_per_panel = models.PositiveSmallIntegerField(
        _("representative seats per panel"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    answer_deadline_days = models.PositiveSmallIntegerField(
        _("days to answer an invitation"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    invite_next_automatically = models.BooleanField(
        _(
            "invite the next suggestion when a seat becomes free (a decline, no answer, "
            "withdrawn consent, “can't come after all”, or taken off the panel)"
        ),
        default=True,
    )
    state = models.CharField(
        _("state"), max_length=16, choices=RoundState.choices, default=RoundState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("hiring round")
        verbose_name_plural = _("hiring rounds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="round_seats_between_1_and_5",
                condition=Q(seats_per_panel__gte=1, seats_per_panel__lte=5),
                violation_error_message=_("A panel has between 1 and 5 representative seats."),
            ),
            models.CheckConstraint(
                name="round_deadline_between_1_and_60_days",
                condition=Q(answer_deadline_days__gte=1, answer_deadline_days__lte=60),
                violation_error_message=_("The answer deadline is between 1 and 60 days."),
            ),
            models.CheckConstraint(
                name="round_closed_at_iff_closed",
                condition=Q(state=RoundState.CLOSED, closed_at__isnull=False)
                | (~Q(state=RoundState.CLOSED) & Q(closed_at__isnull=True)),
            ),
        ]
        indexes = [models.Index(fields=["office", "state"])]

    def __str__(self) -> str:
        return f"{self.position_title} ({self.office})"


class RoundTransition(models.Model):
    """One recorded change of a round: its state, or (``event``) a change made in it that
    cannot be seen afterwards, such as a candidate removed. Who, what, when; never a name."""

    class Event(models.TextChoices):
        STATE = "", _("State changed")
        CANDIDATE_REMOVED = "candidate_removed", _("A candidate was removed")

    round = models.ForeignKey(HiringRound, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=RoundState.choices)
    to_state = models.CharField(max_length=16, choices=RoundState.choices)
    event = models.CharField(
        max_length=32, choices=Event.choices, blank=True, default="", db_default=""
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.from_state} → {self.to_state}"


class Candidate(models.Model):
    """An applicant: only a name and an outside reference, erased after the round's retention."""

    round = models.ForeignKey(
        HiringRound, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("round")
    )
    name = models.CharField(_("name"), max_length=200)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Interview(models.Model):
    """One candidate's slot in a round.

    On PostgreSQL an exclusion constraint (migration 0002) refuses two scheduled interviews of
    one candidate that overlap; the service checks the same rule first to explain it.
    """

    round = models.ForeignKey(
        HiringRound, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("round")
    )
    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews",
        verbose_name=_("candidate"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("room or address"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InterviewStatus.choices,
        default=InterviewStatus.SCHEDULED,
    )

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="interview_ends_after_start",
                condition=Q(ends_at__gt=models.F("starts_at")),
                violation_error_message=_("The interview must end after it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["round", "starts_at"]),
            # The next scheduled interview of many offices (when cached statistics expire).
            models.Index(
                fields=["starts_at"],
                condition=Q(status=InterviewStatus.SCHEDULED),
                name="interview_scheduled_starts_at",
            ),
        ]

    # Not stored: set by the pages that show interviews, for their templates. The round page's
    # form to move one; the panel page's representatives who declared a conflict with its
    # candidate (panels' Representative, which this app does not import).
    move_form: BaseForm
    conflicted: Sequence[models.Model]

    def __str__(self) -> str:
        return f"{self.round} {self.starts_at:%Y-%m-%d %H:%M}"
