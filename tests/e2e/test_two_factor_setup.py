"""HR's first sign-in (issue 18): the setup page says why HR must use an authenticator app and
how, and the recovery codes page, in NAV's look, leads on to the work."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import hotp_value
from django.core.cache import cache
from django.test import override_settings
from playwright.sync_api import expect

from tests.factories import PASSWORD

from .conftest import assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(MFA_REQUIRED=True)
def test_hr_is_told_why_sets_up_an_authenticator_and_is_led_on_from_the_recovery_codes(page, hr):
    cache.clear()
    sign_in(page, hr.email, PASSWORD)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Bekreft")).click()

    expect(page.get_by_role("heading", name="Slå på tofaktorinnlogging", level=1)).to_be_visible()
    expect(
        page.get_by_text("HR-rådgivere og administratorer må logge inn med en kode")
    ).to_be_visible()
    expect(page.get_by_role("img", name="QR-kode for autentiseringsappen")).to_be_visible()
    assert_no_axe_violations(page)
    key = page.locator(".totp-secret").inner_text().strip()
    page.get_by_label("Autentiseringskode").fill(f"{hotp_value(key, int(time.time()) // 30):06d}")
    page.get_by_role("button", name="Aktiver").click()

    expect(page.get_by_role("heading", name="Gjenopprettingskoder", level=1)).to_be_visible()
    expect(
        page.get_by_role("list", name="Ubrukte gjenopprettingskoder").get_by_role("listitem")
    ).to_have_count(10)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Jeg har tatt vare på kodene – fortsett").click()

    expect(page.get_by_role("heading", name="Oversikt", level=1)).to_be_visible()
