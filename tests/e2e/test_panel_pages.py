"""The leader's panel pages in a real browser, in English: suggestions, inviting, accessibility."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from panels.enums import RepresentativeStatus, SeatStatus
from panels.models import Seat
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import BackgroundFactory
from tests.factories.panels import (
    BackgroundWantFactory,
    InterviewFactory,
    OpenRoundFactory,
    PoolRepresentativeFactory,
    day_at,
    panel_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, user) -> object:
    """Give the browser a session for ``user``: the sign-in page has its own tests."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page


@pytest.fixture
def panel_with_a_want(office_a):
    """A panel of three seats wanting substance use, and a pool of five (one without consent)."""
    substance = BackgroundFactory(
        slug="substance_use", name="Rus og recovery", name_en="Substance use and recovery"
    )
    young = BackgroundFactory(slug="young_adult", name="Ung voksen", name_en="Young adult")
    hiring_round = OpenRoundFactory(office=office_a, position_title="Veileder, Team Ung")
    BackgroundWantFactory(round=hiring_round, background=substance, at_least=1)
    panel = panel_for(hiring_round, seats_wanted=3, interviews=2)
    PoolRepresentativeFactory(
        name="Siri Solberg", offices=[office_a], backgrounds=[substance], birth_year=1975
    )
    PoolRepresentativeFactory(
        name="Jonas Berg", offices=[office_a], backgrounds=[young], birth_year=2001
    )
    PoolRepresentativeFactory(name="Nora Dahl", offices=[office_a], birth_year=1962)
    PoolRepresentativeFactory(name="Emil Lund", offices=[office_a], birth_year=1988)
    PoolRepresentativeFactory(
        name="Vera Venter",
        offices=[office_a],
        backgrounds=[substance],
        status=RepresentativeStatus.AWAITING_CONSENT,
    )
    return panel


def test_leader_sees_suggestions_with_reasons_and_invites_without_a_reload(
    en_page, live_server, leader_a, panel_with_a_want
):
    page = signed_in(en_page, live_server, leader_a)
    page.goto(f"/paneler/{panel_with_a_want.pk}/")
    expect(page.get_by_role("heading", name="Invite representatives")).to_be_visible()
    suggested = page.get_by_role("table", name="Suggested representatives")
    expect(suggested.get_by_role("row")).to_have_count(4)  # a header and three suggestions
    expect(suggested.get_by_role("checkbox", name="Siri Solberg")).to_be_checked()
    expect(suggested.get_by_text("Covers Substance use and recovery")).to_be_visible()
    expect(page.get_by_text("Vera Venter")).to_have_count(0)
    assert_no_axe_violations(page)
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("button", name="Invite", exact=True).click()

    seats = page.locator("#seats")
    expect(seats.get_by_text("Invited", exact=True)).to_have_count(3)
    expect(seats.get_by_role("rowheader", name="Siri Solberg")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Invited:")
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.get_by_text("Every seat is taken or has an invitation out.")).to_be_visible()
    assert_no_axe_violations(page)


def test_taking_a_representative_off_asks_to_confirm_and_works_with_the_keyboard(
    en_page, live_server, leader_a, panel_with_a_want
):
    page = signed_in(en_page, live_server, leader_a)
    page.goto(f"/paneler/{panel_with_a_want.pk}/")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.locator("#seats").get_by_text("Invited", exact=True)).to_have_count(3)

    page.get_by_role("link", name="Take off the panel – Siri Solberg").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Take Siri Solberg off the panel?")).to_be_visible()
    expect(page.get_by_text("no longer needed on the panel")).to_be_visible()
    assert_no_axe_violations(page)
    assert Seat.objects.filter(status=SeatStatus.CANCELLED).count() == 0
    page.get_by_role("button", name="Yes, take them off").focus()
    page.keyboard.press("Enter")

    row = page.locator("#seats").get_by_role("row").filter(has_text="Siri Solberg")
    expect(row.get_by_text("Cancelled", exact=True)).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text(
        "Siri Solberg was taken off the panel and told by email."
    )


def test_panel_create_page_has_no_axe_violations_and_makes_a_panel(
    en_page, live_server, leader_a, office_a
):
    hiring_round = OpenRoundFactory(office=office_a, position_title="Erfaringskonsulent")
    first = InterviewFactory(round=hiring_round, starts_at=day_at(14, 9))
    InterviewFactory(round=hiring_round, starts_at=day_at(14, 10))
    page = signed_in(en_page, live_server, leader_a)

    page.goto(f"/runder/{hiring_round.pk}/paneler/ny/?day={day_at(14, 9).date()}")

    expect(page.get_by_role("heading", name="New panel", level=1)).to_be_visible()
    expect(page.get_by_role("checkbox", name=first.candidate.name)).to_be_checked()
    assert_no_axe_violations(page)

    page.get_by_role("group", name="Interviewer 1").get_by_label("Name").fill("Tor Tillitsvalgt")
    page.get_by_role("group", name="Interviewer 1").get_by_label("Email").fill("tor@nav.no")
    page.get_by_role("button", name="Create the panel").click()

    expect(page.get_by_role("heading", name="Representative seats")).to_be_visible()
    expect(page.get_by_text("Tor Tillitsvalgt")).to_be_visible()


def test_panel_create_page_shows_errors_next_to_the_fields_without_axe_violations(
    en_page, live_server, leader_a, office_a
):
    hiring_round = OpenRoundFactory(office=office_a)
    InterviewFactory(round=hiring_round)
    page = signed_in(en_page, live_server, leader_a)
    page.goto(f"/runder/{hiring_round.pk}/paneler/ny/")

    page.get_by_role("button", name="Create the panel").click()

    # In the error summary at the top, and next to the field.
    expect(page.get_by_role("link", name="Choose at least one interview.")).to_be_visible()
    expect(
        page.locator(".aksel-error-message", has_text="Choose at least one interview.")
    ).to_be_visible()
    assert_no_axe_violations(page)


def test_dashboard_with_items_to_act_on_has_no_axe_violations(
    en_page, live_server, leader_a, panel_with_a_want
):
    page = signed_in(en_page, live_server, leader_a)

    page.goto("/")

    expect(page.get_by_role("heading", name="Needs action")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Veileder, Team Ung, "))).to_be_visible()
    assert_no_axe_violations(page)


def test_panel_page_is_usable_on_a_phone(en_phone_page, live_server, leader_a, panel_with_a_want):
    page = signed_in(en_phone_page, live_server, leader_a)
    page.goto(f"/paneler/{panel_with_a_want.pk}/")

    page.get_by_role("button", name="Invite", exact=True).click()

    expect(page.locator("#seats").get_by_text("Invited", exact=True)).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_axe_violations(page)
