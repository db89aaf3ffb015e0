"""The pool: backgrounds, the representatives who have them, and what a round wants of them."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from interviews.models import HiringRound, Office

from ..enums import (
    Contact,
    Language,
    RepresentativeStatus,
)
from ..phones import phone_display, phone_normalise, phone_sms_check


class Background(models.Model):
    """A category of lived experience, managed by the administrator.

    Which representative has which background is special-category personal data (GDPR art. 9).
    """

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (Norwegian Bokmål)"), max_length=100)
    name_nn = models.CharField(
        _("name (Norwegian Nynorsk)"),
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text=_("Shown to those who chose nynorsk; the bokmål name when empty."),
    )
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
        language = get_language()
        if language == Language.EN:
            return self.name_en
        if language == Language.NN and self.name_nn:
            return self.name_nn
        return self.name


class Representative(models.Model):
    """A user representative in the pool of one or more offices. Never signs in.

    ``contact`` is how they want to hear from NAV: email, SMS or both (issue 19). The email
    address is needed only when email is chosen, the phone number (E.164, ``panels.phones``)
    only when SMS is, and then it must be a Norwegian mobile number.
    """

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    contact = models.CharField(
        _("contact by"),
        max_length=8,
        choices=Contact.choices,
        default=Contact.EMAIL,
        db_default=Contact.EMAIL,
    )
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
    # Not stored: set by the pool list on the representatives it shows (panels.pool.views).
    age_group: str
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
                Lower("email"),
                name="representative_unique_email",
                condition=~models.Q(email=""),
            ),
            # A mobile number is whom an SMS goes to, so one person's, as an address is
            # (issue 19); stored in E.164, so the same number is the same text.
            models.UniqueConstraint(
                fields=["phone"],
                name="representative_unique_phone",
                condition=~models.Q(phone=""),
            ),
            models.CheckConstraint(
                name="representative_reachable",
                condition=(models.Q(contact=Contact.SMS) | ~models.Q(email=""))
                & (models.Q(contact=Contact.EMAIL) | ~models.Q(phone="")),
            ),
            models.CheckConstraint(
                name="representative_plausible_birth_year",
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__gte=1900, birth_year__lte=2100),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)

    @property
    def by_email(self) -> bool:
        return Contact(self.contact).by_email and bool(self.email)

    @property
    def by_sms(self) -> bool:
        return Contact(self.contact).by_sms and bool(self.phone)

    def clean(self) -> None:
        """The phone number in E.164; an address for email and a Norwegian mobile for SMS."""
        errors: dict[str, list[ValidationError]] = {}
        try:
            self.phone = phone_normalise(self.phone)
        except ValidationError as error:
            errors.setdefault("phone", []).append(error)
        contact = Contact(self.contact) if self.contact in Contact.values else Contact.EMAIL
        if contact.by_email and not self.email:
            errors.setdefault("email", []).append(
                ValidationError(
                    _("Enter an email address, or choose SMS only."), code="email_needed"
                )
            )
        if contact.by_sms and "phone" not in errors:
            if not self.phone:
                errors.setdefault("phone", []).append(
                    ValidationError(
                        _("Enter a mobile number for SMS, or choose email only."),
                        code="phone_needed",
                    )
                )
            else:
                try:
                    phone_sms_check(self.phone)
                except ValidationError as error:
                    errors.setdefault("phone", []).append(error)
        if errors:
            raise ValidationError(errors)


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
