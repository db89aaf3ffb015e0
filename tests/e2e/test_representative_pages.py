"""The representative's pages on a phone and a desktop, by the email links, in a real browser."""

import pytest
from playwright.sync_api import expect

from panels import links
from panels.enums import RepresentativeStatus, SeatStatus
from panels.models import ConfidentialitySigned, ConsentGiven, Representative, Seat
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import BackgroundFactory, RepresentativeFactory
from tests.factories.links import ConfidentialityTextFactory, ConsentTextFactory, invited_seat

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chose_english"),
]


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture(params=["en_phone_page", "en_page"], ids=["phone", "desktop"])
def any_page(request):
    """The same page on a phone (390×844) and on a desktop, in English."""
    return request.getfixturevalue(request.param)


def assert_fits_the_phone(page) -> None:
    if page.viewport_size["width"] <= 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def tab_to(page, name: str, limit: int = 60) -> None:
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


def test_representative_gives_consent(any_page, office_a):
    page = any_page
    ConsentTextFactory()
    BackgroundFactory(slug="senior", name="Senior (55+)", name_en="Senior (55+)")
    aap = BackgroundFactory(slug="aap", name="AAP", name_en="Work assessment allowance (AAP)")
    representative = RepresentativeFactory(name="Kari Nordmann")
    representative.offices.set([office_a])

    page.goto(path_of(links.consent_url(representative.pk)))

    expect(
        page.get_by_role("heading", name="Would you like to be a user representative?", level=1)
    ).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits_the_phone(page)

    page.get_by_label("Work assessment allowance (AAP)").check()
    page.get_by_role("button", name="Yes, I consent").click()

    # In the error summary at the top, and next to the field.
    expect(page.get_by_role("link", name="Tick the box to give your consent.")).to_be_visible()
    expect(
        page.locator(".aksel-error-message", has_text="Tick the box to give your consent.")
    ).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("I have read the text about consent and agree").check()
    page.get_by_role("button", name="Yes, I consent").click()

    expect(page.get_by_role("status")).to_contain_text("You have given your consent")
    assert_no_axe_violations(page)
    representative.refresh_from_db()
    assert representative.status == RepresentativeStatus.ACTIVE
    assert list(representative.backgrounds.all()) == [aap]
    assert ConsentGiven.objects.filter(representative=representative).count() == 1


