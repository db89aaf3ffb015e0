from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.models import Office

from .enums import ActorKind, AuditAction

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AuditEvent(models.Model):
    """Who did what to which sensitive object, when and from where. Append-only.

    It holds ids and numbers, never names, emails or backgrounds, so that erasing a person never
    has to touch it. On PostgreSQL triggers (migrations 0002, 0004) refuse UPDATE, TRUNCATE
    and the DELETE of any row younger than the retention the database enforces. The foreign
    keys carry no database constraint and do nothing on delete, so that deleting a user or an
    office never rewrites the log.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_kind = models.CharField(_("actor"), max_length=16, choices=ActorKind.choices)
    action = models.CharField(_("what"), max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    office = models.ForeignKey(
        Office,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office"),
    )
    remote_addr = models.GenericIPAddressField(_("from"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["office", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def object_type_display(self) -> str:
        """The kind of object in the reader's language ("brukerrepresentant", not a code)."""
        return str(_object_names().get(self.object_type, self.object_type))


def _object_names() -> "dict[str | None, StrOrPromise | None]":
    """Model name to verbose name, over every installed model (audit imports none of them)."""
    return {model._meta.model_name: model._meta.verbose_name for model in apps.get_models()}


class AuditEventOffice(models.Model):
    """One more office an event concerns, beside (or instead of) ``AuditEvent.office``.

    An export over several offices, or a representative in the pool of several, concerns each
    of them; HR in scope of any one of them reads the event (issue 18, point 6). No database
    constraints, as on ``AuditEvent``: the purge deletes events in the database, and this row
    goes with them (``audit.services.audit_events_purge``).
    """

    event = models.ForeignKey(
        AuditEvent,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="offices",
    )
    office = models.ForeignKey(
        Office, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        verbose_name = _("office of an audit event")
        verbose_name_plural = _("offices of audit events")
        constraints = [
            models.UniqueConstraint(fields=["event", "office"], name="audit_event_office_once")
        ]
        indexes = [models.Index(fields=["office", "event"])]

    def __str__(self) -> str:
        return f"{self.event_id} {self.office_id}"
