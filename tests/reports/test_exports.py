"""Honoraria files for payroll: CSV and Excel shape, formula cells neutralised, audited."""

import csv
import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.urls import reverse

from audit.enums import AuditAction
from audit.models import AuditEvent
from tests.factories.panels import PoolRepresentativeFactory
from tests.factories.reports import past_seat

pytestmark = pytest.mark.django_db


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_csv_has_a_payroll_shape_with_bom_semicolons_and_decimal_commas(
    client, hr, scenario, quarter_query
):
    client.force_login(hr)

    response = client.get(
        reverse("honoraria"), {**quarter_query, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response["Content-Disposition"].startswith('attachment; filename="honorar-')
    rows = _csv_rows(response)
    assert rows[0] == ["Name", "Reference", "Office", "Date", "Line item", "Amount (NOK)"]
    kari = [row for row in rows[1:] if row[0] == "Kari Rana"]
    assert [row[5] for row in kari] == ["1500,00", "1800,00", "250,50"]
    assert {row[1] for row in kari} == {f"R-{scenario['kari'].pk}"}
    assert kari[0][3] == (scenario["first"] + timedelta(days=9)).isoformat()
    assert "Per Hådeland" in [row[0] for row in rows]
    assert len(rows) == 1 + 5


def test_csv_with_commas_uses_a_decimal_point(client, hr, scenario, quarter_query):
    client.force_login(hr)

    response = client.get(
        reverse("honoraria"), {**quarter_query, "format": "csv", "separator": ","}
    )

    text = response.content.decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert sum(float(row[5]) for row in rows[1:]) == pytest.approx(6850.50)


def test_formula_in_a_name_is_neutralised_in_both_files(
    client, hr, office_a, scenario, quarter_query
):
    sly = PoolRepresentativeFactory(
        name='=HYPERLINK("http://x.example","Klikk")', offices=[office_a]
    )
    past_seat(office=office_a, representative=sly, day=scenario["first"] + timedelta(days=3))
    client.force_login(hr)

    csv_response = client.get(reverse("honoraria"), {**quarter_query, "format": "csv"})
    xlsx_response = client.get(reverse("honoraria"), {**quarter_query, "format": "xlsx"})

    names = [row[0] for row in _csv_rows(csv_response)]
    assert '\'=HYPERLINK("http://x.example","Klikk")' in names
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    cells = [sheet.cell(row=r, column=1) for r in range(2, sheet.max_row + 1)]
    assert all(cell.data_type != "f" for cell in cells)
    # In the workbook the quote-prefix style guards it: shown as written, no apostrophe.
    [guarded] = [cell for cell in cells if str(cell.value).startswith("=HYPERLINK")]
    assert guarded.quotePrefix is True


def test_excel_has_a_frozen_filtered_header_and_typed_cells(client, hr, scenario, quarter_query):
    client.force_login(hr)

    response = client.get(reverse("honoraria"), {**quarter_query, "format": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:F{sheet.max_row}"
    assert sheet.max_row == 1 + 5
    first = [cell.value for cell in sheet[2]]
    assert isinstance(first[3], (datetime, date))
    assert sum(float(sheet.cell(row=r, column=6).value) for r in range(2, 7)) == pytest.approx(
        6850.50
    )
    names = [sheet.cell(row=r, column=1).value for r in range(2, 7)]
    assert "Per Hådeland" in names


def test_every_export_writes_an_audit_row_with_the_filter_and_the_count(
    client, hr, scenario, quarter_query
):
    client.force_login(hr)

    client.get(reverse("honoraria"), {**quarter_query, "format": "csv"})
    client.get(reverse("honoraria"), {**quarter_query, "format": "xlsx"})

    events = list(AuditEvent.objects.filter(action=AuditAction.HONORARIA_EXPORTED).order_by("id"))
    assert [(e.actor_id, e.detail["format"], e.detail["rows"]) for e in events] == [
        (hr.pk, "csv", 5),
        (hr.pk, "xlsx", 5),
    ]
    assert events[0].detail["date_from"] == scenario["first"].isoformat()
    assert "Kari" not in str(events[0].detail)


def test_viewing_the_page_is_not_an_export(client, hr, scenario, quarter_query):
    client.force_login(hr)

    client.get(reverse("honoraria"), quarter_query)

    assert not AuditEvent.objects.filter(action=AuditAction.HONORARIA_EXPORTED).exists()