def test_a_representative_who_chose_nynorsk_reads_nynorsk_pages_that_pass_axe(
    en_phone_page, office_a
):
    """Issue 19: the choice is theirs, made on the consent page, and it beats the browser's."""
    page = en_phone_page
    ConsentTextFactory()
    BackgroundFactory(slug="senior", name="Senior (55+)", name_nn="Senior (55+)")
    seat = invited_seat(office=office_a, candidates=("Siri Søker",))
    person = seat.representative
    Representative.objects.filter(pk=person.pk).update(status=RepresentativeStatus.AWAITING_CONSENT)

    page.goto(path_of(links.consent_url(person.pk)))
    page.get_by_label("Norsk nynorsk").check()
    page.get_by_role("button", name="Save language").click()

    expect(
        page.get_by_role("heading", name="Vil du vere brukarrepresentant?", level=1)
    ).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "nn"
    assert_no_axe_violations(page)
    assert_fits_the_phone(page)
    page.get_by_label("Eg har lese teksten om samtykke og seier ja").check()
    page.get_by_role("button", name="Ja, eg samtykkjer").click()
    expect(page.get_by_role("status")).to_contain_text("Du har gjeve samtykke")
    assert_no_axe_violations(page)

    page.goto(path_of(links.seat_url(seat.pk)))
    expect(page.get_by_role("heading", name="Teieplikterklæring")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "nn"
    assert_no_axe_violations(page)
    assert_fits_the_phone(page)
    page.get_by_label("Eg har lese teieplikterklæringa og vil halde ho").check()
    page.get_by_role("button", name="Ja, eg kjem").click()
    expect(page.get_by_role("status")).to_contain_text("Du har takka ja")
    assert_no_axe_violations(page)

    page.goto(path_of(links.my_page_url(person.pk)))
    expect(page.get_by_role("heading", name="Mi side", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "nn"
    assert_no_axe_violations(page)
    assert_fits_the_phone(page)
    assert ConsentGiven.objects.get(representative=person).language == "nn"
    assert ConfidentialitySigned.objects.get(representative=person).language == "nn"


def test_representative_signs_the_declaration_and_says_yes(any_page, office_a):
    page = any_page
    seat = invited_seat(office=office_a, candidates=("Siri Søker", "Petter Søker"))

    page.goto(path_of(links.seat_url(seat.pk)))

    expect(page.get_by_role("heading", name="Veileder", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Confidentiality declaration")).to_be_visible()
    expect(page.get_by_text("Siri Søker")).to_have_count(0)
    assert_no_axe_violations(page)
    assert_fits_the_phone(page)

    page.get_by_label("I have read the confidentiality declaration and will keep it").check()
    page.get_by_label("Do you need anything to take part? (optional)").fill("Trinnfri adkomst")
    page.get_by_role("button", name="Yes, I'll come").click()

    expect(page.get_by_role("status")).to_contain_text("You have said yes")
    expect(page.get_by_role("button", name="Yes, I'll come")).to_have_count(0)
    assert_no_axe_violations(page)
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.ACCEPTED
    assert ConfidentialitySigned.objects.filter(representative=seat.representative).exists()

    page.get_by_role("button", name="I know this person: Petter Søker").click()

    expect(page.get_by_role("status")).to_contain_text("Thank you for telling us")
    expect(page.get_by_text("You have told us you know this person.")).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits_the_phone(page)


def test_representative_says_no_with_a_reason(any_page, office_a):
    page = any_page
    seat = invited_seat(office=office_a)

    page.goto(path_of(links.seat_url(seat.pk)))
    page.get_by_label("Why not? (optional)").fill("Jeg er bortreist den uka.")
    page.get_by_role("button", name="No, not this time").click()

    expect(page.get_by_role("status")).to_contain_text("You have said no")
    assert_no_axe_violations(page)
    assert Seat.objects.get(pk=seat.pk).decline_reason == "Jeg er bortreist den uka."


def test_the_accept_flow_works_with_the_keyboard_alone(any_page, office_a):
    page = any_page
    seat = invited_seat(office=office_a)

    page.goto(path_of(links.seat_url(seat.pk)))
    tab_to(page, "I have read the confidentiality declaration and will keep it")
    page.keyboard.press("Space")
    tab_to(page, "Yes, I'll come")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("You have said yes")
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.ACCEPTED


def test_consent_works_with_the_keyboard_alone(en_phone_page, office_a):
    page = en_phone_page
    ConsentTextFactory()
    representative = RepresentativeFactory()
    representative.offices.set([office_a])

    page.goto(path_of(links.consent_url(representative.pk)))
    tab_to(page, "I have read the text about consent and agree")
    page.keyboard.press("Space")
    tab_to(page, "Yes, I consent")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("You have given your consent")
    assert Representative.objects.get(pk=representative.pk).status == (RepresentativeStatus.ACTIVE)


def test_the_seat_link_works_while_a_leader_is_signed_in_in_the_same_browser(
    en_phone_page, office_a, leader_b, client, live_server
):
    page = en_phone_page
    seat = invited_seat(office=office_a)
    client.force_login(leader_b)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto("/")
    expect(page.get_by_text("Hans Hadeland", exact=True)).to_be_visible()
    page.goto(path_of(links.seat_url(seat.pk)))
    page.get_by_label("I have read the confidentiality declaration and will keep it").check()
    page.get_by_role("button", name="Yes, I'll come").click()

    expect(page.get_by_role("status")).to_contain_text("You have said yes")
    expect(page.get_by_text("Hans Hadeland")).to_have_count(0)
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.ACCEPTED


def test_a_tampered_link_shows_a_friendly_page(en_phone_page, office_a):
    page = en_phone_page
    seat = invited_seat(office=office_a)
    ConfidentialityTextFactory()

    response = page.goto(path_of(links.seat_url(seat.pk))[:-5] + "xxxx/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="The link is not valid", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits_the_phone(page)


def test_a_tampered_link_is_in_norwegian_by_default(page):
    response = page.goto("/r/plass/ikke-en-lenke/")

    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == "nb"
    assert_no_axe_violations(page)
