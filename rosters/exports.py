"""Roster exports: the rows, a streamed CSV and an Excel workbook.

The rows are exactly the filtered roster, in the roster's order, read with a server-side cursor
in chunks so memory stays flat whatever the size. Support needs and notes are never read.
Every text cell goes through ``cell_safe`` (formula injection).

On PostgreSQL the CSV without the backgrounds column is written by PostgreSQL itself
(``csv_copy``: one ``COPY (SELECT ...) TO STDOUT``), the same cells as ``roster_rows`` and
``csv_stream`` write; ``tests/rosters/test_exports.py`` checks both give the same file.
"""

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import IO, Any, cast

from django.db import connections, transaction
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
from navpanel.spreadsheets import (
    FORMULA_TRIGGERS,
    amount_text,
    cell_safe,
    cell_safe_sql,
    row_safe,
    xlsx_guard,
)
from panels.enums import SAID_YES_STATUSES, SeatStatus
from panels.models import Representative, Seat

from .selectors import (
    SORTS,
    RosterFilters,
    background_labels,
    export_offices,
    roster_honoraria,
)

CHUNK_SIZE = 2000
SEPARATORS = {"comma": ",", "semicolon": ";"}
# An export PostgreSQL writes is held in memory up to this size, then in a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


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


def _export_query(seats: QuerySet[Seat], *, with_backgrounds: bool) -> tuple[str, tuple[Any, ...]]:
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


def _chunks(seats: QuerySet[Seat], *, with_backgrounds: bool) -> Iterator[list[tuple[Any, ...]]]:
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

    def __init__(self, offices: QuerySet[Office], *, guard: Callable[[Any], Any]) -> None:
        self.guard = guard
        self.rounds: dict[int, tuple[str, str]] = {}
        self.people: dict[int, tuple[str, str]] = {}
        self._rounds(HiringRound.objects.filter(office__in=offices))
        self._people(Representative.objects.filter(offices__in=offices).distinct())

    def _rounds(self, rounds: QuerySet[HiringRound]) -> None:
        for pk, office, title in rounds.values_list("pk", "office__name", "position_title"):
            self.rounds[pk] = (self.guard(office), self.guard(title))

    def _people(self, people: QuerySet[Representative]) -> None:
        for pk, name, organisation in people.values_list("pk", "name", "organisation"):
            self.people[pk] = (self.guard(name), self.guard(organisation))

    def read(self, chunk: list[tuple[Any, ...]]) -> None:
        rounds = {row[7] for row in chunk} - self.rounds.keys()
        people = {row[8] for row in chunk if row[8]} - self.people.keys()
        if rounds:
            self._rounds(HiringRound.objects.filter(pk__in=rounds))
        if people:
            # Someone who has since left the office's pool keeps their seats.
            self._people(Representative.objects.filter(pk__in=people))


def as_is(value: Any) -> Any:
    """No guard in the text: the workbook guards its cells by style (``xlsx_write``)."""
    return value


def roster_rows(
    seats: QuerySet[Seat],
    *,
    user: User,
    filters: RosterFilters,
    with_backgrounds: bool,
    as_text: bool = False,
    separator: str = ",",
    guard: Callable[[Any], Any] = cell_safe,
) -> Iterator[list[Any]]:
    """One typed row per seat (date as ``date``, panel as its number, honorarium as a
    ``Decimal``) of ``seats`` (``roster_for_user`` with ``filters``), read as tuples with a
    server-side cursor so memory stays flat. Honoraria are read once for the whole export
    (``roster_honoraria``), not per chunk. With ``as_text`` (the CSV) the date and the
    honorarium come as the text a CSV holds ("2026-03-01", "1500.00"), each amount written
    once rather than once a row, with a decimal comma when ``separator`` is ``;``
    (``amount_text``: "1500,00", which a Norwegian spreadsheet reads as a number).

    Every text cell is already formula-safe (``guard``: ``cell_safe``), so ``csv_stream``
    writes the rows as they are; each distinct office, position and name is checked once, not
    once a row. The workbook passes ``guard=as_is`` and guards its cells by style
    (``xlsx_write``), so a name shows as written, without a visible apostrophe.
    """
    labels = background_labels() if with_backgrounds else {}
    # Translated once, not per row: an export may hold 200,000 rows.
    statuses = {value: guard(str(label)) for value, label in SeatStatus.choices}
    attended_labels = {
        SeatStatus.ATTENDED: guard(_("Yes")),
        SeatStatus.NO_SHOW: guard(_("No")),
    }
    erased = (guard(_("(erased)")), "")
    zero: Decimal | str = Decimal("0.00")
    amounts = roster_honoraria(user, filters)
    honoraria: dict[int, Any] = amounts
    if as_text:
        texts = {
            amount: amount_text(amount, separator=separator)
            for amount in set(amounts.values()) | {Decimal("0.00")}
        }
        honoraria = {pk: texts[amount] for pk, amount in amounts.items()}
        zero = texts[Decimal("0.00")]
    names = _Names(export_offices(user, filters), guard=guard)
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
                statuses.get(status) or guard(status),
                attended_labels.get(status, ""),
                honoraria.get(pk, zero),
            ]
            if with_backgrounds:
                if isinstance(snapshot, str):
                    snapshot = json.loads(snapshot)
                if person is None:
                    slugs = set()
                elif status in SAID_YES_STATUSES or snapshot:
                    slugs = set(snapshot)
                else:
                    slugs = current.get(person, set())
                row.append(
                    guard(", ".join(label for slug, label in labels.items() if slug in slugs))
                )
            yield row


