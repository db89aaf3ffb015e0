"""Roster exports: the rows, a streamed CSV and an Excel workbook.

The rows are exactly the filtered roster, in the roster's order, read with a server-side cursor
in chunks so memory stays flat whatever the size. Support needs and notes are never read.
Every text cell goes through ``cell_safe`` (formula injection).
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from django.db import connections
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, TruncDate, TruncTime
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from accounts.models import User
from interviews.models import HiringRound, Office
from navpanel.spreadsheets import cell_safe, row_safe
from panels.enums import SeatStatus
from panels.models import Representative, Seat

from .selectors import (
    SNAPSHOT_STATUSES,
    RosterFilters,
    background_labels,
    export_offices,
    roster_honoraria,
)

CHUNK_SIZE = 2000
SEPARATORS = {"comma": ",", "semicolon": ";"}


def roster_header(*, with_backgrounds: bool) -> list[str]:
    header = [
        _("Date"),
        _("Time"),
        _("Office"),
        _("Position"),
        _("Panel"),
        _("Representative"),
        _("User organisation"),
        _("Seat status"),
        _("Attended"),
        _("Honorarium (NOK)"),
    ]
    if with_backgrounds:
        header.append(_("Backgrounds"))
    return header


# The columns an export reads, as plain tuples (no model instances: an export may hold every
# seat in the country). Support needs and notes are not among them. Dates and times come out of
# the database already as Oslo-time text, cheaper than converting 200,000 timestamps in Python;
# the round's and the representative's names are looked up by id (``_Names``), once each,
# rather than read and checked again on every one of their seats.
EXPORT_COLUMNS = (
    "pk",
    "status",
    "local_day",
    "local_start",
    "local_end",
    "snapshot",
    "panel_id",
    "panel__round_id",
    "representative_id",
)


def _export_query(seats: QuerySet[Seat], *, with_backgrounds: bool) -> tuple[str, tuple]:
    """The SQL of ``seats`` with ``EXPORT_COLUMNS``, for a server-side cursor of its own."""
    zone = timezone.get_current_timezone()
    values = (
        seats.prefetch_related(None)
        .annotate(
            # As ISO text ("2026-03-01", "09:30:00"): nothing to convert per value in Python.
            local_day=Cast(TruncDate("starts_at", tzinfo=zone), CharField()),
            local_start=Cast(TruncTime("starts_at", tzinfo=zone), CharField()),
            local_end=Cast(TruncTime("ends_at", tzinfo=zone), CharField()),
            # The snapshot is JSON to decode: read only for the backgrounds column.
            snapshot=F("backgrounds_snapshot") if with_backgrounds else Value(""),
        )
        .values_list(*EXPORT_COLUMNS)
    )
    return values.query.sql_with_params()


def _chunks(seats: QuerySet[Seat], *, with_backgrounds: bool) -> Iterator[list[tuple]]:
    """The export's rows as the driver returns them, ``CHUNK_SIZE`` at a time from a server-side
    cursor: Django's per-row machinery (converters, iterables) costs more than the read itself
    at 200,000 rows, and every column here is a plain int or text (see ``_export_query``)."""
    sql, params = _export_query(seats, with_backgrounds=with_backgrounds)
    connection = connections[seats.db]
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK_SIZE):
            yield chunk


class _Names:
    """Rounds (office, position) and representatives (name, organisation) by id, formula-safe:
    those of the export's offices read at once (a few thousand of each in a national export),
    any other a chunk needs read with that chunk."""

    def __init__(self, offices: QuerySet[Office]) -> None:
        self.rounds: dict[int, tuple[str, str]] = {}
        self.people: dict[int, tuple[str, str]] = {}
        self._rounds(HiringRound.objects.filter(office__in=offices))
        self._people(Representative.objects.filter(offices__in=offices).distinct())

    def _rounds(self, rounds: QuerySet[HiringRound]) -> None:
        for pk, office, title in rounds.values_list("pk", "office__name", "position_title"):
            self.rounds[pk] = (cell_safe(office), cell_safe(title))

    def _people(self, people: QuerySet[Representative]) -> None:
        for pk, name, organisation in people.values_list("pk", "name", "organisation"):
            self.people[pk] = (cell_safe(name), cell_safe(organisation))

    def read(self, chunk: list[tuple]) -> None:
        rounds = {row[7] for row in chunk} - self.rounds.keys()
        people = {row[8] for row in chunk if row[8]} - self.people.keys()
        if rounds:
            self._rounds(HiringRound.objects.filter(pk__in=rounds))
        if people:
            # Someone who has since left the office's pool keeps their seats.
            self._people(Representative.objects.filter(pk__in=people))


def roster_rows(
    seats: QuerySet[Seat],
    *,
    user: User,
    filters: RosterFilters,
    with_backgrounds: bool,
    as_text: bool = False,
) -> Iterator[list[Any]]:
    """One typed row per seat (date as ``date``, panel as its number, honorarium as a
    ``Decimal``) of ``seats`` (``roster_for_user`` with ``filters``), read as tuples with a
    server-side cursor so memory stays flat. Honoraria are read once for the whole export
    (``roster_honoraria``), not per chunk. With ``as_text`` (the CSV) the date and the
    honorarium come as the text a CSV holds ("2026-03-01", "1500.00"), each amount written
    once rather than once a row.

    Every text cell is already formula-safe (``cell_safe``), so ``csv_stream`` writes the rows
    as they are; each distinct office, position and name is checked once, not once a row.
    """
    labels = background_labels() if with_backgrounds else {}
    # Translated once, not per row: an export may hold 200,000 rows.
    statuses = {value: cell_safe(str(label)) for value, label in SeatStatus.choices}
    attended_labels = {
        SeatStatus.ATTENDED: cell_safe(_("Yes")),
        SeatStatus.NO_SHOW: cell_safe(_("No")),
    }
    erased = (cell_safe(_("(erased)")), "")
    zero: Decimal | str = Decimal("0.00")
    honoraria: dict[int, Any] = roster_honoraria(user, filters)
    if as_text:
        texts = {amount: str(amount) for amount in set(honoraria.values()) | {zero}}
        honoraria = {pk: texts[amount] for pk, amount in honoraria.items()}
        zero = texts[zero]
    names = _Names(export_offices(user, filters))
    for chunk in _chunks(seats, with_backgrounds=with_backgrounds):
        names.read(chunk)
        current = _current_backgrounds(chunk) if with_backgrounds else {}
        for pk, status, day, start, end, snapshot, panel_id, round_id, person in chunk:
            office_name, position_title = names.rounds[round_id]
            name, organisation = names.people[person] if person else erased
            row: list[Any] = [
                day if as_text else date.fromisoformat(day),
                f"{start[:5]}–{end[:5]}",
                office_name,
                position_title,
                panel_id,
                name,
                organisation,
                statuses.get(status) or cell_safe(status),
                attended_labels.get(status, ""),
                honoraria.get(pk, zero),
            ]
            if with_backgrounds:
                if isinstance(snapshot, str):
                    snapshot = json.loads(snapshot)
                if status in SNAPSHOT_STATUSES or snapshot:
                    slugs = set(snapshot)
                else:
                    slugs = current.get(person, set())
                row.append(
                    cell_safe(", ".join(label for slug, label in labels.items() if slug in slugs))
                )
            yield row


def _current_backgrounds(chunk: list[tuple]) -> dict[int, set[str]]:
    """The backgrounds now of the representatives whose seats count with them (no snapshot;
    see ``rosters.selectors``): one query per chunk of ``EXPORT_COLUMNS`` rows (8 is the
    representative, 5 the snapshot, 1 the status)."""
    wanted = {
        row[8]
        for row in chunk
        if row[8] and row[5] in ("", "[]", None, []) and row[1] not in SNAPSHOT_STATUSES
    }
    current: dict[int, set[str]] = {}
    if wanted:
        for representative_id, slug in Representative.backgrounds.through.objects.filter(
            representative_id__in=wanted
        ).values_list("representative_id", "background__slug"):
            current.setdefault(representative_id, set()).add(slug)
    return current


def csv_stream(rows: Iterable[list[Any]], *, header: list[str], separator: str) -> Iterator[str]:
    """CSV with a byte-order mark first, so Excel reads UTF-8 (æøå) right. ``rows`` come from
    ``roster_rows``, whose text cells are formula-safe already; dates are written as ISO dates
    (``str`` of a ``date``). Yields ``CHUNK_SIZE`` lines at a time: a response chunk per line
    costs more than writing the line (200,000 lines in an export)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator)
    buffer.write("\ufeff")
    writer.writerow(row_safe(header))
    iterator = iter(rows)
    while block := list(islice(iterator, CHUNK_SIZE)):
        writer.writerows(block)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def xlsx_write(
    rows: Iterable[list[Any]],
    *,
    header: list[str],
    target: IO[bytes] | str,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> int:
    """Write an .xlsx workbook in write-only mode (constant memory): bold frozen header,
    auto-filter over the rows, dates as dates. Returns the rows written; ``progress(written)``
    is called every ``every`` rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Roster"))
    sheet.freeze_panes = "A2"
    widths = [12, 13, 24, 30, 8, 28, 24, 14, 10, 14, 40]
    for index, width in enumerate(widths[: len(header)], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=cell_safe(title))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    written = 0
    for row in rows:
        values = []
        for value in row:
            if isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD.MM.YYYY"
                values.append(cell)
            elif isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "#,##0.00"
                values.append(cell)
            else:
                values.append(cell_safe(value))
        sheet.append(values)
        written += 1
        if progress is not None and written % every == 0:
            progress(written)
    # The filter is written at the sheet's end, so it can cover exactly the rows written.
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{written + 1}"
    workbook.save(target)
    return written
