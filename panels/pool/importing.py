"""Adding the representatives of a parsed CSV file to an office's pool, all or nothing.

``representatives_import`` adds the checks that need the database (an address or number already
registered) to what ``csv_import.representatives_csv_parse`` found, and writes every row the
way ``representative_create`` writes one, so each new representative gets a consent request, or
writes nothing at all. A file of more than ``POOL_IMPORT_SYNC_MAX_LINES`` lines is imported by
a job in the worker (``pool_import_create``/``pool_import_run``) behind a progress page.
"""

import logging
from collections.abc import Callable, Mapping

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from audit.enums import AuditAction
from audit.services import audit_record
from interviews.models import Office
from navpanel.cache_versions import data_version_bump

from .. import emails
from ..enums import PoolImportStatus, RepresentativeStatus
from ..models import Background, PoolImport, Representative
from .csv_import import ImportRow, LineError, background_lookup, representatives_csv_parse
from .services import ADDRESS_NOT_USABLE_ON_LINE, NUMBER_NOT_USABLE_ON_LINE

logger = logging.getLogger(__name__)


@transaction.atomic
def representatives_import(
    *,
    office: Office,
    text: str,
    by: User | None,
    progress: Callable[[int], None] | None = None,
) -> list[Representative]:
    """Add every representative in the CSV ``text`` to ``office``'s pool, or none of them.

    Each is added as ``representative_create`` adds one — awaiting consent, with a consent
    request queued — but in bulk: one insert per thousand people instead of five queries each,
    which is what lets 50,000 lines finish (``pool_import_run``). Raises ``ValidationError``
    listing every bad line ("line 7: …"), in file order. ``progress`` is told how many people
    have been added so far, every ``PROGRESS_EVERY``.
    """
    known = list(Background.objects.all())
    result = representatives_csv_parse(
        text, backgrounds=background_lookup(known), this_year=timezone.localdate().year
    )
    emails_given = [row.email for row in result.rows if row.email]
    registered: set[str] = set()
    for start in range(0, len(emails_given), BATCH):
        registered.update(
            Representative.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails_given[start : start + BATCH])
            .values_list("email_lower", flat=True)
        )
    phones_given = [row.phone for row in result.rows if row.phone]
    numbers: set[str] = set()
    for start in range(0, len(phones_given), BATCH):
        numbers.update(
            Representative.objects.filter(
                phone__in=phones_given[start : start + BATCH]
            ).values_list("phone", flat=True)
        )
    errors = list(result.errors)
    for row in result.rows:
        # Said the same way whether the address or number is in this office's pool or
        # another's (docs/decisions.md, "No cross-office oracle").
        reasons = []
        if row.email and row.email in registered:
            reasons.append(str(ADDRESS_NOT_USABLE_ON_LINE))
        if row.phone and row.phone in numbers:
            reasons.append(str(NUMBER_NOT_USABLE_ON_LINE))
        if reasons:
            errors.append(LineError(line=row.line, reasons=tuple(reasons)))
    if errors:
        raise ValidationError([str(error) for error in sorted(errors, key=lambda e: e.line)])
    by_slug = {background.slug: background for background in known}
    try:
        with transaction.atomic():
            return _create_all(office=office, rows=result.rows, by_slug=by_slug, progress=progress)
    except IntegrityError as error:
        # Someone added one of the addresses between the check above and the insert.
        raise ValidationError(
            _(
                "Another representative with one of these email addresses or mobile numbers was "
                "just added. Try again."
            )
        ) from error


BATCH = 1000
PROGRESS_EVERY = 500


