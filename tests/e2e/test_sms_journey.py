"""A representative with only a mobile number goes the whole way by SMS (issue 19, point 1), in
a real browser on a phone (390 px): added by a leader → consent by the SMS link → invited →
accepts → reminder → feedback. A real Celery worker on the test's own broker sends every SMS, as
in production; each is read from the fake gateway's log, as the person's phone received it, and
its short link is what the browser opens; no email is ever queued.

The worker is the test's own: a worker another test of this process started (``celery_worker``)
reads the suite's broker with SMS going nowhere, and it would take the SMS before the phone did."""

import re

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from outbox.models import Channel, OutboxMessage, OutboxStatus
from outbox.segments import segments
from panels import jobs
from panels.enums import Contact, RepresentativeStatus, SeatStatus
from panels.models import Feedback, Representative, Seat
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories.links import (
    ConfidentialityTextFactory,
    ConsentTextFactory,
    invited_seat,
    local,
)
from tests.outbox.conftest import (  # noqa: F401 - fixtures
    broker,
    redis_server,
    smtp_sink,
    start_worker,
    wait_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "+4791234567"


def next_sms(gateway, seen: list) -> str:
    """The one new SMS the phone got from the worker."""
    wait_for(lambda: len(gateway.received_by(NUMBER)) > len(seen))
    new = gateway.received_by(NUMBER)[len(seen) :]
    assert len(new) == 1, [sms.text for sms in new]
    seen.extend(new)
    assert segments(new[0].text) <= 2
    assert new[0].sender == "NAV Rana"
    return new[0].text


def short_path(text: str) -> str:
    return re.search(r"https?://[^/\s]+(/r/k/[A-Za-z0-9]+)", text).group(1)


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_phone_only_representative_goes_the_whole_way_by_sms(
    en_phone_page,
    sms_settings,
    broker,  # noqa: F811 - the fixture imported above
    start_worker,  # noqa: F811
    client,
    live_server,
    leader_a,
    office_a,
):
    page, seen = en_phone_page, []
    start_worker(SMS_URL=sms_settings.url)
    ConsentTextFactory()
    ConfidentialityTextFactory()
    client.force_login(leader_a)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    # The leader adds her with a mobile number and no email address.
    page.goto(reverse("representative_create"))
    page.get_by_label("Name", exact=True).fill("Sara Sms")
    page.get_by_label("Phone", exact=True).fill("912 34 567")
    page.get_by_label("SMS", exact=True).check()
    page.get_by_label("NAV Rana").check()
    assert_no_axe_violations(page)
    fits(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Sara Sms was added and is awaiting consent.")).to_be_visible()
    person = Representative.objects.get(name="Sara Sms")
    assert (person.email, person.phone, person.contact) == ("", NUMBER, Contact.SMS)
    page.context.clear_cookies()

    # Consent, by the SMS's short link. Her pages speak her language (bokmål, as her SMS do),
    # whatever the phone's browser asks for (issue 19).
    consent_sms = next_sms(sms_settings, seen)
    assert consent_sms.startswith("Hei Sara! NAV Rana vil gjerne ha deg med")
    page.goto(short_path(consent_sms))
    expect(
        page.get_by_role("heading", name="Vil du være brukerrepresentant?", level=1)
    ).to_be_visible()
    assert_no_axe_violations(page)
    fits(page)
    page.get_by_label("Jeg har lest teksten om samtykke og sier ja").check()
    page.get_by_role("button", name="Ja, jeg samtykker").click()
    expect(page.get_by_role("status")).to_contain_text("Du har gitt samtykke")
    assert Representative.objects.get(pk=person.pk).status == RepresentativeStatus.ACTIVE

    # Invited, and accepts by the SMS's short link.
    seat = invited_seat(office=office_a, representative=Representative.objects.get(pk=person.pk))
    invitation = next_sms(sms_settings, seen)
    assert "inviterer deg til intervjupanelet for Veileder" in invitation
    page.goto(short_path(invitation))
    expect(page.get_by_role("heading", name="Veileder", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    fits(page)
    page.get_by_label("Jeg har lest taushetserklæringen og vil overholde den").check()
    page.get_by_role("button", name="Ja, jeg kommer").click()
    expect(page.get_by_role("status")).to_contain_text("Du har takket ja")
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.ACCEPTED

    # The reminder the day before, by the reminder job.
    assert jobs.reminders_send(now=local(13, 9)) == 1
    reminder = next_sms(sms_settings, seen)
    assert reminder.startswith("Påminnelse: intervjupanelet for Veileder ved NAV Rana er i morgen")
    page.goto(short_path(reminder))
    expect(page.get_by_role("heading", name="Veileder", level=1)).to_be_visible()
    fits(page)

    # The day after the panel: the feedback request, and the form by its short link.
    day_after = local(15, 9)
    with time_machine.travel(day_after, tick=True):
        assert jobs.feedback_requests_send(now=day_after) >= 1
        feedback = next_sms(sms_settings, seen)
        assert feedback.startswith("Takk for at du satt i intervjupanelet for Veileder")
        page.goto(short_path(feedback))
        expect(page.get_by_role("heading", name="Hvordan gikk det?", level=1)).to_be_visible()
        assert_no_axe_violations(page)
        fits(page)
        for question, rating in (
            ("Jeg var godt forberedt", "4"),
            ("Jeg ble behandlet som et fullverdig medlem av panelet", "5 – helt enig"),
            ("Det praktiske fungerte", "3"),
            ("Jeg vil gjerne være med igjen", "5 – helt enig"),
        ):
            page.get_by_role("group", name=question).get_by_label(rating, exact=True).check()
        page.get_by_role("button", name="Send svarene mine").click()
        expect(page.get_by_role("status")).to_contain_text("Takk for svarene!")
    assert Feedback.objects.filter(seat=seat).exists()

    # Four SMS, one of each, and not a single email to her.
    kinds = list(
        OutboxMessage.objects.filter(representative_id=person.pk, status=OutboxStatus.SENT)
        .order_by("pk")
        .values_list("channel", "kind")
    )
    assert kinds == [
        ("sms", "consent_request"),
        ("sms", "invitation"),
        ("sms", "reminder"),
        ("sms", "feedback_request"),
    ]
    assert not OutboxMessage.objects.filter(
        representative_id=person.pk, channel=Channel.EMAIL
    ).exists()
