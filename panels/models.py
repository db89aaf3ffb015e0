import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from interviews.models import Candidate, HiringRound, Interview, Office

from .enums import (
    BOOKING_STATUSES,
    Language,
    PanelStatus,
    PoolImportStatus,
    RepresentativeStatus,
    SeatStatus,
)


class Background(models.Model):
    """A category of lived experience, managed by the administrator.

    Which representative has which background is special-category personal data (GDPR art. 9).
    """

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (Norwegian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("background")
        verbose_name_plural = _("backgrounds")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if get_language() == Language.EN else self.name


class Representative(models.Model):
    """A user representative in the pool of one or more offices. Never signs in."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    organisation = models.CharField(_("user organisation"), max_length=120, blank=True)
    suggested_by = models.CharField(_("suggested by (counsellor)"), max_length=200, blank=True)
    offices = models.ManyToManyField(
        Office, related_name="representatives", verbose_name=_("offices whose pool they are in")
    )
    backgrounds = models.ManyToManyField(
        Background, blank=True, related_name="representatives", verbose_name=_("backgrounds")
    )
    support_needs = models.TextField(
        _("support needs"),
        blank=True,
        help_text=_("Seen by the office's leaders only; never exported."),
    )
    note = models.TextField(_("note"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.NB
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RepresentativeStatus.choices,
        default=RepresentativeStatus.AWAITING_CONSENT,
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    deletion_requested_at = models.DateTimeField(
        _("deletion requested"),
        null=True,
        blank=True,
        help_text=_("Set when the representative asked, on their page, to be deleted."),
    )

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"), name="representative_unique_email"
            ),
            models.CheckConstraint(
                name="representative_plausible_birth_year",
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__gte=1900, birth_year__lte=2100),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BackgroundWant(models.Model):
    """A hiring round wants at least ``at_least`` seats per panel with this background."""

    round = models.ForeignKey(
        HiringRound, on_delete=models.CASCADE, related_name="wants", verbose_name=_("round")
    )
    background = models.ForeignKey(
        Background, on_delete=models.PROTECT, related_name="+", verbose_name=_("background")
    )
    at_least = models.PositiveSmallIntegerField(
        _("at least"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("wanted background")
        verbose_name_plural = _("wanted backgrounds")
        constraints = [
            models.UniqueConstraint(fields=["round", "background"], name="want_unique_per_round"),
            models.CheckConstraint(
                name="want_at_least_between_1_and_5",
                condition=models.Q(at_least__gte=1, at_least__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.background} ≥ {self.at_least}"


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

    The database refuses two live seats of one representative on one panel; on PostgreSQL an
    exclusion constraint (migration 0002) also refuses a representative booked on two panels
    whose times overlap. ``starts_at``/``ends_at`` copy the panel's span for that constraint.
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
        ]

    def __str__(self) -> str:
        return f"{self.panel} – {self.get_status_display()}"


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


class LinkVia(models.TextChoices):
    """Which signed link a representative used to give consent or sign."""

    CONSENT_LINK = "consent_link", _("consent link")
    SEAT_LINK = "seat_link", _("seat link")


class PublishedText(models.Model):
    """A versioned text the representative agrees to; the newest published version is current.

    A published text is never edited: a representative's agreement points at the exact words
    they read. A change is a new version, which asks everyone to agree again.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    body = models.TextField(
        _("text (Norwegian)"),
        help_text=_(
            "Plain text. Leave a blank line between paragraphs; start a line with "
            "“# ” for a heading and “- ” for a point in a list."
        ),
    )
    body_en = models.TextField(
        _("text (English)"),
        blank=True,
        help_text=_("Shown when the page is in English; otherwise the Norwegian text."),
    )
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        help_text=_("Leave empty while drafting. The newest published version is shown."),
    )

    class Meta:
        abstract = True
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} v{self.version}"

    @property
    def text(self) -> str:
        return self.body_en if get_language() == Language.EN and self.body_en else self.body


class ConsentText(PublishedText):
    """What the representative consents to: what is stored, why, who sees it, for how long."""

    class Meta(PublishedText.Meta):
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")


