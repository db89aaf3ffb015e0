"""NAV's error summary after a failed submit (issue 14, point 8), as a person on a phone meets it.

The page comes back with Aksel's ErrorSummary at the top, focus on its heading (so a screen
reader reads it and the phone shows it, not the top of a long page), each error a link that
takes the person to the field it is about.
"""

import pytest
from playwright.sync_api import expect

from panels import links
from panels.enums import SeatStatus
from panels.models import Representative, Seat
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import BackgroundFactory, RepresentativeFactory
from tests.factories.links import ConsentTextFactory, invited_seat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADING = "Du må rette disse feilene før du kan fortsette:"


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 844


def test_yes_without_the_declaration_puts_the_error_summary_in_focus_on_a_phone(
    phone_page, office_a
):
    page = phone_page
    seat = invited_seat(office=office_a)
    page.goto(path_of(links.seat_url(seat.pk)))

    page.get_by_role("button", name="Ja, jeg kommer").click()

    summary_heading = page.get_by_role("heading", name=HEADING, level=2)
    expect(summary_heading).to_be_focused()
    assert in_view(page, summary_heading)
    error_link = page.get_by_role(
        "link", name="Kryss av i boksen for å signere taushetserklæringen."
    )
    expect(error_link).to_be_visible()
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.INVITED

    error_link.click()

    checkbox = page.get_by_role(
        "checkbox", name="Jeg har lest taushetserklæringen og vil overholde den"
    )
    expect(checkbox).to_be_focused()
    assert in_view(page, checkbox)


def test_consent_without_the_tick_puts_the_error_summary_in_focus_on_a_phone(phone_page, office_a):
    page = phone_page
    ConsentTextFactory()
    BackgroundFactory()
    person = RepresentativeFactory()
    person.offices.set([office_a])
    page.goto(path_of(links.consent_url(person.pk)))

    page.get_by_role("button", name="Ja, jeg samtykker").click()

    expect(page.get_by_role("heading", name=HEADING, level=2)).to_be_focused()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Kryss av i boksen for å gi samtykke.").click()
    expect(page.get_by_role("checkbox", name="Jeg har lest teksten om samtykke")).to_be_focused()
    assert Representative.objects.get(pk=person.pk).consents.count() == 0


def test_a_failed_sign_in_puts_the_error_summary_in_focus(phone_page, leader_a):
    page = phone_page
    page.goto("/konto/login/")
    page.get_by_label("E-post").fill(leader_a.email)
    page.get_by_label("Passord").fill("not the password")

    page.get_by_role("button", name="Logg inn").click()

    expect(page.get_by_role("heading", name=HEADING, level=2)).to_be_focused()
    expect(page.locator("[data-error-summary] a")).to_have_count(1)
    assert_no_axe_violations(page)
