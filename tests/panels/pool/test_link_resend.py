"""A leader sends a new consent request or "my page" link (issue 14, point 11).

The expired-link page tells the person "contact the office, and they will send you a new link";
here the office does: from the representative's page in the pool, leaders only, by POST, audited,
at most once a day per person, with a message that says when the next one may go.
"""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEvent
from outbox.models import OutboxMessage
from panels import links
from panels.enums import RepresentativeStatus
from panels.jobs import unanswered_consents_erase
from panels.models import Representative
from panels.pool.selectors import LinkToResend
from panels.pool.services import representative_link_resend
from tests.factories import RepresentativeFactory
from tests.factories.links import ConsentTextFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def _resent():
    return OutboxMessage.objects.filter(kind__in=["consent_request_resent", "my_page_link"])


def expired_token(representative_id: int, salt: str) -> str:
    """A genuine link of the person, issued 31 days ago."""

    class OldSigner(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 31 * 24 * 3600)

    return OldSigner(salt=salt).sign_object(representative_id, compress=True)


def in_pool(office, status: str, **fields) -> Representative:
    person = RepresentativeFactory(status=status, **fields)
    person.offices.add(office)
    return person


def link_in(message: OutboxMessage, marker: str) -> str:
    url = next(word for word in message.body_text.split() if marker in word)
    return "/" + url.split("/", 3)[3]


def resend(client, person, what: str):
    return client.post(
        reverse("representative_link_resend", args=[person.pk]),
        {"what": what},
        headers=EN,
        follow=True,
    )


def test_an_expired_consent_link_is_answered_by_a_new_request_from_the_leader(
    client, office_a, leader_a
):
    ConsentTextFactory()
    person = in_pool(office_a, RepresentativeStatus.AWAITING_CONSENT, email="ola@example.no")
    old = expired_token(person.pk, links.REPRESENTATIVE_SALT)
    assert client.get(reverse("consent_link", args=[old]), headers=EN).status_code == 410
    client.force_login(leader_a)

    response = resend(client, person, "consent")

    assert "The consent request was sent again to ola@example.no." in response.text
    [message] = _resent()
    assert (message.kind, message.to, message.representative_id) == (
        "consent_request_resent",
        "ola@example.no",
        person.pk,
    )
    client.logout()
    page = client.get(link_in(message, "/r/samtykke/"), headers=EN)
    assert page.status_code == 200
    # In the language the person has (bokmål), whatever the browser asks for (issue 19).
    assert "Vil du være brukerrepresentant?" in page.text
    [event] = AuditEvent.objects.filter(action=AuditAction.REPRESENTATIVE_LINK_SENT)
    assert (event.actor, event.object_id, event.office_id, event.detail) == (
        leader_a,
        person.pk,
        office_a.pk,
        {"link": "consent"},
    )


def test_an_expired_my_page_link_is_answered_by_a_new_link_from_the_leader(
    client, office_a, leader_a
):
    person = in_pool(office_a, RepresentativeStatus.ACTIVE, name="Kari Nordmann")
    old = expired_token(person.pk, links.MY_PAGE_SALT)
    assert client.get(reverse("my_page", args=[old]), headers=EN).status_code == 410
    client.force_login(leader_a)

    response = resend(client, person, "my_page")

    assert f"A new link to their page was sent to {person.email}." in response.text
    [message] = OutboxMessage.objects.filter(kind="my_page_link")
    assert message.to == person.email
    assert message.subject == "NAV Rana: ny lenke til siden din"
    client.logout()
    page = client.get(link_in(message, "/r/min-side/"), headers=EN)
    assert page.status_code == 200
    assert "Kari Nordmann" in page.text


def test_a_second_link_the_same_day_is_refused_with_when_the_next_may_go(
    client, office_a, leader_a
):
    person = in_pool(office_a, RepresentativeStatus.ACTIVE)
    client.force_login(leader_a)
    resend(client, person, "my_page")

    response = resend(client, person, "my_page")

    assert "A new link was sent to this person less than a day ago." in response.text
    assert "you can send one a day: the next one from" in response.text
    assert _resent().count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.REPRESENTATIVE_LINK_SENT).count() == 1


