"""The development mail page in a real browser: readable on a desktop and a phone, by keyboard,
with no axe violations and no script from an email ever running."""

from collections.abc import Iterator

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from outbox.models import OutboxStatus
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories.outbox import OutboxMessageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.outbox.urls"),
]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def superuser_page(request, browser, live_server, settings) -> Iterator[object]:
    """An English browser signed in as a staff superuser, in development (DEBUG on)."""
    settings.DEBUG = True
    admin = User.objects.create_superuser(email="admin@navpanel.no", password="x", name="Admin")
    client = Client()
    client.force_login(admin)
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport=VIEWPORTS[request.param],
        is_mobile=request.param == "phone",
        has_touch=request.param == "phone",
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_superuser_reads_an_email_from_the_list_by_keyboard(superuser_page):
    page = superuser_page
    OutboxMessageFactory(subject="Gammel melding")
    OutboxMessageFactory(
        subject="Invitasjon til intervjupanel hos NAV Rana",
        to="kari.nordmann.med.en.lang.adresse@example.no",
        status=OutboxStatus.SENT,
        body_text="Hei Kari,\nsvar her: https://navpanel.nav.no/r/" + "x" * 120,
        body_html=(
            '<p style="color: #202733">Hei Kari</p>'
            "<script>document.body.className = 'script-ran'</script>"
        ),
    )

    page.goto("/internal/mail/")
    expect(page.get_by_role("heading", name="Outgoing email", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    link = page.get_by_role("link", name="Invitasjon til intervjupanel hos NAV Rana")
    link.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Text version", level=2)).to_be_visible()
    expect(page.get_by_text("svar her: https://navpanel.nav.no/r/")).to_be_visible()
    frame = page.frame_locator("iframe[title='HTML version of the email']")
    expect(frame.get_by_text("Hei Kari")).to_be_visible()
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    html_frame = next(f for f in page.frames if f != page.main_frame)
    assert html_frame.evaluate("document.body.className") == ""
