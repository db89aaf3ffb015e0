"""The accessibility statement (linked from every page's footer) and HR's audit log page, in a
real browser: reachable by keyboard, readable on a phone, and clean under axe-core."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from audit.enums import AuditAction
from audit.services import audit_record
from tests.e2e.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_the_statement_is_linked_from_the_sign_in_page_and_says_whom_to_tell(en_page):
    page = en_page
    page.goto("/konto/login/")

    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    expect(page.get_by_text("WCAG", exact=False).first).to_be_visible()
    expect(page.get_by_role("link", name="uutilsynet.no")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_statement_reads_on_a_phone_in_english(en_phone_page):
    en_phone_page.goto("/tilgjengelighet/")

    expect(en_phone_page.get_by_role("heading", name="Known deviations")).to_be_visible()
    width = en_phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert_no_axe_violations(en_phone_page)


def test_hr_reads_and_filters_the_audit_log(en_page, live_server, hr, office_a):
    page = en_page
    audit_record(action=AuditAction.POOL_EXPORTED, office=office_a, office_ids=[office_a.pk])
    audit_record(action=AuditAction.SEAT_CHANGED, office=office_a)
    _sign_in(page, live_server, hr)

    page.goto("/revisjon/")
    page.get_by_label("What").select_option(AuditAction.POOL_EXPORTED.value)
    page.get_by_role("button", name="Filter").click()

    expect(page.get_by_role("status")).to_contain_text("1 event")
    expect(page.get_by_role("cell", name="NAV Rana")).to_be_visible()
    assert_no_axe_violations(page)


def test_a_page_that_does_not_exist_answers_in_navs_look_with_a_way_back(page, phone_page):
    response = page.goto("/finnes-ikke/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Vi fant ikke siden")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Gå til forsiden i navpanel").click()
    expect(page.get_by_role("button", name="Logg inn")).to_be_visible()
    phone_page.goto("/r/finnes-ikke/")
    expect(phone_page.get_by_role("link", name="Gå til nav.no")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_axe_violations(phone_page)