def _create_all(
    *,
    office: Office,
    rows: list[ImportRow],
    by_slug: Mapping[str, Background],
    progress: Callable[[int], None] | None,
) -> list[Representative]:
    people = Representative.objects.bulk_create(
        [
            Representative(
                status=RepresentativeStatus.AWAITING_CONSENT,
                name=row.name,
                email=row.email,
                phone=row.phone,
                contact=row.contact,
                birth_year=row.birth_year,
                organisation=row.organisation,
                suggested_by=row.suggested_by,
            )
            for row in rows
        ],
        batch_size=BATCH,
    )
    Representative.offices.through.objects.bulk_create(
        [
            Representative.offices.through(representative_id=person.pk, office_id=office.pk)
            for person in people
        ],
        batch_size=BATCH,
    )
    Representative.backgrounds.through.objects.bulk_create(
        [
            Representative.backgrounds.through(
                representative_id=person.pk, background_id=by_slug[slug].pk
            )
            for person, row in zip(people, rows, strict=True)
            for slug in row.backgrounds
        ],
        batch_size=BATCH,
    )
    # bulk_create sends no signals: the cached pages' data version is bumped here.
    data_version_bump()
    done = 0
    for start in range(0, len(people), PROGRESS_EVERY):
        # The email names the person's offices: read them once per batch, not twice a person.
        batch = Representative.objects.filter(
            pk__in=[person.pk for person in people[start : start + PROGRESS_EVERY]]
        ).prefetch_related("offices")
        emails.consent_requests(representatives=batch, office=office)
        done += len(batch)
        if progress is not None:
            progress(done)
    return people


def _progress_key(job_id: object) -> str:
    return f"pool-import:{job_id}:done"


def pool_import_progress(*, job: PoolImport) -> int:
    """How many people the running job has added so far (0 when the cache does not know).

    The job adds everyone in one transaction, which nobody else can see into until it
    commits, so the count travels through the cache.
    """
    if job.status == PoolImportStatus.DONE:
        return job.added
    try:
        return int(cache.get(_progress_key(job.pk)) or 0)
    except (TypeError, ValueError):
        return 0


def csv_line_count(text: str) -> int:
    """Lines after the header that hold anything: how much an import has to do."""
    return sum(1 for line in text.splitlines()[1:] if line.strip())


def pool_import_create(*, office: Office, text: str, by: User, language: str) -> PoolImport:
    """Keep the file for the worker and queue its import; the request returns at once.

    ``language``: the leader's, for the lines' error messages."""
    job = PoolImport.objects.create(
        office=office,
        requested_by=by,
        language=language,
        text=text,
        line_count=csv_line_count(text),
    )
    from ..tasks import pool_import

    transaction.on_commit(lambda: pool_import.delay(job_id=str(job.pk)))
    return job


def pool_import_run(*, job: PoolImport) -> None:
    """Import the job's file, all or nothing; claimed with a conditional update, so a
    redelivered task imports once. The file is blanked whatever the outcome."""
    claimed = PoolImport.objects.filter(pk=job.pk, status=PoolImportStatus.PENDING).update(
        status=PoolImportStatus.RUNNING
    )
    if not claimed:
        logger.info("pool import %s already claimed", job.pk)
        return

    def progress(done: int) -> None:
        cache.set(_progress_key(job.pk), done, timeout=24 * 3600)

    try:
        with translation.override(job.language):
            added = representatives_import(
                office=job.office, text=job.text, by=job.requested_by, progress=progress
            )
    except ValidationError as error:
        PoolImport.objects.filter(pk=job.pk).update(
            status=PoolImportStatus.FAILED,
            errors=error.messages,
            text="",
            finished_at=timezone.now(),
        )
        return
    except Exception:
        logger.exception("pool import %s failed", job.pk)
        PoolImport.objects.filter(pk=job.pk).update(
            status=PoolImportStatus.FAILED, errors=[], text="", finished_at=timezone.now()
        )
        return
    audit_record(
        action=AuditAction.POOL_IMPORTED,
        actor=job.requested_by,
        office=job.office,
        count=len(added),
        job=str(job.pk),
    )
    PoolImport.objects.filter(pk=job.pk).update(
        status=PoolImportStatus.DONE, added=len(added), text="", finished_at=timezone.now()
    )
    cache.delete(_progress_key(job.pk))
