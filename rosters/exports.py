"""Roster exports: the rows, a streamed CSV and an Excel workbook.

The rows are exactly the filtered roster, in the roster's order, read with a server-side cursor
in chunks so memory stays flat whatever the size. Support needs and notes are never read.
Every text cell goes through ``cell_safe`` (formula injection).
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from accounts.models import User
from navpanel.spreadsheets import cell_safe, row_safe
from panels.enums import SeatStatus
from panels.models import Seat

from .selectors import (
    background_labels,
    seat_attended,
    seat_background_labels,
    seat_honoraria,
    seat_local_date,
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


def roster_rows(
    seats: QuerySet[Seat], *, user: User, with_backgrounds: bool
) -> Iterator[list[Any]]:
    """One typed row per seat (date as ``date``, panel as its number, honorarium as a
    ``Decimal``), read in chunks so memory stays flat."""
    labels = background_labels() if with_backgrounds else {}
    # Translated once, not per row: an export may hold 100,000 rows.
    statuses = {value: str(label) for value, label in SeatStatus.choices}
    attended_labels = {True: _("Yes"), False: _("No"), None: ""}
    erased = _("(erased)")
    zero = Decimal("0.00")
    iterator = seats.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(iterator, CHUNK_SIZE)):
        honoraria = seat_honoraria(user, chunk)
        for seat in chunk:
            representative = seat.representative
            row: list[Any] = [
                seat_local_date(seat),
                _time_span(seat),
                seat.panel.round.office.name,
                seat.panel.round.position_title,
                seat.panel_id,
                representative.name if representative else erased,
                representative.organisation if representative else "",
                statuses.get(seat.status, seat.status),
                attended_labels[seat_attended(seat)],
                honoraria.get(seat.pk, zero),
            ]
            if with_backgrounds:
                row.append(", ".join(seat_background_labels(seat, labels)))
            yield row


def _time_span(seat: Seat) -> str:
    start = timezone.localtime(seat.starts_at)
    end = timezone.localtime(seat.ends_at)
    return f"{start:%H:%M}–{end:%H:%M}"


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[Any]], *, header: list[str], separator: str) -> Iterator[str]:
    """CSV lines with a byte-order mark first, so Excel reads UTF-8 (æøå) right."""
    writer = csv.writer(_Echo(), delimiter=separator)
    yield "\ufeff" + writer.writerow(row_safe(header))
    for row in rows:
        yield writer.writerow(
            row_safe([value.isoformat() if isinstance(value, date) else value for value in row])
        )


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
