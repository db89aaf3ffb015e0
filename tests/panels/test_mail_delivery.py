"""Emails as the person meets them: through a real Celery worker and a real SMTP server
(aiosmtpd), read back as a mail program reads them (issue 14, points 2 and 7)."""

# ruff: noqa: F811 - the real-parts fixtures are imported from tests.mail and requested by name

from datetime import timedelta
from email.header import decode_header, make_header
from email.utils import getaddresses

import pytest
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxStatus
from outbox.rendering import render_message
from panels import emails, jobs, services
from panels.enums import RepresentativeStatus
from panels.models import Representative
from panels.pool.services import representative_create
from tests.factories.links import invited_seat
from tests.factories.panels import PoolRepresentativeFactory
from tests.mail import (  # noqa: F401 - fixtures
    broker,
    received_by,
    redis_server,
    smtp_sink,
    start_worker,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

COMMA_OFFICE = "NAV Tromsø, Karlsøy og Balsfjord"


def _status(message: OutboxMessage) -> str:
    message.refresh_from_db()
    return message.status


def _name(header: str) -> str:
    return str(make_header(decode_header(header)))


def test_a_representative_in_two_offices_gets_the_consent_request_from_one_office_and_may_reply(
    broker, smtp_sink, start_worker, office_a, office_b, leader_a
):
    office_a.name, office_a.email = COMMA_OFFICE, "tromso@nav.no"
    office_a.save()
    start_worker()

    person = representative_create(
        offices=[office_a, office_b],
        by=leader_a,
        name="Ida Ny",
        email="ida.ny@example.no",
        phone="",
    )

    assert wait_for(lambda: received_by(smtp_sink, "ida.ny@example.no"))
    [received] = received_by(smtp_sink, "ida.ny@example.no")
    [(sender_name, sender)] = getaddresses([str(received.parsed["From"])])
    assert (_name(sender_name), sender) == (COMMA_OFFICE, "navpanel@nav.no")
    [(_reply_name, reply_to)] = getaddresses([str(received.parsed["Reply-To"])])
    assert reply_to == "tromso@nav.no"
    assert received.parsed["Auto-Submitted"] == "auto-generated"
    message = OutboxMessage.objects.get(representative_id=person.pk)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


def test_an_office_without_an_address_gets_the_replies_through_its_leaders(
    broker, smtp_sink, start_worker, office_a, leader_a
):
    start_worker()
    person = PoolRepresentativeFactory(offices=[office_a], email="per@example.no")

    emails.consent_request(representative=person)

    assert wait_for(lambda: received_by(smtp_sink, "per@example.no"))
    [received] = received_by(smtp_sink, "per@example.no")
    assert [a for _n, a in getaddresses([str(received.parsed["Reply-To"])])] == [
        "leder.rana@navpanel.no"
    ]


def test_an_unbuildable_address_fails_at_once_shows_on_the_dashboard_and_erases_nobody(
    client, broker, smtp_sink, start_worker, office_a, leader_a, leader_b
):
    start_worker()
    reached = representative_create(
        offices=[office_a], by=leader_a, name="Nina Nådd", email="nina@example.no", phone=""
    )
    never = representative_create(
        offices=[office_a], by=leader_a, name="Ola Aldri", email="ola@example.no", phone=""
    )
    # An address that passed the form once but that no email header can hold.
    Representative.objects.filter(pk=never.pk).update(email="ola@exa mple.no")
    never.refresh_from_db()
    OutboxMessage.objects.filter(representative_id=never.pk).delete()
    emails.consent_request(representative=never)
    unbuildable = OutboxMessage.objects.get(representative_id=never.pk)

    assert wait_for(lambda: _status(unbuildable) == OutboxStatus.FAILED)
    assert unbuildable.attempts == 1
    assert unbuildable.last_error == "MessageNotBuildable: ValueError: Invalid addr_spec"
    client.force_login(leader_a)
    dashboard = client.get(reverse("dashboard"), headers={"accept-language": "en"})
    client.force_login(leader_b)
    other_office = client.get(reverse("dashboard"), headers={"accept-language": "en"})
    assert "Emails and SMS that could not be sent" in dashboard.text
    assert "Ola Aldri" in dashboard.text
    assert "Ola Aldri" not in other_office.text

    assert wait_for(lambda: received_by(smtp_sink, "nina@example.no"))
    later = timezone.now() + timedelta(days=31)
    erased = jobs.unanswered_consents_erase(now=later)

    assert erased == 1
    assert not Representative.objects.filter(pk=reached.pk).exists()
    assert Representative.objects.get(pk=never.pk).status == RepresentativeStatus.AWAITING_CONSENT


def test_the_text_part_reads_a_name_exactly_as_it_is_written(
    broker, smtp_sink, start_worker, office_a, leader_a
):
    start_worker()
    person = PoolRepresentativeFactory(
        offices=[office_a], name="Åse O'Brien & Co", email="ase@example.no"
    )
    seat = invited_seat(office=office_a, representative=person)

    services.seat_decline(seat=seat)

    assert wait_for(lambda: received_by(smtp_sink, "leder.rana@navpanel.no"))
    [notice] = received_by(smtp_sink, "leder.rana@navpanel.no")
    html = notice.parsed.get_body(preferencelist=("html",)).get_content()
    assert "Åse O'Brien & Co har sagt nei" in notice.text
    assert "O&#x27;Brien &amp; Co" in html
    assert "Åse" not in notice.subject


def test_subject_and_text_are_rendered_unescaped_and_html_escaped():
    subject, text, html = render_message(
        "consent_request",
        {"name": "Åse O'Brien & Co", "offices": 'NAV "Rana" & Co', "link": "https://x/"},
        "nb",
    )

    assert "Hei Åse O'Brien & Co," in text
    assert 'NAV "Rana" & Co' in text
    assert "O&#x27;Brien &amp; Co" in html
    assert subject.startswith('NAV "Rana" & Co:')
