"""Writes for rosters: export jobs and API tokens."""

import hashlib
import hmac
import logging
import secrets
import tempfile
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from audit.enums import AuditAction
from audit.services import audit_record

from .exports import as_is, roster_header, roster_rows, xlsx_write
from .forms import RosterFilterForm
from .models import ApiToken, ExportJob, ExportStatus
from .selectors import roster_for_user

logger = logging.getLogger(__name__)

TOKEN_PREFIX_BYTES = 4


# --- export jobs ------------------------------------------------------------------------------


@transaction.atomic
def export_job_create(
    *,
    request: AuthenticatedHttpRequest,
    filters: dict[str, Any],
    row_count: int,
    office_ids: Iterable[int] = (),
    file_format: str = "xlsx",
) -> ExportJob:
    """Record a large export for the requester, audit it and build it in a worker after commit.

    ``filters`` are the roster form's data (they are validated again for the requester when the
    task runs, so a role lost in between narrows the file too); ``office_ids`` the offices the
    export concerns, for the audit log.
    """
    from .tasks import roster_export_build

    job = ExportJob.objects.create(
        requested_by=request.user,
        file_format=file_format,
        filters=filters,
        row_count=row_count,
        expires_at=timezone.now() + timedelta(hours=settings.ROSTER_EXPORT_EXPIRY_HOURS),
    )
    audit_record(
        action=AuditAction.ROSTER_EXPORTED,
        request=request,
        office_ids=office_ids,
        job=str(job.pk),
        format=file_format,
        filters=filters,
        rows=row_count,
    )
    transaction.on_commit(lambda: roster_export_build.delay(job_id=str(job.pk)))
    return job


def export_job_build(*, job: ExportJob) -> None:
    """Build the job's file; claimed with a conditional update so a redelivery builds once."""
    claimed = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING
    )
    if not claimed:
        logger.info("export job %s already claimed", job.pk)
        return
    try:
        form = RosterFilterForm(job.filters, user=job.requested_by)
        if not form.is_valid():
            raise ValueError("the filters are no longer valid for the requester")
        with_backgrounds = form.show_backgrounds
        filters = form.filters()
        seats = roster_for_user(
            job.requested_by, filters=filters, with_backgrounds=with_backgrounds
        )

        def progress(written: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=written)

        with tempfile.TemporaryFile() as target:
            written = xlsx_write(
                roster_rows(
                    seats,
                    user=job.requested_by,
                    filters=filters,
                    with_backgrounds=with_backgrounds,
                    guard=as_is,
                ),
                header=roster_header(with_backgrounds=with_backgrounds),
                target=target,
                progress=progress,
            )
            target.seek(0)
            job.file.save(f"roster-{job.pk}.xlsx", File(target), save=False)
        finished = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.DONE,
            file=job.file.name,
            rows_done=written,
            row_count=written,
            finished_at=timezone.now(),
        )
        if not finished:
            # Stopped meanwhile by an erasure (export_files_delete): the file may hold them.
            job.file.delete(save=False)
    except Exception:
        logger.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )


def export_jobs_purge(*, now: Any = None) -> int:
    """Delete expired jobs and their files."""
    now = now or timezone.now()
    expired = list(ExportJob.objects.filter(expires_at__lt=now))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
        job.delete()
    return len(expired)


def export_files_delete(*, made_before: datetime) -> int:
    """Delete every export file made before ``made_before``, and stop exports being built.

    Called when a representative is erased (``panels.erasure``): any roster file may hold
    them. The jobs stay, as *failed*, so HR sees that the export must be made again; a job
    being built finds itself stopped when it finishes and deletes its own file.
    Returns how many files were deleted.
    """
    ExportJob.objects.filter(
        status__in=(ExportStatus.PENDING, ExportStatus.RUNNING), created_at__lt=made_before
    ).update(status=ExportStatus.FAILED, finished_at=timezone.now())
    deleted = 0
    for job in ExportJob.objects.filter(created_at__lt=made_before).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="", status=ExportStatus.FAILED, rows_done=0)
        deleted += 1
    return deleted


# --- API tokens -------------------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _is_prefix(text: str) -> bool:
    return len(text) == TOKEN_PREFIX_BYTES * 2 and all(c in "0123456789abcdef" for c in text)


def api_token_fill(*, token: ApiToken) -> str:
    """Give an unsaved ``token`` a new secret: set its prefix and hash and return the secret,
    which is never stored and never shown again. The secret reads ``npk_<prefix>_<random>``."""
    prefix = secrets.token_hex(TOKEN_PREFIX_BYTES)
    secret = f"npk_{prefix}_{secrets.token_urlsafe(32)}"
    token.prefix = prefix
    token.hashed = _hash(secret)
    return secret


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make and save a token; return it with its secret (shown once, only the hash kept)."""
    token = ApiToken(user=user, name=name)
    secret = api_token_fill(token=token)
    token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The live token ``secret`` belongs to, or None; marks it used (at most once a minute)."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != "npk" or not _is_prefix(parts[1]):
        return None
    token = (
        ApiToken.objects.filter(prefix=parts[1], revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not hmac.compare_digest(token.hashed, _hash(secret)):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def export_files_forget(*, erased_at: datetime, **_: object) -> None:
    """On erasure (``panels.erasure.representative_erasing``): once the erasure commits, delete
    every export file made before it (``export_files_delete``)."""
    transaction.on_commit(lambda: export_files_delete(made_before=erased_at), robust=True)
