"""The skeleton in a real browser: sign in, dashboard, language, sign out, accessibility."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, sign_in
from tests.factories import PASSWORD, HiringRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_signs_in_sees_own_rounds_and_signs_out(page, leader_a, office_a, office_b):
    HiringRoundFactory(office=office_a, position_title="Erfaringskonsulent Rana")
    HiringRoundFactory(office=office_b, position_title="Veileder Hadeland")

    sign_in(page, "leder.rana@navpanel.no", PASSWORD)

    expect(page.get_by_role("heading", name="Oversikt", level=1)).to_be_visible()
    expect(page.get_by_text("Rita Rana", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Erfaringskonsulent Rana")).to_be_visible()
    expect(page.get_by_text("Veileder Hadeland")).to_have_count(0)

    page.get_by_role("button", name="Logg ut").click()

    expect(page.get_by_role("heading", name="Logg inn", level=1)).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/konto/login/\?next=/$"))


def test_wrong_password_gives_a_clear_norwegian_message(page, leader_a):
    sign_in(page, "leder.rana@navpanel.no", "feil-passord")

    expect(page.get_by_text("E-postadressen og/eller passordet du oppgav er feil")).to_be_visible()


def test_language_switcher_turns_the_interface_into_english_and_back(page, leader_a):
    sign_in(page, "leder.rana@navpanel.no", PASSWORD)

    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Norsk bokmål").click()

    expect(page.get_by_role("heading", name="Oversikt", level=1)).to_be_visible()


def test_sign_in_page_and_dashboard_have_no_axe_violations(page, leader_a, office_a):
    HiringRoundFactory(office=office_a)
    page.goto("/konto/login/")
    assert_no_axe_violations(page)

    sign_in(page, "leder.rana@navpanel.no", PASSWORD)
    expect(page.get_by_role("heading", name="Oversikt", level=1)).to_be_visible()

    assert_no_axe_violations(page)


def test_sign_in_works_with_the_keyboard_alone_on_a_phone(phone_page, leader_a):
    page = phone_page
    page.goto("/konto/login/")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hopp til hovedinnholdet")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "login":
            break
    expect(page.get_by_label("E-post")).to_be_focused()
    page.keyboard.type("leder.rana@navpanel.no")
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "password":
            break
    expect(page.get_by_label("Passord")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Oversikt", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_axe_violations(page)


def test_leader_reaches_two_factor_setup_from_the_header(page, leader_a):
    sign_in(page, "leder.rana@navpanel.no", PASSWORD)

    page.get_by_role("link", name="Tofaktorinnlogging").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/konto/2fa/" in page.url
    assert_no_axe_violations(page)