class ConfidentialityText(PublishedText):
    """The confidentiality declaration (taushetserklæring) signed before sitting on a panel."""

    class Meta(PublishedText.Meta):
        verbose_name = _("confidentiality declaration")
        verbose_name_plural = _("confidentiality declarations")


class ConsentGiven(models.Model):
    """A representative agreed to one version of the consent text; withdrawn_at ends it.

    A renewal (the same version agreed to again when the consent is up for renewal) ends the
    row with ``renewed_at`` and starts a new one, so each row's ``given_at`` stays when that
    agreement was given.
    """

    representative = models.ForeignKey(
        Representative,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("representative"),
    )
    text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="+", verbose_name=_("text")
    )
    given_at = models.DateTimeField(_("given"))
    via = models.CharField(_("via"), max_length=16, choices=LinkVia.choices)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    renewed_at = models.DateTimeField(_("renewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent given")
        verbose_name_plural = _("consents given")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "text"],
                condition=models.Q(withdrawn_at__isnull=True, renewed_at__isnull=True),
                name="consent_one_standing_per_text",
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative_id} – v{self.text.version}"


class ConfidentialitySigned(models.Model):
    """A representative signed one version of the confidentiality declaration."""

    representative = models.ForeignKey(
        Representative,
        on_delete=models.CASCADE,
        related_name="confidentiality_signatures",
        verbose_name=_("representative"),
    )
    text = models.ForeignKey(
        ConfidentialityText, on_delete=models.PROTECT, related_name="+", verbose_name=_("text")
    )
    signed_at = models.DateTimeField(_("signed"))
    via = models.CharField(_("via"), max_length=16, choices=LinkVia.choices)

    class Meta:
        verbose_name = _("confidentiality declaration signed")
        verbose_name_plural = _("confidentiality declarations signed")
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "text"], name="confidentiality_signed_once_per_text"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative_id} – v{self.text.version}"


class FeedbackRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative")
    STAFF = "staff", _("Staff interviewer")


FEEDBACK_QUESTIONS = ("well_prepared", "full_member", "practical", "again")


class Feedback(models.Model):
    """One person's short evaluation of one interview day, given by a signed link.

    Shown to the office's leaders only as averages, counts and free texts without names: the
    seat and the staff interviewer are kept to refuse a second answer, never to show who said
    what. Ratings are 1 (disagree) to 5 (agree).
    """

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("panel")
    )
    seat = models.ForeignKey(
        Seat, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    staff_interviewer = models.ForeignKey(
        StaffInterviewer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    role = models.CharField(_("role"), max_length=16, choices=FeedbackRole.choices)
    well_prepared = models.PositiveSmallIntegerField(_("I was well prepared"))
    full_member = models.PositiveSmallIntegerField(_("I was treated as a full member of the panel"))
    practical = models.PositiveSmallIntegerField(_("The practical arrangements worked"))
    again = models.PositiveSmallIntegerField(_("I would take part again"))
    comment = models.TextField(_("anything else"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["seat"], name="feedback_once_per_seat"),
            models.UniqueConstraint(
                fields=["staff_interviewer"], name="feedback_once_per_staff_interviewer"
            ),
            models.CheckConstraint(
                name="feedback_ratings_between_1_and_5",
                condition=models.Q(
                    well_prepared__gte=1,
                    well_prepared__lte=5,
                    full_member__gte=1,
                    full_member__lte=5,
                    practical__gte=1,
                    practical__lte=5,
                    again__gte=1,
                    again__lte=5,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel_id} – {self.get_role_display()}"


class PoolImport(models.Model):
    """A pool CSV too large to import in the request, imported by a Celery task.

    All or nothing, as a small import: ``errors`` lists every bad line and nothing is added,
    or every line is added. ``text`` holds the uploaded file only until the task has read it.
    Only ``requested_by`` sees the job (anyone else gets 404).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="pool_imports", verbose_name=_("office")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pool_imports",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PoolImportStatus.choices,
        default=PoolImportStatus.PENDING,
    )
    text = models.TextField(_("file"), blank=True)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    language = models.CharField(_("language of the messages"), max_length=8, default="nb")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("pool import")
        verbose_name_plural = _("pool imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.office_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        return self.status in (PoolImportStatus.DONE, PoolImportStatus.FAILED)
