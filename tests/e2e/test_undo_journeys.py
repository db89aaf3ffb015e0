"""Undo in a real browser (issue 18, point 1): attendance, a travel claim and a candidate are
put right, HR's honoraria file shows the correction, and after the export nothing is undone."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from panels.enums import SeatStatus
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories.panels import InterviewFactory, OpenRoundFactory, PoolRepresentativeFactory
from tests.factories.reports import HonorariumRateFactory, past_seat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user) -> None:
    """The browser's session becomes ``user``'s (the sign-in page has its own tests)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _fits_a_phone(page) -> None:
    # No pointer left hovering over the header from the tap that opened the page.
    page.mouse.move(1, 843)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    assert_no_axe_violations(page)


def _honoraria_csv(page, day, last=None) -> list[list[str]]:
    """HR downloads the honoraria of ``day`` (to ``last``) as CSV, from the honoraria page."""
    last = last or day
    page.goto(f"/hr/honorar/?date_from={day:%Y-%m-%d}&date_to={last:%Y-%m-%d}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))[1:]


def _amounts(rows, name: str) -> list[Decimal]:
    return [Decimal(row[5].replace(",", ".")) for row in rows if row[0] == name]


def test_did_not_come_is_confirmed_corrected_paid_and_then_fixed_by_the_export(
    phone_page, live_server, leader_a, hr, office_a
):
    page = phone_page
    HonorariumRateFactory()
    day = timezone.localdate() - timedelta(days=1)
    seat = past_seat(
        office=office_a,
        representative=PoolRepresentativeFactory(name="Kari Nordmann", offices=[office_a]),
        day=day,
        status=SeatStatus.ACCEPTED,
    )
    _as(page, live_server, leader_a)

    page.goto(f"/paneler/{seat.panel_id}/")
    page.get_by_role("link", name="Kom ikke – Kari Nordmann").click()
    expect(page.get_by_role("heading", name="Kom ikke Kari Nordmann?", level=1)).to_be_visible()
    _fits_a_phone(page)
    page.get_by_role("button", name="Ja, hen kom ikke").click()
    expect(page.locator(f"#seat-{seat.pk}")).to_contain_text("Kom ikke")

    page.get_by_role("link", name="Rett oppmøtet – Kari Nordmann").click()
    expect(page.get_by_test_id("attendance-now")).to_contain_text("kom ikke")
    _fits_a_phone(page)
    page.get_by_role("button", name="Ja, hen kom").click()
    row = page.locator(f"#seat-{seat.pk}")
    expect(row).to_contain_text("Møtte")
    row.get_by_text("Historikk").click()
    expect(row).to_contain_text("Kom ikke → Møtte (rettet)")

    _as(page, live_server, hr)
    assert _amounts(_honoraria_csv(page, day), "Kari Nordmann") == [Decimal("1500.00")]

    _as(page, live_server, leader_a)
    page.goto(f"/plasser/{seat.pk}/oppmote/rett/")
    page.get_by_role("button", name="Ja, hen kom ikke").click()
    expect(page.get_by_text("Spør HR om å rette det")).to_be_visible()
    expect(page.locator(f"#seat-{seat.pk}")).to_contain_text("Møtte")


def test_a_travel_claim_corrected_is_paid_once_and_is_fixed_by_the_export(
    phone_page, live_server, leader_a, hr, office_a
):
    page = phone_page
    HonorariumRateFactory()
    day = timezone.localdate() - timedelta(days=1)
    seat = past_seat(
        office=office_a,
        representative=PoolRepresentativeFactory(name="Per Reise", offices=[office_a]),
        day=day,
    )
    _as(page, live_server, leader_a)

    page.goto(f"/hr/honorar/reise/{seat.pk}/")
    page.get_by_label("Beløp (kr)").fill("245.50")
    page.get_by_label("Hva reisen gjaldt").fill("Buss Mo i Rana–Korgen")
    page.get_by_role("button", name="Lagre reiseregningen").click()
    page.get_by_role("link", name="Rett – NOK 245,50").click()
    _fits_a_phone(page)
    page.get_by_label("Beløp (kr)").fill("246")
    page.get_by_role("button", name="Lagre rettingen").click()
    expect(page.get_by_text("rettet fra kr 245,50 til kr 246,00")).to_be_visible()
    _fits_a_phone(page)

    _as(page, live_server, hr)
    rows = _honoraria_csv(page, day)
    assert _amounts(rows, "Per Reise") == [Decimal("1500.00"), Decimal("246.00")]

    _as(page, live_server, leader_a)
    page.goto(f"/hr/honorar/reise/{seat.pk}/")
    expect(page.get_by_test_id("exported")).to_be_visible()
    expect(page.get_by_role("link", name="Rett – NOK 246,00")).to_have_count(0)
    expect(page.get_by_role("link", name="Slett – NOK 246,00")).to_have_count(0)
    claim_id = seat.travel_claims.get().pk
    page.goto(f"/hr/honorar/reisekrav/{claim_id}/slett/")
    page.get_by_role("button", name="Ja, slett den").click()
    expect(page.get_by_text("Spør HR om å rette det")).to_be_visible()
    assert seat.travel_claims.get().amount == Decimal("246.00")


def test_a_candidate_is_removed_and_not_once_their_day_is_exported(
    phone_page, live_server, leader_a, hr, office_a
):
    page = phone_page
    hiring_round = OpenRoundFactory(office=office_a, position_title="Veileder, Team Ung")
    kept = InterviewFactory(round=hiring_round, candidate__name="Sara Søker")
    twice = InterviewFactory(
        round=hiring_round,
        candidate__name="Dobbel Dobbelsen",
        starts_at=kept.ends_at,
        ends_at=kept.ends_at + timedelta(hours=1),
    )
    _as(page, live_server, leader_a)

    page.goto(f"/runder/{hiring_round.pk}/")
    page.get_by_text("Fjern", exact=True).and_(
        page.get_by_label("Fjern – Dobbel Dobbelsen")
    ).click()
    _fits_a_phone(page)
    page.get_by_role("button", name="Ja, fjern Dobbel Dobbelsen").click()
    expect(page.get_by_text("Dobbel Dobbelsen ble fjernet fra runden.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Dobbel Dobbelsen")).to_have_count(0)
    expect(page.get_by_text("En søker ble fjernet")).to_be_visible()
    twice.refresh_from_db()
    assert twice.candidate is None

    # HR sends this week to payroll, the coming interview day with it.
    HonorariumRateFactory()
    yesterday = timezone.localdate() - timedelta(days=1)
    past_seat(office=office_a, representative=PoolRepresentativeFactory(), day=yesterday)
    _as(page, live_server, hr)
    _honoraria_csv(page, yesterday, timezone.localdate(kept.starts_at))

    _as(page, live_server, leader_a)
    page.goto(f"/runder/{hiring_round.pk}/")
    page.get_by_label("Fjern – Sara Søker").click()
    page.get_by_role("button", name="Ja, fjern Sara Søker").click()
    expect(page.get_by_text("Spør HR om å rette det")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Sara Søker")).to_be_visible()
