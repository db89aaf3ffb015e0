"""Issue 14, points 1, 3, 4 and 9, as the people meet them: a browser at 390×844, a real Celery
worker and a real SMTP server (aiosmtpd) the worker delivers to.

- A representative withdraws on "my page"; HR's roster page and its CSV then show that person's
  seats with no name and no backgrounds.
- An accepted representative says "I can't come after all": the leader's dashboard shows it, the
  next suggestion's invitation arrives in the SMTP sink, and the person's last calendar part is
  a CANCEL of the seat's entry.
- Every way a seat ends before the day frees it: where the round invites the next suggestion,
  that person's invitation arrives; a cancelled panel invites nobody. (A round that does not
  invite automatically is tested without the worker, in tests/panels/test_seat_ends.py.)
"""

# The outbox tests' fixtures (their own Redis, SMTP sink and workers) are imported by name and
# then named as test arguments, which ruff reads as shadowing the import.
# ruff: noqa: F811

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from icalendar import Calendar
from playwright.sync_api import expect

from outbox.models import OutboxMessage, OutboxStatus
from panels import calendar, jobs, links, services
from panels.enums import SeatStatus
from panels.models import ConsentGiven, LinkVia, Representative, Seat
from panels.public.my_page import consent_withdraw
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import BackgroundFactory
from tests.factories.links import ConsentTextFactory, invited_seat
from tests.factories.panels import PoolRepresentativeFactory
from tests.factories.rosters import roster_seat
from tests.outbox.conftest import (  # noqa: F401 - fixtures
    SmtpSink,
    broker,
    redis_server,
    smtp_sink,
    start_worker,
    wait_for,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chose_english"),
]


# Reading the sink --------------------------------------------------------------------------------


def received_by(sink: SmtpSink, address: str) -> list:
    """Messages the SMTP server took for ``address``, in the order it took them."""
    return [message for message in sink.received if address in message.to]


def calendar_parts(message) -> list[Calendar]:
    return [
        Calendar.from_ical(part.get_payload(decode=True))
        for part in message.parsed.walk()
        if part.get_content_type() == "text/calendar"
    ]


def outbox_drained() -> bool:
    """Nothing left for the worker: every message sent (or failed, which the test then shows)."""
    return not OutboxMessage.objects.filter(
        status__in=[OutboxStatus.QUEUED, OutboxStatus.SENDING]
    ).exists()


