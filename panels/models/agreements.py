"""The published consent and confidentiality texts, and who agreed to which version."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..enums import (
    Language,
)
from .people import Representative


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
        _("text (Norwegian Bokmål)"),
        help_text=_(
            "Plain text. Leave a blank line between paragraphs; start a line with "
            "“# ” for a heading and “- ” for a point in a list."
        ),
    )
    # Blank only on versions published before nynorsk came (issue 19): those show bokmål to
    # a nynorsk reader, and the agreement records "nb", the words that were read.
    body_nn = models.TextField(
        _("text (Norwegian Nynorsk)"),
        blank=True,
        default="",
        db_default="",
        help_text=_("Shown when the page is in nynorsk. Required to publish."),
    )
    body_en = models.TextField(
        _("text (English)"),
        blank=True,
        help_text=_("Shown when the page is in English. Required to publish."),
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

    def clean(self) -> None:
        """A version is published in all three languages, so every reader has their own."""
        if self.published_at is not None:
            missing = {
                field: _("Write this language's version before publishing.")
                for field in ("body_nn", "body_en")
                if not getattr(self, field).strip()
            }
            if missing:
                raise ValidationError(missing)

    def language_shown(self, language: str | None = None) -> str:
        """The language whose words a reader of ``language`` (the active one) is shown."""
        language = language or get_language()
        if language == Language.NN and self.body_nn:
            return Language.NN
        if language == Language.EN and self.body_en:
            return Language.EN
        return Language.NB

    @property
    def text(self) -> str:
        """The body in the active language (bokmål where that version has none)."""
        bodies: dict[str, str] = {
            Language.NB: self.body,
            Language.NN: self.body_nn,
            Language.EN: self.body_en,
        }
        return bodies[self.language_shown()]


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
    # The language version the person read and agreed to (``PublishedText.language_shown``).
    language = models.CharField(
        _("language read"),
        max_length=2,
        choices=Language.choices,
        default=Language.NB,
        db_default=Language.NB,
    )
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
    # The language version the person read and agreed to (``PublishedText.language_shown``).
    language = models.CharField(
        _("language read"),
        max_length=2,
        choices=Language.choices,
        default=Language.NB,
        db_default=Language.NB,
    )

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
