from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """One email, written in the same transaction as the change that causes it.

    ``key`` names the logical message (``invitation:seat:42:v1``) so that it can be queued only
    once; a Celery task claims the row with a conditional UPDATE before sending, so that a
    redelivered task sends nothing a second time. ``next_attempt_at`` is when the sweep should
    hand a queued row to the broker (again); it is empty while the row is not queued.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=50)
    # Named, not imported: the outbox sits below the apps that send mail (pyproject layers).
    office = models.ForeignKey(
        "interviews.Office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("office"),
    )
    to = models.EmailField(_("to"))
    from_email = models.CharField(_("from"), max_length=300)
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
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def message_id(self) -> str:
        """Stable across retries, so a message sent twice is recognisably the same one."""
        return f"<outbox-{self.pk}@navpanel.nav.no>"
