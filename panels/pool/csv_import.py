"""Reading a pool CSV file: what each line says, and why a line cannot be used.

``representatives_csv_parse`` is pure: it takes the decoded text and the known backgrounds and
returns the rows it understood and a reason for every line it did not, without touching the
database. ``panels.pool.importing`` writes what it returns, all or nothing.
"""

import csv
import io
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ..enums import Contact
from ..models import Background
from ..phones import phone_normalise, phone_sms_check

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 1024 * 1024
# A representative is at least 16 years old; nobody in the pool was born before 1900.
OLDEST_BIRTH_YEAR = 1900
YOUNGEST_AGE = 16

COLUMNS = (
    "name",
    "email",
    "phone",
    "contact",
    "birth_year",
    "organisation",
    "suggested_by",
    "backgrounds",
)
REQUIRED_COLUMNS = ("name",)
# At least one way to reach people (issue 19: a person may have a mobile number only).
REACH_COLUMNS = ("email", "phone")
# What the ``contact`` column may say; empty means email if the line has an address, else SMS.
CONTACT_WORDS = {
    "email": Contact.EMAIL,
    "e-post": Contact.EMAIL,
    "epost": Contact.EMAIL,
    "sms": Contact.SMS,
    "both": Contact.BOTH,
    "begge": Contact.BOTH,
}
# The pool file's headers as the export writes them (Norwegian, whatever the page's language: the
# file is read by people at a Norwegian office), and as the import reads them besides the codes
# above (issue 18, point 6). ``offices`` and ``status`` are the export's own: the import reads
# past them (the office is the one imported into; the status is the consent's).
NORWEGIAN_HEADERS = {
    "name": "navn",
    "email": "e-post",
    "phone": "telefon",
    "contact": "kontakt",
    "birth_year": "fødselsår",
    "organisation": "organisasjon",
    "suggested_by": "foreslått av",
    "offices": "kontorer",
    "backgrounds": "bakgrunner",
    "status": "status",
}
EXPORT_COLUMNS = tuple(NORWEGIAN_HEADERS)
# How the export writes the ``contact`` column (words the import reads back).
CONTACT_EXPORT_WORDS = {Contact.EMAIL: "e-post", Contact.SMS: "sms", Contact.BOTH: "begge"}
IGNORED_COLUMNS = ("offices", "status")
_HEADER_CODES = {
    **{code: code for code in (*COLUMNS, *IGNORED_COLUMNS)},
    **{norwegian: code for code, norwegian in NORWEGIAN_HEADERS.items()},
}


def _column_code(header: str) -> str:
    """A header cell as its column code: "E-post" and "email" are both ``email``; an unknown
    header is kept as written, for the message."""
    name = " ".join(header.split()).lower()
    return _HEADER_CODES.get(name, name)


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
    contact: str = Contact.EMAIL
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
    """Every way a file may name a background (code, bokmål, nynorsk or English name) → its
    code."""
    lookup: dict[str, str] = {}
    for background in backgrounds:
        for name in (background.slug, background.name, background.name_nn, background.name_en):
            if name.strip():
                lookup[name.strip().casefold()] = background.slug
    return lookup


def _delimiter(header_line: str) -> str:
    # Norwegian Excel writes ";" because "," is the decimal separator; others write ",".
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _header_errors(header: list[str]) -> list[str]:
    reasons = [
        _("unknown column “%(column)s”") % {"column": column}
        for column in header
        if column and column not in COLUMNS and column not in IGNORED_COLUMNS
    ]
    reasons += [
        _("the column “%(column)s” is missing") % {"column": column}
        for column in REQUIRED_COLUMNS
        if column not in header
    ]
    if not any(column in header for column in REACH_COLUMNS):
        reasons.append(_("the file needs a column “email” or “phone” (or both)"))
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
    first_line_of_phone: dict[str, int],
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
    phone = values.get("phone", "")
    said = values.get("contact", "").strip().casefold()
    contact = CONTACT_WORDS.get(said) if said else (Contact.EMAIL if email else Contact.SMS)
    if contact is None:
        reasons.append(_("the contact “%(contact)s” is not email, sms or both") % {"contact": said})
        contact = Contact.EMAIL
    try:
        phone = phone_normalise(phone)
    except ValidationError:
        reasons.append(_("the phone number “%(phone)s” is not valid") % {"phone": phone})
    else:
        if phone:
            first = first_line_of_phone.setdefault(phone, line)
            if first != line:
                reasons.append(_("the mobile number is also on line %(line)s") % {"line": first})
        if contact.by_sms and not phone:
            reasons.append(_("the mobile number is missing (needed for SMS)"))
        elif contact.by_sms:
            try:
                phone_sms_check(phone)
            except ValidationError:
                reasons.append(
                    _("the number %(phone)s is not a Norwegian mobile number, so SMS cannot go")
                    % {"phone": phone}
                )
    if not email:
        if contact.by_email:
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
        phone=phone,
        contact=contact,
        birth_year=birth_year,
        organisation=values.get("organisation", ""),
        suggested_by=values.get("suggested_by", ""),
        backgrounds=tuple(slugs),
    )


def representatives_csv_parse(
    text: str, *, backgrounds: Mapping[str, str], this_year: int
) -> ParseResult:
    """Read representatives from CSV text; no database.

    The first line is the header (any order of ``COLUMNS``, by code or by the Norwegian header
    the export writes; ``name`` and ``email`` required; columns without a name, and the export's
    ``offices`` and ``status``, are ignored); it also decides the separator, ``;`` or ``,``.
    ``backgrounds`` maps a lower-case name or code to a background code (``background_lookup``).
    Line numbers are the file's own, the header being line 1, so a leader can find the line in
    Excel; blank lines are skipped. Every bad line is reported, each with all its reasons.
    """
    result = ParseResult()
    text = text.removeprefix("\ufeff")
    header_line = text.splitlines()[0] if text else ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        header = [_column_code(column) for column in next(reader, [])]
    except csv.Error:
        header = []
    header_reasons = _header_errors(header) if header else [_("the header line is missing")]
    if header_reasons:
        result.errors.append(LineError(line=1, reasons=tuple(header_reasons)))
        return result
    first_line_of_email: dict[str, int] = {}
    first_line_of_phone: dict[str, int] = {}
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
                        if column and column not in IGNORED_COLUMNS
                    },
                    line=line,
                    backgrounds=backgrounds,
                    this_year=this_year,
                    first_line_of_email=first_line_of_email,
                    first_line_of_phone=first_line_of_phone,
                )
                if isinstance(row, LineError):
                    result.errors.append(row)
                else:
                    result.rows.append(row)
        # A quoted field may span lines: the next record starts after the last line read.
        line = reader.line_num + 1
    if not result.rows and not result.errors:
        result.errors.append(
            LineError(line=1, reasons=(_("the file has a header but no representatives"),))
        )
    return result
