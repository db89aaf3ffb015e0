"""HR in a real browser: honoraria for a quarter, the files, and the statistics page."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import PASSWORD, BackgroundFactory
from tests.factories.reports import honoraria_scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390, f"the page is {overflow} px wide on a 390 px phone"
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_hr_reads_honoraria_for_a_quarter_and_statistics_with_charts(
    en_page, live_server, hr, office_a, office_b
):
    page = en_page
    BackgroundFactory(slug="mental_health", name="Psykisk helse", name_en="Mental health")
    scenario = honoraria_scenario(office_a=office_a, office_b=office_b, today=timezone.localdate())
    quarter = f"Q{scenario['quarter']} {scenario['year']}"

    page.goto("/konto/login/")
    page.get_by_label("Email").fill(hr.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()

    page.goto("/hr/honorar/")
    expect(page.get_by_role("heading", name="Honoraria", level=1)).to_be_visible()
    page.get_by_label("Quarter").select_option(label=quarter)
    page.get_by_role("button", name="Show honoraria").click()
    expect(page.get_by_test_id("grand-total")).to_have_text("6,850.50")
    expect(page.get_by_role("heading", name="Kari Rana")).to_be_visible()
    expect(page.get_by_role("heading", name="Per Hådeland")).to_be_visible()
    assert_no_axe_violations(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    paid = sum(Decimal(row[5].replace(",", ".")) for row in rows[1:])
    assert paid == scenario["total"]
    assert "Per Hådeland" in {row[0] for row in rows}
    _fits_a_phone(page)

    page.goto(f"/hr/statistikk/?year={scenario['year']}")
    expect(page.get_by_role("heading", name="Statistics", level=1)).to_be_visible()
    expect(page.locator('svg[role="img"]')).to_have_count(3)
    expect(
        page.get_by_role("img", name="Share of interviews with at least one representative")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="<5").first).to_be_visible()
    assert_no_axe_violations(page)
    _fits_a_phone(page)
