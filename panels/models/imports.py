"""A large pool import run as a job, with its progress."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviews.models import Office

from ..enums import (
    PoolImportStatus,
)


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
