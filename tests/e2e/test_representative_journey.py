"""The representative's whole journey by email links, in a real browser, on a phone and a desktop.

Invitation email → seat page (new consent version and the declaration) → confirmation email with
its calendar file; saying no with a reason that the leader then reads; "my page" and withdrawing
consent; the feedback form after the day. axe-core runs on every page.
"""

import base64

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from outbox.models import OutboxMessage
from panels import links
from panels.enums import RepresentativeStatus, SeatStatus
from panels.models import ConsentGiven, Feedback, LinkVia, Representative, Seat
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories.links import ActiveRepresentativeFactory, ConsentTextFactory, invited_seat
from tests.factories.panels import PanelRowFactory, SeatFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chose_english"),
]

PHONE_WIDTH = 390


@pytest.fixture(params=["en_phone_page", "en_page"], ids=["phone", "desktop"])
def any_page(request):
    """The same journey on a phone (390×844) and on a desktop, in English."""
    return request.getfixturevalue(request.param)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def link_in(message: OutboxMessage, marker: str) -> str:
    """The path of the first link in the email's text that contains ``marker``."""
    url = next(word for word in message.body_text.split() if marker in word)
    return path_of(url)


def assert_fits(page) -> None:
    if page.viewport_size["width"] == PHONE_WIDTH:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def representative_with_old_consent(office) -> Representative:
    """Consented to version 1; version 2 has been published since."""
    representative = ActiveRepresentativeFactory(offices=[office], name="Kari Nordmann")
    ConsentGiven.objects.create(
        representative=representative,
        text=ConsentTextFactory(version=1),
        given_at=timezone.now(),
        via=LinkVia.CONSENT_LINK,
    )
    ConsentTextFactory(
        version=2,
        body="# Nytt\nVi lagrer også telefonnummer.",
        body_en="# What is new\nWe also store your phone number.",
    )
    return representative


def sign_in_leader(page, client, live_server, leader) -> None:
    client.force_login(leader)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_invitation_to_confirmation_with_the_new_consent_and_the_declaration(any_page, office_a):
    page = any_page
    representative = representative_with_old_consent(office_a)
    seat = invited_seat(office=office_a, representative=representative)
    invitation = OutboxMessage.objects.get(kind="invitation", representative_id=representative.pk)

    page.goto(link_in(invitation, "/r/plass/"))

    expect(page.get_by_role("heading", name="Veileder", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="New text about consent")).to_be_visible()
    expect(page.get_by_text("We also store your phone number.")).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits(page)

    page.get_by_label("I have read the new text about consent and agree").check()
    page.get_by_label("I have read the confidentiality declaration and will keep it").check()
    page.get_by_role("button", name="Yes, I'll come").click()

    expect(page.get_by_role("status")).to_contain_text("You have said yes")
    assert_no_axe_violations(page)
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.ACCEPTED
    assert ConsentGiven.objects.filter(
        representative=representative, text__version=2, via=LinkVia.SEAT_LINK
    ).exists()
    confirmation = OutboxMessage.objects.get(
        kind="confirmation", representative_id=representative.pk
    )
    (attachment,) = confirmation.attachments
    assert attachment["filename"].endswith(".ics")
    calendar = icalendar.Calendar.from_ical(base64.b64decode(attachment["content"]))
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == seat.panel.starts_at
    assert "/r/min-side/" in confirmation.body_text


def test_saying_no_with_a_reason_that_the_leader_then_reads(
    any_page, office_a, leader_a, client, live_server
):
    page = any_page
    seat = invited_seat(office=office_a, signed=True)
    invitation = OutboxMessage.objects.get(kind="invitation")

    page.goto(link_in(invitation, "/r/plass/"))
    page.get_by_label("Why not? (optional)").fill("Jeg er bortreist den uka.")
    page.get_by_role("button", name="No, not this time").click()

    expect(page.get_by_role("status")).to_contain_text("You have said no")
    assert_no_axe_violations(page)
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.DECLINED

    sign_in_leader(page, client, live_server, leader_a)
    page.goto(reverse("panel_detail", args=[seat.panel_id]))

    expect(page.get_by_text("Reason given: Jeg er bortreist den uka.")).to_be_visible()
    assert_no_axe_violations(page)


def test_withdrawing_consent_on_my_page(any_page, office_a, leader_a):
    page = any_page
    seat = invited_seat(office=office_a, signed=True)
    representative = seat.representative

    page.goto(path_of(links.my_page_url(representative.pk)))

    expect(page.get_by_role("heading", name="My page", level=1)).to_be_visible()
    expect(page.get_by_text("Veileder, NAV Rana")).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits(page)

    page.get_by_role("link", name="Withdraw my consent and delete my data…").click()

    expect(page.get_by_text("Are you sure?")).to_be_visible()
    assert Representative.objects.get(pk=representative.pk).status == RepresentativeStatus.ACTIVE
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Yes, withdraw my consent and delete my data").click()

    expect(
        page.get_by_role("heading", name="Your consent is withdrawn and your data deleted")
    ).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("We have deleted what we stored about you")
    assert_no_axe_violations(page)
    assert_fits(page)
    assert (Seat.objects.get(pk=seat.pk).status, Seat.objects.get(pk=seat.pk).representative) == (
        SeatStatus.WITHDRAWN,
        None,
    )
    assert not Representative.objects.filter(pk=representative.pk).exists()
    assert OutboxMessage.objects.filter(kind="withdrawn_notice", to=leader_a.email).count() == 1


def test_feedback_after_the_day(any_page, office_a):
    page = any_page
    seat = SeatFactory(panel=PanelRowFactory(round__office=office_a), status=SeatStatus.ATTENDED)

    page.goto(path_of(links.feedback_url(seat.pk)))

    expect(page.get_by_role("heading", name="How did it go?", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits(page)
    page.get_by_role("button", name="Send my answers").click()

    expect(
        page.get_by_role("heading", name="You must fix these errors before you can continue:")
    ).to_be_focused()
    assert_no_axe_violations(page)
    for question, rating in (
        ("I was well prepared", "4"),
        ("I was treated as a full member of the panel", "5 – agree"),
        ("The practical arrangements worked", "3"),
        ("I would take part again", "5 – agree"),
    ):
        page.get_by_role("group", name=question).get_by_label(rating, exact=True).check()
    page.get_by_label("Anything else you want to tell us? (optional)").fill("Godt organisert.")
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("status")).to_contain_text("Thank you for your answers!")
    assert_no_axe_violations(page)
    feedback = Feedback.objects.get()
    assert (feedback.well_prepared, feedback.full_member, feedback.comment) == (
        4,
        5,
        "Godt organisert.",
    )


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the element with the accessible ``name`` has focus, as a keyboard user."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return (e.labels && e.labels[0] ? e.labels[0].innerText : e.innerText) || ''; })()"
        )
        if focused.strip() == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_accepting_with_the_new_consent_by_keyboard_alone(en_phone_page, office_a):
    page = en_phone_page
    seat = invited_seat(office=office_a, representative=representative_with_old_consent(office_a))

    page.goto(path_of(links.seat_url(seat.pk)))
    tab_to(page, "I have read the new text about consent and agree")
    page.keyboard.press("Space")
    tab_to(page, "I have read the confidentiality declaration and will keep it")
    page.keyboard.press("Space")
    tab_to(page, "Yes, I'll come")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("You have said yes")
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.ACCEPTED
