"""Honoraria as files a payroll clerk opens: one line per payable item."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from navpanel.spreadsheets import amount_text, row_safe, xlsx_guard

from .honoraria import HonorariumLine


def _header() -> list[str]:
    return [_("Name"), _("Reference"), _("Office"), _("Date"), _("Line item"), _("Amount (NOK)")]


def honoraria_csv(lines: Iterable[HonorariumLine], *, separator: str = ";") -> str:
    """UTF-8 text with a byte order mark (so Excel reads æøå). With ``;`` (Norwegian Excel)
    amounts have a decimal comma, with ``,`` a decimal point."""

    def amount(value: Decimal) -> str:
        return amount_text(value, separator=separator)

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(_header())
    for line in lines:
        writer.writerow(
            row_safe(
                [
                    line.representative_name,
                    line.reference,
                    line.office_name,
                    line.date.isoformat(),
                    line.description,
                    amount(line.amount),
                ]
            )
        )
    return out.getvalue()


def honoraria_xlsx(lines: Iterable[HonorariumLine]) -> bytes:
    """An Excel workbook: bold, frozen header with an auto-filter, typed dates and amounts."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Honoraria")[:31]
    sheet.append(_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append(
            [
                line.representative_name,
                line.reference,
                line.office_name,
                line.date,
                line.description,
                line.amount,
            ]
        )
        row = sheet.max_row
        # Text a spreadsheet would run as a formula: guarded by style, shown as written.
        for text_column in (1, 2, 3, 5):
            xlsx_guard(sheet.cell(row=row, column=text_column))
        sheet.cell(row=row, column=4).number_format = "yyyy-mm-dd"
        sheet.cell(row=row, column=6).number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column, width in zip("ABCDEF", (30, 12, 24, 12, 44, 14), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
