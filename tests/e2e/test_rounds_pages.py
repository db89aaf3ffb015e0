"""The leader's round pages in a real browser, in English: round with a wanted background,
candidates, an interview day, a move; accessibility, and the round page on a phone."""

import re
from datetime import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import HiringRound
from interviews.services import candidates_add, interview_day_plan
from panels.rounds.services import round_create
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import BackgroundFactory
from tests.factories.rounds import in_days, local, working_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    """Sign in by session cookie: these tests are about the round pages, not signing in."""
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
def substance_use(db):
    return BackgroundFactory(slug="substance_use", name="Rus", name_en="Substance use", order=1)


@pytest.fixture
def mental_health(db):
    return BackgroundFactory(
        slug="mental_health", name="Psykisk helse", name_en="Mental health", order=2
    )


def test_leader_creates_a_round_adds_candidates_plans_a_day_and_moves_an_interview(
    en_page, live_server, leader_a, office_a, substance_use, mental_health
):
    page = en_page
    _sign_in(page, live_server, leader_a)
    day = working_day(10)

    page.goto("/runder/ny/")
    expect(page.get_by_role("heading", name="New hiring round", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    # A leader of one office never picks it (issue 18, point 3).
    expect(page.get_by_label("Office")).to_have_count(0)
    page.get_by_label("Position", exact=True).fill("Erfaringskonsulent")
    page.get_by_label("Representative seats per panel").fill("2")
    page.get_by_role("group", name="Wanted backgrounds").get_by_label("Substance use").fill("1")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Erfaringskonsulent", level=1)).to_be_visible()
    expect(page.get_by_text("At least 1 with Substance use")).to_be_visible()

    page.get_by_label("Add candidates").fill(
        "Kari Nordmann; 2024-117\nOla Hansen\nAsha Ali\nPer Berg"
    )
    page.get_by_role("button", name="Add candidates").click()

    expect(page.get_by_role("status")).to_contain_text("4 candidates were added.")
    expect(page.get_by_role("rowheader", name="Asha Ali")).to_be_visible()

    page.get_by_role("link", name="Plan an interview day").click()
    expect(page.get_by_role("heading", name="Plan an interview day", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("The first interview starts").fill("09:00")
    page.get_by_label("Room or address").fill("Møterom Saltfjellet")
    expect(page.get_by_label("Interview 2")).to_have_value(
        str(HiringRound.objects.get().candidates.get(name="Ola Hansen").pk)
    )
    page.get_by_role("button", name="Plan the interviews").click()

    expect(page.get_by_role("status")).to_contain_text("4 interviews were planned on")
    day_section = page.locator(f"#day-{day.isoformat()}")
    expect(day_section.get_by_role("row")).to_have_count(5)
    ola_row = day_section.get_by_role("row").filter(has_text="Ola Hansen")
    expect(ola_row.get_by_role("rowheader")).to_have_text("10:00–10:45")

    ola_row.get_by_text("Move or cancel").click()
    assert_no_axe_violations(page)
    ola_row.get_by_label("Starts").fill("14:00")
    ola_row.get_by_label("Ends").fill("14:45")
    ola_row.get_by_role("button", name="Move the interview").click()

    expect(page.get_by_role("status")).to_contain_text("The interview was moved to")
    moved_row = (
        page.locator(f"#day-{day.isoformat()}").get_by_role("row").filter(has_text="Ola Hansen")
    )
    expect(moved_row.get_by_role("rowheader")).to_have_text("14:00–14:45")
    ola = HiringRound.objects.get().interviews.get(candidate__name="Ola Hansen")
    assert ola.starts_at == local(day, "14:00")
    assert_no_axe_violations(page)


def test_a_refused_move_shows_its_message_next_to_the_field_in_the_open_form(
    en_page, live_server, leader_a, office_a
):
    hiring_round = round_create(office=office_a, by=leader_a, position_title="Veileder")
    candidates_add(hiring_round=hiring_round, text="Kari Nordmann")
    day = working_day(10)
    interview_day_plan(
        hiring_round=hiring_round,
        day=day,
        first_start=time(9, 0),
        minutes=45,
        break_minutes=15,
        count=1,
        candidates=list(hiring_round.candidates.all()),
    )
    page = en_page
    _sign_in(page, live_server, leader_a)
    page.goto(f"/runder/{hiring_round.pk}/")

    row = page.get_by_role("row").filter(has_text="Kari Nordmann")
    row.get_by_text("Move or cancel").click()
    row.get_by_label("Starts").fill("11:00")
    row.get_by_label("Ends").fill("10:00")
    row.get_by_role("button", name="Move the interview").click()

    expect(page.get_by_role("status")).to_contain_text("The interview was not moved")
    row = page.get_by_role("row").filter(has_text="Kari Nordmann")
    expect(row.get_by_label("Ends")).to_be_visible()
    expect(row.get_by_text("The interview must end after it starts.")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_round_page_fits_a_phone_and_its_change_form_opens_with_the_keyboard(
    en_phone_page, live_server, leader_a, office_a, substance_use
):
    hiring_round = round_create(
        office=office_a,
        by=leader_a,
        wants={substance_use: 1},
        position_title="Veileder, Team Voksen og Team Ung",
        team="Oppfølging",
    )
    candidates_add(
        hiring_round=hiring_round,
        text="Kari Nordmann; 2024-117\nOla Hansen; 2024-118\nAsha Ali\nPer Berg",
    )
    interview_day_plan(
        hiring_round=hiring_round,
        day=in_days(10),
        first_start=time(9, 0),
        minutes=45,
        break_minutes=15,
        count=4,
        location="Møterom Saltfjellet, Jernbanegata 1, Mo i Rana",
        video_url="https://video.nav.no/rom/saltfjellet-123456",
        candidates=list(hiring_round.candidates.order_by("id")),
    )
    page = en_phone_page
    _sign_in(page, live_server, leader_a)

    page.goto(f"/runder/{hiring_round.pk}/")

    expect(page.get_by_role("heading", name="Interview days", level=2)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_axe_violations(page)

    summary = page.locator("summary").filter(has_text="Move or cancel").first
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("New date").first).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert re.match(r"\d{4}-\d{2}-\d{2}", page.get_by_label("New date").first.input_value())
    assert timezone.localdate(hiring_round.interviews.first().starts_at) == in_days(10)
