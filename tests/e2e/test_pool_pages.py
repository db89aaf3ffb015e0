"""The pool pages in a real browser, in English: list, add, import with an error, on a phone."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from panels.enums import RepresentativeStatus
from panels.models import Representative
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import BackgroundFactory, RepresentativeFactory
from tests.factories.pool import SeatFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    """Sign in by session cookie: these tests are about the pool, not the sign-in page."""
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


@pytest.fixture
def backgrounds(db):
    return [
        BackgroundFactory(slug="mental_health", name="Psykisk helse", name_en="Mental health"),
        BackgroundFactory(slug="senior", name="Senior (55+)", name_en="Senior (55+)"),
    ]


def test_leader_adds_a_representative_and_sees_them_awaiting_consent(
    en_page, live_server, leader_a, office_a, backgrounds
):
    page = en_page
    existing = RepresentativeFactory(name="Kari Rana", status=RepresentativeStatus.ACTIVE)
    existing.offices.add(office_a)
    _sign_in(page, live_server, leader_a)

    page.goto("/brukerrepresentanter/")
    expect(page.get_by_role("heading", name="Representatives", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Kari Rana")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Add a representative").click()
    expect(page.get_by_role("heading", name="Add a representative", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Name", exact=True).fill("Åse Øren")
    page.get_by_role("textbox", name="Email").fill("ase@example.no")
    page.get_by_label("Birth year").fill("1960")
    page.get_by_role("checkbox", name="Mental health").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Åse Øren", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("was added and is awaiting consent")
    expect(page.get_by_text("Awaiting consent", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    assert Representative.objects.get(email="ase@example.no").status == "awaiting_consent"


def test_add_form_shows_an_error_next_to_the_field_without_violations(
    en_page, live_server, leader_a, office_a
):
    page = en_page
    _sign_in(page, live_server, leader_a)
    page.goto("/brukerrepresentanter/ny/")

    page.get_by_label("Name", exact=True).fill("Per")
    page.get_by_role("textbox", name="Email").fill("ikke en adresse")
    page.get_by_role("button", name="Save").click()

    # In the error summary at the top, and next to the field.
    expect(page.get_by_role("link", name="Enter a valid email address.")).to_be_visible()
    expect(
        page.locator(".aksel-error-message", has_text="Enter a valid email address.")
    ).to_be_visible()
    assert_no_axe_violations(page)


def test_import_with_an_error_names_the_line_and_adds_nobody(
    en_page, live_server, leader_a, office_a, backgrounds
):
    page = en_page
    _sign_in(page, live_server, leader_a)
    page.goto("/brukerrepresentanter/import/")
    expect(page.get_by_role("heading", name="Import representatives", level=1)).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("CSV file").set_input_files(
        {
            "name": "pool.csv",
            "mimeType": "text/csv",
            "buffer": (
                "\ufeffname;email;backgrounds\n"
                "Åse Øren;ase@example.no;Psykisk helse\n"
                "Per Feil;per-at-example.no;senior\n"
            ).encode(),
        }
    )
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_text("Nothing was imported.")).to_be_visible()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        "line 3: the email address “per-at-example.no” is not valid"
    )
    assert_no_axe_violations(page)
    assert not Representative.objects.exists()


def test_detail_page_with_seat_history_has_no_violations(
    en_page, live_server, leader_a, office_a, backgrounds
):
    page = en_page
    representative = RepresentativeFactory(name="Kari Rana", support_needs="Tolk")
    representative.offices.add(office_a)
    representative.backgrounds.add(backgrounds[0])
    SeatFactory(
        representative=representative,
        panel__round__office=office_a,
        panel__round__position_title="Erfaringskonsulent",
    )
    _sign_in(page, live_server, leader_a)

    page.goto(f"/brukerrepresentanter/{representative.pk}/")

    expect(page.get_by_role("heading", name="Kari Rana", level=1)).to_be_visible()
    expect(page.get_by_text("Tolk")).to_be_visible()
    expect(page.get_by_role("link", name="Erfaringskonsulent")).to_be_visible()
    assert_no_axe_violations(page)


def test_list_is_usable_with_the_keyboard_at_390_px(
    en_phone_page, live_server, leader_a, office_a, backgrounds
):
    page = en_phone_page
    for name in ("Kari Rana", "Ola Nordmann", "Åse Øren"):
        representative = RepresentativeFactory(name=name, organisation="Mental Helse Hadeland")
        representative.offices.add(office_a)
        representative.backgrounds.add(*backgrounds)
    _sign_in(page, live_server, leader_a)

    page.goto("/brukerrepresentanter/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Below the filters on a phone: reached by scrolling down, never sideways.
    page.get_by_role("link", name="Kari Rana").scroll_into_view_if_needed()
    expect(page.get_by_role("link", name="Kari Rana")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_axe_violations(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Kari Rana":
            break
    expect(page.get_by_role("link", name="Kari Rana")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Kari Rana", level=1)).to_be_visible()