def signed_in(page, live_server, user) -> object:
    """A browser session for ``user`` (the sign-in pages have their own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _consented(person: Representative) -> Representative:
    ConsentGiven.objects.create(
        representative=person,
        text=ConsentTextFactory(),
        given_at=person.created_at,
        via=LinkVia.CONSENT_LINK,
    )
    return person


# 1. Withdrawal erases, and HR's roster shows it ----------------------------------------------


def test_after_withdrawing_on_my_page_hrs_roster_and_csv_show_no_name_and_no_backgrounds(
    en_phone_page, en_page, live_server, office_a, leader_a, hr, broker, smtp_sink, start_worker
):
    health = BackgroundFactory(slug="psykisk-helse", name="Psykisk helse", name_en="Mental health")
    senior = BackgroundFactory(slug="senior", name="Senior (55+)", name_en="Senior (55+)")
    sat = roster_seat(
        office=office_a,
        day=date(2026, 3, 2),
        name="Kari Nordmann",
        organisation="Mental Helse Rana",
        snapshot=["psykisk-helse"],
        backgrounds=[health],
    )
    kari = _consented(sat.representative)
    other = roster_seat(
        office=office_a, day=date(2026, 3, 9), name="Ola Oldermann", snapshot=["senior"]
    )
    other.representative.backgrounds.set([senior])
    ahead = invited_seat(office=office_a, representative=kari)
    start_worker()

    phone = en_phone_page
    phone.goto(path_of(links.my_page_url(kari.pk)))
    phone.get_by_role("link", name="Withdraw my consent and delete my data…").click()
    phone.get_by_role("button", name="Yes, withdraw my consent and delete my data").click()

    expect(
        phone.get_by_role("heading", name="Your consent is withdrawn and your data deleted")
    ).to_be_visible()
    expect(phone.get_by_role("status")).to_contain_text(
        "your name, email address, phone number, year of birth, user organisation, backgrounds"
    )
    assert_no_axe_violations(phone)
    assert wait_for(lambda: outbox_drained(), timeout=60)
    # In English, the language she chose, like her pages (issue 19).
    [confirmation] = [
        m for m in received_by(smtp_sink, kari.email) if "deleted" in m.subject.lower()
    ]
    assert "year of birth, user organisation, backgrounds" in confirmation.text
    assert "Kari" not in confirmation.text
    assert Seat.objects.get(pk=ahead.pk).status == SeatStatus.WITHDRAWN

    page = signed_in(en_page, live_server, hr)
    page.goto("/hr/?backgrounds=on")
    expect(page.get_by_role("columnheader", name="Backgrounds")).to_be_visible()
    table = page.locator("table.roster-table")
    expect(table).to_contain_text("Ola Oldermann")
    expect(table).to_contain_text("Senior (55+)")
    assert "Kari" not in table.inner_text()
    assert "Mental Helse Rana" not in table.inner_text()
    assert "Mental health" not in table.inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    content = Path(download.value.path()).read_bytes().decode("utf-8").removeprefix("\ufeff")
    header, *rows = csv.reader(io.StringIO(content), delimiter=";")
    by_day = {row[0]: row for row in rows}
    erased_row = by_day["2026-03-02"]
    assert (erased_row[5], erased_row[6], erased_row[-1]) == ("(erased)", "", "")
    assert header[-1] == "Backgrounds"
    assert by_day["2026-03-09"][5] == "Ola Oldermann"
    assert by_day["2026-03-09"][-1] == "Senior (55+)"
    assert "Kari" not in content and "Mental health" not in content


# 2. I can't come after all ----------------------------------------------------------------------


def test_i_cant_come_is_on_the_leaders_dashboard_invites_the_next_and_cancels_the_entry(
    en_phone_page, en_page, live_server, office_a, leader_a, broker, smtp_sink, start_worker
):
    seat = invited_seat(office=office_a, signed=True)
    kari = seat.representative
    services.seat_accept(seat=seat)
    nils = PoolRepresentativeFactory(offices=[office_a], name="Nils Neste")
    start_worker()

    phone = en_phone_page
    phone.goto(path_of(links.seat_url(seat.pk)))
    expect(phone.get_by_role("heading", name="Can you not come after all?")).to_be_visible()
    assert_no_axe_violations(phone)
    phone.get_by_label("Why not? (optional)").fill("Jeg har fått ny jobb.")
    phone.get_by_role("button", name="I can't come after all").click()

    expect(phone.locator("#status")).to_contain_text(
        "You have told us that you cannot come after all."
    )
    expect(phone.get_by_role("button", name="I can't come after all")).to_have_count(0)
    assert_no_axe_violations(phone)

    page = signed_in(en_page, live_server, leader_a)
    page.goto("/")
    section = page.get_by_role("region", name="Needs action")
    expect(section).to_contain_text("Representatives who cannot come after all")
    expect(section).to_contain_text(kari.name)
    expect(section).to_contain_text("the next suggestion has been invited")
    assert_no_axe_violations(page)

    assert wait_for(lambda: outbox_drained(), timeout=60)
    invitations = [m for m in received_by(smtp_sink, nils.email) if calendar_parts(m)]
    assert len(invitations) == 1
    [invitation] = calendar_parts(invitations[0])
    # An invitation is a tentative, free entry until answered (docs/decisions.md).
    assert invitation["METHOD"] == "PUBLISH"
    last = [m for m in received_by(smtp_sink, kari.email) if calendar_parts(m)][-1]
    [entry] = calendar_parts(last)
    event = entry.walk("VEVENT")[0]
    assert entry["METHOD"] == "CANCEL"
    assert str(event["UID"]) == calendar.seat_uid(seat)


# 3. Every way a seat ends before the day --------------------------------------------------------


def _decline(seat: Seat, leader) -> None:
    services.seat_decline(seat=seat)


def _expire(seat: Seat, leader) -> None:
    jobs.invitations_expire(now=seat.answer_by + timedelta(minutes=1))


def _withdraw(seat: Seat, leader) -> None:
    consent_withdraw(representative=seat.representative)


def _cant_come(seat: Seat, leader) -> None:
    services.seat_accept(seat=seat)
    services.seat_cant_come(seat=seat)


def _take_off(seat: Seat, leader) -> None:
    services.seat_cancel(seat=seat, by=leader)


def _cancel_panel(seat: Seat, leader) -> None:
    services.panel_cancel(panel=seat.panel, by=leader)


WAYS: dict[str, tuple[Callable[[Seat, object], None], bool]] = {
    # way: (what ends the seat, whether the next suggestion is then invited)
    "decline": (_decline, True),
    "expiry": (_expire, True),
    "withdrawal": (_withdraw, True),
    "cant_come": (_cant_come, True),
    "taken_off": (_take_off, True),
    "panel_cancelled": (_cancel_panel, False),
}


@pytest.mark.parametrize("way", WAYS, ids=list(WAYS))
def test_each_way_a_seat_ends_invites_the_next_suggestion_where_the_round_allows_it(
    office_a, leader_a, broker, smtp_sink, start_worker, way
):
    seat = invited_seat(office=office_a, signed=True)
    _consented(seat.representative)
    nils = PoolRepresentativeFactory(offices=[office_a], name="Nils Neste")
    end, refilled = WAYS[way]
    start_worker()

    end(Seat.objects.get(pk=seat.pk), leader_a)

    assert wait_for(lambda: outbox_drained(), timeout=60)
    invited = [m for m in received_by(smtp_sink, nils.email) if calendar_parts(m)]
    assert len(invited) == (1 if refilled else 0)
    assert Seat.objects.filter(panel=seat.panel, representative=nils).exists() == refilled
    if refilled:
        [entry] = calendar_parts(invited[0])
        assert entry["METHOD"] == "PUBLISH"
        token = invited[0].text.split("/r/plass/", 1)[1].split("/", 1)[0]
        assert links.seat_from_token(token) == Seat.objects.get(representative=nils)
