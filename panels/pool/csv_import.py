"""Adding many representatives at once from a CSV file, all or nothing.

``representatives_csv_parse`` is pure: it takes the decoded text and the known backgrounds and
returns the rows it understood and a reason for every line it did not, without touching the
database. ``representatives_import`` adds the checks that need the database (an email address
already registered) and writes every row through ``representative_create``, so each new
representative gets a consent request, or writes nothing at all.
"""

import csv
import io
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
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
from .services import ADDRESS_NOT_USABLE_ON_LINE

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 1024 * 1024
# A representative is at least 16 years old; nobody in the pool was born before 1900.
OLDEST_BIRTH_YEAR = 1900
YOUNGEST_AGE = 16

COLUMNS = ("name", "email", "phone", "birth_year", "organisation", "suggested_by", "backgrounds")
REQUIRED_COLUMNS = ("name", "email")
# The model's own limits, so a row that passes here also passes ``full_clean``.
MAX_LENGTHS = {
    "name": 200,
    "email": 254,
    "phone": 32,
    "organisation": 120,
    "suggested_by": 200,
}


@dataclass(frozen=True)
class ImportRow:
    """One representative read from the file; ``backgrounds`` are background slugs."""

    line: int
    name: str
    email: str
    phone: str = ""
    birth_year: int | None = None
    organisation: str = ""
    suggested_by: str = ""
    backgrounds: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineError:
    line: int
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return _("line %(line)s: %(reasons)s") % {
            "line": self.line,
            "reasons": "; ".join(self.reasons),
        }


@dataclass
class ParseResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def csv_text_decode(content: bytes) -> str:
    """The file's text, with or without a byte order mark.

    Raises ``ValidationError`` for a file over 1 MB, one that is not UTF-8, or an empty one.
    """
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 1 MB. Split it into smaller files."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _(
                "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 "
                "(comma delimited)” and try again."
            )
        ) from error
    if not text.strip():
        raise ValidationError(_("The file is empty."))
    if "\x00" in text:
        # A spreadsheet saved in a binary format, not CSV; the database refuses NUL characters.
        raise ValidationError(
            _("The file is not a CSV file. In Excel, save it as “CSV UTF-8 (comma delimited)”.")
        )
    return text


def background_lookup(backgrounds: Iterable[Background]) -> dict[str, str]:
    """Every way a file may name a background (code, Norwegian or English name) → its code."""
    lookup: dict[str, str] = {}
    for background in backgrounds:
        for name in (background.slug, background.name, background.name_en):
            lookup[name.strip().casefold()] = background.slug
    return lookup


def _delimiter(header_line: str) -> str:
    # Norwegian Excel writes ";" because "," is the decimal separator; others write ",".
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _header_errors(header: list[str]) -> list[str]:
    reasons = [
        _("unknown column “%(column)s”") % {"column": column}
        for column in header
        if column and column not in COLUMNS
    ]
    reasons += [
        _("the column “%(column)s” is missing") % {"column": column}
        for column in REQUIRED_COLUMNS
        if column not in header
    ]
    duplicates = sorted({column for column in header if column and header.count(column) > 1})
    reasons += [
        _("the column “%(column)s” appears more than once") % {"column": column}
        for column in duplicates
    ]
    return reasons