def _current_backgrounds(chunk: list[tuple[Any, ...]]) -> dict[int, set[str]]:
    """The backgrounds now of the representatives whose seats count with them (no snapshot;
    see ``rosters.selectors``): one query per chunk of ``EXPORT_COLUMNS`` rows (8 is the
    representative, 5 the snapshot, 1 the status)."""
    wanted = {
        row[8]
        for row in chunk
        if row[8] and row[5] in ("", "[]", None, []) and row[1] not in SAID_YES_STATUSES
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
    auto-filter over the rows, dates as dates, a text that a spreadsheet would run as a formula
    guarded by the quote-prefix style (``xlsx_guard``; ``rows`` come unguarded, from
    ``roster_rows(guard=as_is)``). Returns the rows written; ``progress(written)``
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
        cell = xlsx_guard(WriteOnlyCell(sheet, value=title))
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
            elif isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
                values.append(xlsx_guard(WriteOnlyCell(sheet, value=value)))
            else:
                values.append(value)
        sheet.append(values)
        written += 1
        if progress is not None and written % every == 0:
            progress(written)
    # The filter is written at the sheet's end, so it can cover exactly the rows written.
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{written + 1}"
    workbook.save(target)
    return written


def csv_by_copy(seats: QuerySet[Seat], *, with_backgrounds: bool) -> bool:
    """Whether ``csv_copy`` writes this CSV: on PostgreSQL, without the backgrounds column
    (rare, audited, and decided per seat in Python by ``roster_rows``)."""
    return connections[seats.db].vendor == "postgresql" and not with_backgrounds


def _copy_query(seats: QuerySet[Seat], *, separator: str) -> tuple[str, list[Any]]:
    """``COPY (SELECT ...) TO STDOUT`` of ``seats`` with the cells of ``roster_rows(as_text=True)``
    as ``csv_stream`` writes them: the same labels (of the active language), the same
    ``cell_safe`` rule (``cell_safe_sql``), an empty cell for what Python leaves empty (NULL:
    PostgreSQL quotes an empty string, Python's ``csv`` does not) and the honorarium from the
    temporary table ``csv_copy`` fills. The roster's query is a subquery without its order,
    sorted again by the roster's own sort keys (the same order, ties broken by id)."""
    # The roster orders by field names only (SORTS), never by expressions.
    order = cast(list[str], list(seats.query.order_by) or list(SORTS["date"]))
    zone = timezone.get_current_timezone()
    keys = {f"sort{index}": F(key.lstrip("-")) for index, key in enumerate(order)}
    inner_sql, inner_params = (
        seats.prefetch_related(None)
        .order_by()
        .annotate(
            local_day=Cast(TruncDate("starts_at", tzinfo=zone), CharField()),
            local_start=Cast(TruncTime("starts_at", tzinfo=zone), CharField()),
            local_end=Cast(TruncTime("ends_at", tzinfo=zone), CharField()),
            **keys,
        )
        .values_list(
            "pk",
            "status",
            "local_day",
            "local_start",
            "local_end",
            "panel_id",
            "panel__round__office__name",
            "panel__round__position_title",
            "representative_id",
            "representative__name",
            "representative__organisation",
            *keys,
        )
        .query.sql_with_params()
    )
    columns = (
        "pk, status, local_day, local_start, local_end, panel_id, office, position, "
        "person, name, organisation, " + ", ".join(keys)
    )
    statuses = [(value, cell_safe(str(label))) for value, label in SeatStatus.choices]
    status_cases = " ".join("WHEN %s THEN %s" for _value in statuses)
    ordering = ", ".join(
        f"e.sort{index}{' DESC' if key.startswith('-') else ''}" for index, key in enumerate(order)
    )

    def text(expression: str) -> str:
        return f"NULLIF({cell_safe_sql(expression)}, '')"

    # Built from constants and column names only; every value is a parameter, listed in the
    # order of its placeholder.
    select = (
        "SELECT e.local_day, left(e.local_start, 5) || %s || left(e.local_end, 5), "
        f"{text('e.office')}, {text('e.position')}, e.panel_id, "
        f"CASE WHEN e.person IS NULL THEN %s ELSE {text('e.name')} END, "
        f"{text('e.organisation')}, "
        f"CASE e.status {status_cases} ELSE {text('e.status')} END, "
        "CASE e.status WHEN %s THEN %s WHEN %s THEN %s END, "
        "COALESCE(e.amount, %s) "
    )
    select_params = [
        "–",
        cell_safe(_("(erased)")),
        *[part for pair in statuses for part in pair],
        SeatStatus.ATTENDED.value,
        cell_safe(_("Yes")),
        SeatStatus.NO_SHOW.value,
        cell_safe(_("No")),
        amount_text(Decimal("0.00"), separator=separator),
    ]
    # The rows are joined to their honoraria and sorted narrow (OFFSET 0 keeps that level
    # whole), then formatted: formatting before the sort would sort the wide text instead.
    # The outer ORDER BY costs nothing (the rows come sorted by the same keys) and makes the
    # order guaranteed rather than incidental.
    sorted_rows = (
        f"SELECT e.*, a.amount FROM ({inner_sql}) AS e ({columns}) "  # noqa: S608  # nosec B608
        "LEFT JOIN pg_temp.roster_export_amounts AS a ON a.seat_id = e.pk "
        f"ORDER BY {ordering} OFFSET 0"
    )
    sql = (
        f"COPY ({select}FROM ({sorted_rows}) AS e ORDER BY {ordering}) "
        "TO STDOUT WITH (FORMAT csv, HEADER false, DELIMITER %s, ENCODING 'UTF8')"
    )
    return sql, [*select_params, *inner_params, separator]


def csv_copy(
    seats: QuerySet[Seat],
    *,
    user: User,
    filters: RosterFilters,
    header: list[str],
    separator: str,
) -> IO[bytes]:
    """The CSV of ``seats`` (``roster_for_user`` with ``filters``, no backgrounds) written by
    PostgreSQL, as a file positioned at its start: a byte-order mark and the header, then one
    ``COPY ... TO STDOUT`` (lines end in LF; Python's ``csv`` ends them in CRLF, both read the
    same). The honoraria are computed once in Python (``roster_honoraria``, the payroll rules)
    and loaded into a temporary table with ``COPY ... FROM STDIN`` for the query to join. The
    file stays in memory up to ``SPOOL_BYTES``, then moves to disk, so memory stays flat."""
    sql, params = _copy_query(seats, separator=separator)
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    head = io.StringIO()
    head.write("\ufeff")
    csv.writer(head, delimiter=separator, lineterminator="\n").writerow(row_safe(header))
    body.write(head.getvalue().encode())
    connection = connections[seats.db]
    try:
        # One transaction: the honoraria are read with a plain server-side cursor (outside one
        # Django holds the cursor, copying the result first), and the temporary table lives
        # only inside it (or its savepoint): dropped at the end, gone with a rollback.
        with transaction.atomic(using=seats.db), connection.cursor() as cursor:
            amounts = io.StringIO()
            honoraria = roster_honoraria(user, filters)
            texts = {
                amount: amount_text(amount, separator=separator)
                for amount in set(honoraria.values())
            }
            amounts.writelines(f"{pk}\t{texts[amount]}\n" for pk, amount in honoraria.items())
            del honoraria
            amounts.seek(0)
            cursor.execute(
                "CREATE TEMPORARY TABLE roster_export_amounts (seat_id bigint, amount text) "
                "ON COMMIT DROP"
            )
            raw = cursor.cursor
            raw.copy_expert("COPY pg_temp.roster_export_amounts FROM STDIN", amounts)
            del amounts
            cursor.execute("ANALYZE pg_temp.roster_export_amounts")
            raw.copy_expert(raw.mogrify(sql, params).decode(), body)
            cursor.execute("DROP TABLE pg_temp.roster_export_amounts")
    except BaseException:
        body.close()
        raise
    body.seek(0)
    return body
