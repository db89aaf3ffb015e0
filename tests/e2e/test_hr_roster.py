"""HR's roster in a real browser: filter to a county and a quarter, download CSV and Excel, and
find in the files exactly the rows on screen; a large Excel export through the worker."""

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from interviews.enums import County
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import PASSWORD, OfficeFactory
from tests.factories.rosters import roster_seat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roster_data(office_a, office_b):
    gjovik = OfficeFactory(name="NAV Gjøvik", county=County.INNLANDET)
    return [
        roster_seat(office=office_b, day=date(2026, 1, 14), name="Kåre Løvås"),
        roster_seat(office=gjovik, day=date(2026, 2, 26), name="Åshild Bjørnæs"),
        roster_seat(office=office_b, day=date(2026, 3, 31), hour=22, name="Øyvind Sæther"),
        # Another county, and the next quarter: not in the filtered roster.
        roster_seat(office=office_a, day=date(2026, 2, 2), name="Rana Utenfor"),
        roster_seat(office=office_b, day=date(2026, 4, 1), hour=8, name="April Utenfor"),
    ]


def _sign_in_english(page) -> None:
    page.goto("/konto/login/")
    page.get_by_label("Email").fill("hr@navpanel.no")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def _rows_on_screen(page) -> list[tuple[str, str, str]]:
    """(date, office, representative) of every row in the roster table."""
    rows = []
    for row in page.locator("table.roster-table tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows.append((cells[0].strip(), cells[1].strip(), cells[4].strip()))
    return rows


def _workbook(path: str) -> openpyxl.Workbook:
    # Playwright saves downloads without an extension; openpyxl wants one or a file object.
    return openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()))


def _as_screen_date(value: str | date) -> str:
    """The date as the English page writes every date ("14 January 2026")."""
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


def test_hr_filters_the_roster_and_downloads_exactly_those_rows(
    en_page, live_server, hr, roster_data, settings, celery_worker
):
    page = en_page
    _sign_in_english(page)
    page.get_by_role("link", name="Roster").click()
    expect(page.get_by_role("heading", name="Roster", level=1)).to_be_visible()

    page.get_by_label("County").select_option(label="Innlandet")
    page.get_by_label("From date").fill("2026-01-01")
    page.get_by_label("To date").fill("2026-03-31")
    page.get_by_role("button", name="Filter").click()

    expect(page.get_by_role("status")).to_have_text("3 seats")
    on_screen = _rows_on_screen(page)
    assert on_screen == [
        ("14 January 2026", "NAV Hadeland", "Kåre Løvås"),
        ("26 February 2026", "NAV Gjøvik", "Åshild Bjørnæs"),
        ("31 March 2026", "NAV Hadeland", "Øyvind Sæther"),
    ]
    assert_no_axe_violations(page)

    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download CSV").click()
    content = Path(csv_download.value.path()).read_bytes().decode("utf-8")
    assert content.startswith("\ufeff")
    _header, *rows = csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";")
    assert [(_as_screen_date(r[0]), r[2], r[5]) for r in rows] == on_screen

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download Excel").click()
    sheet = _workbook(xlsx_download.value.path()).active
    xlsx_rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(_as_screen_date(r[0].date()), r[2], r[5]) for r in xlsx_rows] == on_screen

    # The same roster as a "large" export: built by the worker, offered when ready.
    settings.ROSTER_EXPORT_SYNC_MAX_ROWS = 1
    page.get_by_role("link", name="Download Excel").click()
    expect(page.get_by_role("heading", name="Roster export", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    ready = page.get_by_role("link", name="Download Excel")
    expect(ready).to_be_visible(timeout=30_000)
    assert_no_axe_violations(page)
    with page.expect_download() as job_download:
        ready.click()
    sheet = _workbook(job_download.value.path()).active
    job_rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(_as_screen_date(r[0].date()), r[2], r[5]) for r in job_rows] == on_screen


def test_roster_on_a_phone_with_backgrounds_has_no_axe_violations(
    en_phone_page, live_server, hr, roster_data
):
    page = en_phone_page
    _sign_in_english(page)

    page.goto("/hr/?backgrounds=on&county=innlandet")

    expect(page.get_by_role("status")).to_have_text("4 seats")
    expect(page.get_by_role("columnheader", name="Backgrounds")).to_be_visible()
    page.get_by_role("region", name="Seats on interview panels").focus()
    assert_no_axe_violations(page)