def _row(
    values: dict[str, str],
    *,
    line: int,
    backgrounds: Mapping[str, str],
    this_year: int,
    first_line_of_email: dict[str, int],
) -> ImportRow | LineError:
    reasons: list[str] = []
    for column, limit in MAX_LENGTHS.items():
        if len(values.get(column, "")) > limit:
            reasons.append(
                _("%(column)s is too long (at most %(max)s characters)")
                % {"column": column, "max": limit}
            )
    name = values.get("name", "")
    if not name:
        reasons.append(_("the name is missing"))
    email = values.get("email", "").lower()
    if not email:
        reasons.append(_("the email address is missing"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(_("the email address “%(email)s” is not valid") % {"email": email})
        else:
            first = first_line_of_email.setdefault(email, line)
            if first != line:
                reasons.append(_("the email address is also on line %(line)s") % {"line": first})
    birth_year: int | None = None
    raw_year = values.get("birth_year", "")
    if raw_year:
        latest = this_year - YOUNGEST_AGE
        # Four ASCII digits before int(): "²" is a digit to Python, and int() of a very long
        # string raises.
        plausible = len(raw_year) == 4 and raw_year.isascii() and raw_year.isdigit()
        if plausible and OLDEST_BIRTH_YEAR <= int(raw_year) <= latest:
            birth_year = int(raw_year)
        else:
            reasons.append(
                _("the birth year “%(year)s” is not a year between %(first)s and %(last)s")
                % {"year": raw_year, "first": OLDEST_BIRTH_YEAR, "last": latest}
            )
    slugs: list[str] = []
    for part in values.get("backgrounds", "").split("|"):
        part = part.strip()
        if not part:
            continue
        slug = backgrounds.get(part.casefold())
        if slug is None:
            reasons.append(_("unknown background “%(name)s”") % {"name": part})
        elif slug not in slugs:
            slugs.append(slug)
    if reasons:
        return LineError(line=line, reasons=tuple(reasons))
    return ImportRow(
        line=line,
        name=name,
        email=email,
        phone=values.get("phone", ""),
        birth_year=birth_year,
        organisation=values.get("organisation", ""),
        suggested_by=values.get("suggested_by", ""),
        backgrounds=tuple(slugs),
    )


def representatives_csv_parse(
    text: str, *, backgrounds: Mapping[str, str], this_year: int
) -> ParseResult:
    """Read representatives from CSV text; no database.

    The first line is the header (any order of ``COLUMNS``; ``name`` and ``email`` required;
    columns without a name are ignored); it also decides the separator, ``;`` or ``,``.
    ``backgrounds`` maps a lower-case name or code to a background code (``background_lookup``).
    Line numbers are the file's own, the header being line 1, so a leader can find the line in
    Excel; blank lines are skipped. Every bad line is reported, each with all its reasons.
    """
    result = ParseResult()
    text = text.removeprefix("\ufeff")
    header_line = text.splitlines()[0] if text else ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        header = [column.strip().lower() for column in next(reader, [])]
    except csv.Error:
        header = []
    header_reasons = _header_errors(header) if header else [_("the header line is missing")]
    if header_reasons:
        result.errors.append(LineError(line=1, reasons=tuple(header_reasons)))
        return result
    first_line_of_email: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader, None)
        except csv.Error:
            result.errors.append(LineError(line=line, reasons=(_("the line cannot be read"),)))
            break
        if cells is None:
            break
        if any(cell.strip() for cell in cells):
            if len(cells) != len(header):
                result.errors.append(
                    LineError(
                        line=line,
                        reasons=(
                            _("expected %(expected)s fields, found %(found)s")
                            % {"expected": len(header), "found": len(cells)},
                        ),
                    )
                )
            else:
                row = _row(
                    {
                        column: cell.strip()
                        for column, cell in zip(header, cells, strict=True)
                        # Spreadsheets may add separators for empty columns at the end.
                        if column
                    },
                    line=line,
                    backgrounds=backgrounds,
                    this_year=this_year,
                    first_line_of_email=first_line_of_email,
                )
                target = result.errors if isinstance(row, LineError) else result.rows
                target.append(row)
        # A quoted field may span lines: the next record starts after the last line read.
        line = reader.line_num + 1
    if not result.rows and not result.errors:
        result.errors.append(
            LineError(line=1, reasons=(_("the file has a header but no representatives"),))
        )
    return result


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
    emails_given = [row.email for row in result.rows]
    registered: set[str] = set()
    for start in range(0, len(emails_given), BATCH):
        registered.update(
            Representative.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails_given[start : start + BATCH])
            .values_list("email_lower", flat=True)
        )
    errors = list(result.errors)
    for row in result.rows:
        if row.email in registered:
            errors.append(LineError(line=row.line, reasons=(str(ADDRESS_NOT_USABLE_ON_LINE),)))
    if errors:
        raise ValidationError([str(error) for error in sorted(errors, key=lambda e: e.line)])
    by_slug = {background.slug: background for background in known}
    try:
        with transaction.atomic():
            return _create_all(office=office, rows=result.rows, by_slug=by_slug, progress=progress)
    except IntegrityError as error:
        # Someone added one of the addresses between the check above and the insert.
        raise ValidationError(
            _("Another representative with one of these email addresses was just added. Try again.")
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
        for person in batch:
            emails.consent_request(representative=person)
            done += 1
        if progress is not None:
            progress(done)
    return people


# Large imports: a job with a progress page ------------------------------------------------------


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