def test_the_day_is_per_person_whoever_asks_and_ends_after_24_hours(office_a, leader_a):
    person = in_pool(office_a, RepresentativeStatus.AWAITING_CONSENT)
    ConsentTextFactory()
    now = timezone.now()
    representative_link_resend(
        representative=person, what=LinkToResend.CONSENT, by=leader_a, now=now
    )
    _resent().update(created_at=now)

    with pytest.raises(ValidationError, match="less than a day ago"):
        representative_link_resend(
            representative=person,
            what=LinkToResend.CONSENT,
            by=leader_a,
            now=now + timedelta(hours=23, minutes=59),
        )
    representative_link_resend(
        representative=person, what=LinkToResend.CONSENT, by=leader_a, now=now + timedelta(days=1)
    )

    assert _resent().count() == 2


def test_a_consent_request_is_not_sent_to_someone_whose_consent_is_in_force(
    client, office_a, leader_a
):
    person = in_pool(office_a, RepresentativeStatus.ACTIVE)
    client.force_login(leader_a)

    response = resend(client, person, "consent")

    assert "This person has consent in force; send a link to their page instead." in response.text
    assert not OutboxMessage.objects.filter(
        kind__in=["consent_request_resent", "my_page_link"]
    ).exists()


def test_the_page_offers_the_link_that_fits_and_only_to_leaders(client, office_a, leader_a, hr):
    waiting = in_pool(office_a, RepresentativeStatus.AWAITING_CONSENT)
    active = in_pool(office_a, RepresentativeStatus.ACTIVE)
    client.force_login(leader_a)

    waiting_page = client.get(reverse("representative_detail", args=[waiting.pk]), headers=EN)
    active_page = client.get(reverse("representative_detail", args=[active.pk]), headers=EN)
    client.force_login(hr)
    hr_page = client.get(reverse("representative_detail", args=[active.pk]), headers=EN)

    assert "Send the consent request again" in waiting_page.text
    assert "Send a new link to their page" not in waiting_page.text
    assert "Send a new link to their page" in active_page.text
    assert "Send the consent request again" not in active_page.text
    assert "Send a new link" not in hr_page.text


def test_only_a_leader_of_the_persons_office_can_send_and_only_by_post(
    client, office_a, leader_a, leader_b, hr
):
    person = in_pool(office_a, RepresentativeStatus.ACTIVE)
    url = reverse("representative_link_resend", args=[person.pk])

    client.force_login(leader_b)
    other_office = client.post(url, {"what": "my_page"})
    client.force_login(hr)
    reader = client.post(url, {"what": "my_page"})
    client.force_login(leader_a)
    by_get = client.get(url)

    assert (other_office.status_code, reader.status_code, by_get.status_code) == (404, 403, 405)
    assert not OutboxMessage.objects.filter(
        kind__in=["consent_request_resent", "my_page_link"]
    ).exists()


def test_a_consent_request_sent_again_gets_its_own_30_days_before_erasure(office_a, leader_a):
    ConsentTextFactory()
    person = in_pool(office_a, RepresentativeStatus.AWAITING_CONSENT)
    added = timezone.now() - timedelta(days=25)
    Representative.objects.filter(pk=person.pk).update(created_at=added)
    representative_link_resend(representative=person, what=LinkToResend.CONSENT, by=leader_a)
    # Delivered now: the erasure clock starts at delivery.
    _resent().update(status="sent", sent_at=timezone.now())

    kept = unanswered_consents_erase(now=added + timedelta(days=31))
    erased = unanswered_consents_erase(now=timezone.now() + timedelta(days=31))

    assert (kept, erased) == (0, 1)
    assert not Representative.objects.filter(pk=person.pk).exists()


def test_after_a_withdrawal_the_office_sends_the_new_request_my_page_promises(
    client, office_a, leader_a
):
    """For a person whose consent ended before withdrawal erased (rows from before issue 14):
    today's withdrawal erases at once, and the office adds the person anew."""
    text = ConsentTextFactory()
    person = in_pool(office_a, RepresentativeStatus.AWAITING_CONSENT)
    first = reverse("consent_link", args=[links.representative_token(person.pk)])
    client.post(first, {"consent_text": text.pk, "agree": "on"})
    person.consents.update(withdrawn_at=timezone.now() - timedelta(hours=1))
    Representative.objects.filter(pk=person.pk).update(status=RepresentativeStatus.WITHDRAWN)
    client.force_login(leader_a)

    resend(client, person, "consent")

    [message] = OutboxMessage.objects.filter(kind="consent_request_resent")
    client.logout()
    client.post(link_in(message, "/r/samtykke/"), {"consent_text": text.pk, "agree": "on"})
    person.refresh_from_db()
    assert person.status == RepresentativeStatus.ACTIVE
