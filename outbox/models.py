from django.db import models
from django.utils.translation import gettext_lazy as _

from .addresses import message_senders, sms_sender


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # A newer message of the same kind about the same thing was queued before this one went
    # out (a second move of the same panel): the person gets the newer one only.
    SUPERSEDED = "superseded", _("Replaced by a newer message")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class OutboxMessage(models.Model):
    """One email or SMS (``channel``), written in the same transaction as the change that causes it.

    ``key`` names the logical message so that it can be queued only once; it is made by the
    message's kind (``panels.emails.EmailKind``) and read by nobody: what a message is about is
    ``kind`` with ``about_type``/``about_id`` (a seat, a panel, a representative…), which is what
    other modules ask the outbox by (``outbox.selectors``). A Celery task claims the row with a
    conditional UPDATE before sending, so that a redelivered task sends nothing a second time.
    ``next_attempt_at`` is when the sweep should hand a queued row to the broker (again); it is
    empty while the row is not queued.

    An SMS row is the same row with ``channel`` *sms*: ``to`` is a number in E.164, the text is
    ``body_text``, there is no subject, HTML or attachment, and its sender is the office's name
    (``outbox.addresses.sms_sender``). It is never sent in the quiet hours (``outbox.quiet``).

    The sender is not stored: ``From`` and ``Reply-To`` are built when the message is sent, from
    ``office`` (the office the email is about), so that renaming an office or correcting its
    address mends the emails still waiting.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    channel = models.CharField(
        _("channel"),
        max_length=8,
        choices=Channel.choices,
        default=Channel.EMAIL,
        db_default=Channel.EMAIL,
    )
    kind = models.CharField(_("kind"), max_length=50)
    # Named, not imported: the outbox sits below the apps that send mail (pyproject layers).
    office = models.ForeignKey(
        "interviews.Office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("office"),
    )
    about_type = models.CharField(_("about"), max_length=30, blank=True, default="", db_default="")
    about_id = models.PositiveBigIntegerField(_("about id"), null=True, blank=True)
    # An email address, or a phone number in E.164 for an SMS.
    to = models.CharField(_("to"), max_length=254)
    reply_to = models.JSONField(
        _("reply to, if the office has no address"),
        default=list,
        db_default=[],
        blank=True,
        help_text=_("Used when the office has no email address of its own: its leaders."),
    )
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    representative_id = models.PositiveBigIntegerField(
        _("about representative"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Whose personal data the message holds, so that erasing them scrubs it."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    erase_after_send = models.BooleanField(
        _("erase after sending"),
        default=False,
        db_default=False,
        help_text=_(
            "The person it is about was erased; the message still goes (it tells them so) and "
            "its content is erased once it is sent."
        ),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["kind", "about_type", "about_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def from_header(self) -> str:
        """The ``From`` the message is sent with (``outbox.addresses.message_senders``), or the
        sender name of an SMS."""
        if self.is_sms:
            return sms_sender(self)
        return message_senders(self)[0]

    @property
    def is_sms(self) -> bool:
        return self.channel == Channel.SMS

    @property
    def sms_reference(self) -> str:
        """What the SMS gateway is given to name this message; the same on every attempt."""
        return f"outbox-{self.pk}"

    @property
    def message_id(self) -> str:
        """Stable across retries, so a message sent twice is recognisably the same one."""
        return f"<outbox-{self.pk}@navpanel.nav.no>"
