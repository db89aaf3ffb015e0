"""The office leader's whole journey in a real browser, on the demo data (docs/domain.md,
journey 1): sign in → new round → candidates → interview day → panel → suggestions → invite →
dashboard → move an interview → mark attendance, with axe-core on every page on the way.

The browser asks for English until the Norwegian translations are merged.
"""

import re
from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.enums import RoundState
from panels.demo.seed import DEMO_PASSWORD, seed_demo
from panels.enums import SeatStatus
from panels.models import Panel, Seat
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories.rounds import working_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POSITION = "Veileder, Arbeid og helse"
# Not names the demo gives its representatives, so a name on a page is one person.
CANDIDATES = ["Marius Grønli", "Selma Haugland", "Tobias Fjeld", "Amina Yusuf"]


@pytest.fixture
def en_page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _local(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=timezone.get_current_timezone())


def _interview_row(page, candidate: str):
    """The candidate's row among the interview days (the candidates table has one too)."""
    return (
        page.get_by_role("region", name="Interview days")
        .get_by_role("row")
        .filter(has_text=candidate)
    )


def test_leader_goes_from_a_new_round_to_marked_attendance_on_the_demo_data(en_page):
    seed_demo()
    past_panel = Panel.objects.get(
        round__office__name="NAV Rana", round__state=RoundState.OPEN, ends_at__lt=timezone.now()
    )
    came, stayed_away = (
        seat.representative.name
        for seat in past_panel.seats.filter(status=SeatStatus.ACCEPTED).order_by("id")
    )
    waiting = Seat.objects.get(panel__round__office__name="NAV Rana", status=SeatStatus.INVITED)
    day = working_day(21)
    page = en_page

    # Sign in through the form, with the demo's published login.
    page.goto("/konto/login/")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Email").fill("leder.rana@navpanel.no")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Attendance to mark")).to_be_visible()
    expect(page.get_by_role("heading", name="Invitations waiting for an answer")).to_be_visible()
    assert_no_axe_violations(page)

    # A new round that wants someone with mental health experience on each panel.
    page.get_by_role("link", name="New hiring round").click()
    expect(page.get_by_role("heading", name="New hiring round", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    # A leader of one office never picks it (issue 18, point 3).
    expect(page.get_by_label("Office")).to_have_count(0)
    page.get_by_label("Position", exact=True).fill(POSITION)
    page.get_by_label("Team", exact=True).fill("Team Arbeid og helse")
    page.get_by_role("group", name="Wanted backgrounds").get_by_label("Mental health").fill("1")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name=POSITION, level=1)).to_be_visible()
    expect(page.get_by_text("At least 1 with Mental health")).to_be_visible()
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_text("The round's state was changed.")).to_be_visible()

    # The candidates, pasted from the recruitment system.
    page.get_by_label("Add candidates").fill(
        "\n".join(f"{name}; 2026-{300 + n}" for n, name in enumerate(CANDIDATES))
    )
    page.get_by_role("button", name="Add candidates").click()

    expect(page.get_by_text("4 candidates were added.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Amina Yusuf")).to_be_visible()
    assert_no_axe_violations(page)

    # One interview day of four interviews, the candidates filled in.
    page.get_by_role("link", name="Plan an interview day").click()
    expect(page.get_by_role("heading", name="Plan an interview day", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("The first interview starts").fill("09:00")
    page.get_by_label("Room or address").fill("Møterom Saltfjellet")
    page.get_by_role("button", name="Plan the interviews").click()

    expect(page.get_by_text("4 interviews were planned on")).to_be_visible()
    amina = _interview_row(page, "Amina Yusuf")
    expect(amina.get_by_role("rowheader")).to_have_text("12:00–12:45")

    # A panel of three seats for the day.
    page.get_by_role("link", name="New panel for this day").click()
    expect(page.get_by_role("heading", name="New panel", level=1)).to_be_visible()
    for name in CANDIDATES:
        expect(page.get_by_role("checkbox", name=re.compile(name))).to_be_checked()
    assert_no_axe_violations(page)
    page.get_by_label("Representative seats").fill("3")
    interviewer = page.get_by_role("group", name="Interviewer 1")
    interviewer.get_by_label("Name").fill("Leder Rana")
    interviewer.get_by_label("Email").fill("leder.rana@navpanel.no")
    page.get_by_role("button", name="Create the panel").click()

    # Suggestions that say why, and one press to invite them.
    expect(page.get_by_role("heading", name="Invite representatives")).to_be_visible()
    suggested = page.get_by_role("table", name="Suggested representatives")
    expect(suggested.get_by_role("checkbox")).to_have_count(3)
    expect(suggested.get_by_text(re.compile(r"^Covers Mental health")).first).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Invite", exact=True).click()

    seats = page.get_by_role("region", name="Representative seats")
    expect(seats.get_by_text("Invited", exact=True)).to_have_count(3)
    expect(page.get_by_role("status").filter(has_text="Invited:")).to_be_visible()
    expect(page.get_by_text("Every seat is taken or has an invitation out.")).to_be_visible()
    assert_no_axe_violations(page)

    # The dashboard: the new panel waits for three answers; the demo's old invitation is late.
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Overview").click()

    new_panel = page.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=re.compile(f"^{POSITION}, "))
    )
    expect(new_panel).to_contain_text("0 of 3 accepted, 3 invited")
    expect(page.get_by_role("link", name=waiting.representative.name)).to_be_visible()
    assert_no_axe_violations(page)

    # Move the last interview an hour later; the panel follows.
    page.get_by_role("link", name=POSITION, exact=True).click()
    amina = _interview_row(page, "Amina Yusuf")
    amina.get_by_text("Move or cancel").click()
    amina.get_by_label("Starts").fill("13:00")
    amina.get_by_label("Ends").fill("13:45")
    amina.get_by_role("button", name="Move the interview").click()

    expect(page.get_by_text("The interview was moved to")).to_be_visible()
    amina = _interview_row(page, "Amina Yusuf")
    expect(amina.get_by_role("rowheader")).to_have_text("13:00–13:45")
    assert_no_axe_violations(page)
    panel = Panel.objects.get(round__position_title=POSITION)
    assert panel.ends_at == _local(day, time(13, 45))
    assert (
        sorted(panel.seats.values_list("status", "calendar_sequence"))
        == [(SeatStatus.INVITED, 1)] * 3
    )

    # Mark attendance on the demo's interview day ten days ago.
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Overview").click()
    page.get_by_role("listitem").filter(has_text="2 representatives not marked").get_by_role(
        "link"
    ).click()
    expect(page.get_by_role("heading", name="Representative seats")).to_be_visible()

    page.get_by_role("button", name=f"Came – {came}").click()
    expect(page.get_by_role("status").filter(has_text=f"{came} came.")).to_be_visible()
    # "Did not come" costs the person the honorarium: confirmed on a page of its own.
    page.get_by_role("link", name=f"Did not come – {stayed_away}").click()
    page.get_by_role("button", name="Yes, they did not come").click()
    expect(
        page.get_by_role("status").filter(has_text=f"{stayed_away} did not come.")
    ).to_be_visible()

    seats = page.get_by_role("region", name="Representative seats")
    expect(seats.get_by_role("row").filter(has_text=came)).to_contain_text("Attended")
    expect(seats.get_by_role("row").filter(has_text=stayed_away)).to_contain_text("Did not come")
    expect(seats.get_by_role("button")).to_have_count(0)
    assert_no_axe_violations(page)
    assert sorted(past_panel.seats.values_list("status", flat=True)) == [
        SeatStatus.ATTENDED,
        SeatStatus.NO_SHOW,
    ]
