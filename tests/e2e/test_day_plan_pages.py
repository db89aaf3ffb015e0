"""The day itself in a real browser (issue 18, point 4): the day plan printed to PDF by chromium
holds the times, candidates and representatives and no navigation; a weekend day is warned about
before it is planned."""

import io
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from panels import services
from panels.enums import SeatStatus
from tests.e2e.conftest import assert_no_axe_violations
from tests.e2e.test_undo_journeys import _as
from tests.factories.panels import OpenRoundFactory, PoolRepresentativeFactory, panel_for
from tests.factories.rounds import in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_day_plan_printed_to_pdf_holds_the_day_and_no_navigation(
    page, live_server, leader_a, office_a
):
    hiring_round = OpenRoundFactory(office=office_a, position_title="Veileder, Team Ung")
    panel = panel_for(hiring_round, interviews=2)
    panel.staff.create(name="Tone Tillitsvalgt", role="Tillitsvalgt", email="tone@nav.no")
    kari = PoolRepresentativeFactory(
        name="Kari Nordmann",
        phone="+47 912 34 567",
        support_needs="Trinnfri adgang",
        offices=[office_a],
    )
    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    candidates = [i.candidate.name for i in panel.interviews.order_by("starts_at")]
    _as(page, live_server, leader_a)

    page.goto(f"/paneler/{panel.pk}/")
    page.get_by_role("link", name="Dagsplan til utskrift").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dagsplan")
    assert_no_axe_violations(page)
    pdf = page.pdf(format="A4")

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("09:00–10:00", "10:00–11:00", *candidates, "Kari Nordmann"):
        assert expected in text, f"{expected!r} is not in the printed day plan"
    assert "+47 912 34 567" in text
    assert "Trinnfri adgang" in text
    assert "Tone Tillitsvalgt" in text
    for navigation in ("Oversikt", "Rekrutteringsrunder", "Logg ut", "Skriv ut", "Tilbake"):
        assert navigation not in text, f"{navigation!r} is printed"


def test_a_saturday_is_warned_about_before_the_day_is_planned(
    page, live_server, leader_a, office_a
):
    hiring_round = OpenRoundFactory(office=office_a)
    saturday = in_days(7)
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    _as(page, live_server, leader_a)

    page.goto(f"/runder/{hiring_round.pk}/intervjudager/ny/")
    page.get_by_label("Dato", exact=True).fill(saturday.isoformat())
    page.get_by_label("Første intervju starter").fill("09:00")
    page.get_by_role("button", name="Planlegg intervjuene").click()

    expect(page.get_by_text("er ikke en arbeidsdag (lørdag)").first).to_be_visible()
    assert not hiring_round.interviews.exists()
    assert_no_axe_violations(page)
    page.get_by_label("Planlegg likevel den dagen").check()
    page.get_by_role("button", name="Planlegg intervjuene").click()
    expect(page.get_by_role("status")).to_contain_text("intervjuer ble planlagt")
    assert hiring_round.interviews.count() == 4


def test_moving_a_panel_to_a_saturday_is_warned_about_before_it_moves(
    page, live_server, leader_a, office_a
):
    panel = panel_for(OpenRoundFactory(office=office_a), interviews=2)
    before = panel.starts_at
    saturday = in_days(28)
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    _as(page, live_server, leader_a)

    page.goto(f"/paneler/{panel.pk}/")
    page.get_by_text("Flytt alle intervjuene i panelet samtidig").click()
    page.get_by_label("Ny dato").fill(saturday.isoformat())
    page.get_by_role("button", name="Flytt panelet").click()

    expect(page.get_by_text("er ikke en arbeidsdag (lørdag)").first).to_be_visible()
    panel.refresh_from_db()
    assert panel.starts_at == before
    assert_no_axe_violations(page)
    page.get_by_label("Planlegg likevel den dagen").check()
    page.get_by_role("button", name="Flytt panelet").click()
    expect(page.get_by_role("status").first).to_contain_text("Panelet ble flyttet")
    panel.refresh_from_db()
    assert panel.starts_at.date() == saturday
