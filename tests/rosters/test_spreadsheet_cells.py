"""What a spreadsheet makes of the exports (issue 18, point 6): amounts in a `;` CSV are numbers
to a Norwegian LibreOffice, whose sum is the honoraria total; a name a spreadsheet would run as a
formula shows as written in the workbooks, guarded by the quote-prefix style, not an apostrophe."""

import csv
import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from reports.honoraria import honoraria_lines, totals_from_lines
from tests.factories.reports import HonorariumRateFactory, TravelClaimFactory
from tests.factories.rosters import roster_seat

pytestmark = pytest.mark.django_db

Q1 = {"date_from": "2026-01-01", "date_to": "2026-03-31"}
# LibreOffice's CSV filter: separator ";" (59), text in double quotes (34), UTF-8 (76), from line
# 1, no column types, and the language Norwegian Bokmål (1044): as a Norwegian opens the file.
NORWEGIAN_CSV = "CSV:59,34,76,1,,1044"


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def paid_seats(office_a, office_b):
    HonorariumRateFactory(day_rate=Decimal("1500.00"))
    seats = [
        roster_seat(office=office_a, day=date(2026, 1, 12), name="Åse Ødegård"),
        roster_seat(office=office_a, day=date(2026, 2, 3), name="Bjørn Æsøy", hour=13),
        roster_seat(office=office_b, day=date(2026, 2, 4), name="Kåre Løvås"),
    ]
    TravelClaimFactory(seat=seats[0], amount=Decimal("245.50"))
    TravelClaimFactory(seat=seats[2], amount=Decimal("88.90"))
    return seats


def test_the_semicolon_csv_writes_a_decimal_comma_and_the_comma_csv_a_point(client, hr, paid_seats):
    client.force_login(hr)

    semicolon = _body(client.get(reverse("roster_export_csv"), {**Q1, "separator": "semicolon"}))
    comma = _body(client.get(reverse("roster_export_csv"), {**Q1, "separator": "comma"}))

    semicolon_rows = list(csv.reader(io.StringIO(semicolon.decode("utf-8-sig")), delimiter=";"))
    comma_rows = list(csv.reader(io.StringIO(comma.decode("utf-8-sig")), delimiter=","))
    assert [row[9] for row in semicolon_rows[1:]] == ["1745,50", "1500,00", "1588,90"]
    assert [row[9] for row in comma_rows[1:]] == ["1745.50", "1500.00", "1588.90"]


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is missing: `make office`, part of `make test`, installs it",
)
def test_norwegian_libreoffice_reads_the_semicolon_csvs_amounts_as_numbers_summing_to_the_total(
    client, hr, paid_seats, tmp_path
):
    client.force_login(hr)
    response = client.get(reverse("roster_export_csv"), {**Q1, "separator": "semicolon"})
    (tmp_path / "roster.csv").write_bytes(_body(response))

    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--infilter=" + NORWEGIAN_CSV,
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "roster.csv"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheet = openpyxl.load_workbook(tmp_path / "roster.xlsx").active
    amounts = [row[9].value for row in sheet.iter_rows(min_row=2)]

    lines = honoraria_lines(user=hr, date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))
    total = totals_from_lines(lines).total
    assert all(isinstance(amount, int | float) for amount in amounts), amounts
    assert Decimal(str(round(sum(amounts), 2))) == total == Decimal("4834.40")


@pytest.mark.parametrize("url", ["roster_export_xlsx", "honoraria"])
def test_a_name_like_a_formula_shows_as_written_in_the_workbook_and_is_not_a_formula(
    client, hr, office_a, url
):
    HonorariumRateFactory()
    roster_seat(office=office_a, day=date(2026, 1, 12), name="=1+1")
    client.force_login(hr)
    query = {**Q1, "format": "xlsx"} if url == "honoraria" else Q1

    response = client.get(reverse(url), query)

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    [cell] = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == "=1+1"]
    assert cell.data_type == "s"
    assert cell.quotePrefix is True
    assert not any(
        str(c.value).startswith("'") for row in sheet.iter_rows() for c in row if c.value
    )
