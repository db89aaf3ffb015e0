"""SMS to representatives (issue 19, point 1): who gets one, how long it is, and its short link.

Every SMS kind is rendered through the real senders for a person with the longest plausible
office, position, place and first name, in bokmål and English, and counted with the GSM-7/UCS-2
segment counter: at most two SMS each.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from interviews.models import Office
from outbox.models import Channel, OutboxMessage, OutboxStatus
from outbox.segments import encoding, segments
from panels import emails
from panels.enums import Contact, SeatStatus
from panels.erasure import representative_erase
from panels.models import Panel, Seat, ShortLink
from panels.retention import retention_run
from panels.short_links import short_links_purge
from tests.factories import OfficeFactory
from tests.factories.links import ActiveRepresentativeFactory, invited_seat

pytestmark = pytest.mark.django_db

MOBILE = "+4791234567"

LONGEST_OFFICE = "NAV Midt-Troms: Bardu, Målselv, Sørreisa, Lavangen og Salangen"
SAMI_OFFICE = "NAV Guovdageaidnu-Kautokeino og Kárášjohka-Karasjok"
LONGEST_POSITION = (
    "Seniorrådgiver med fagansvar for arbeidsrettet brukeroppfølging og kvalifisering av "
    "unge under 30 år (vikariat)"
)
LONGEST_PLACE = "Storgata 112, 3. etasje, møterom «Fjellsyn» (inngang fra bakgården)"


def _phone_only(office: Office, **fields: object):
    return ActiveRepresentativeFactory(
        offices=[office],
        name="Marie-Christine Aune",
        email="",
        phone=MOBILE,
        contact=Contact.SMS,
        **fields,
    )


def _every_sms_for(seat: Seat) -> list[OutboxMessage]:
    person = seat.representative
    emails.consent_request(representative=person)
    emails.consent_request(representative=person, resent=True, again="2026-12-01")
    emails.my_page_link(representative=person, office=seat.panel.round.office, again="x")
    consent = person.consents.create(
        text_id=1, given_at=timezone.now() - timedelta(days=700), via="consent_link"
    )
    emails.consent_renewal(representative=person, consent=consent)
    emails.seat_answer_reminder(seat=seat)
    emails.seat_reminder(seat=seat, days=3, day=date(2026, 12, 24))
    emails.seat_reminder(seat=seat, days=1, day=date(2026, 12, 24))
    Panel.objects.filter(pk=seat.panel_id).update(calendar_sequence=3)
    seat.refresh_from_db()
    emails.seat_moved(seat=seat)
    for ended_as in ("panel_cancelled", "declined", "expired", "withdrawn", "cancelled"):
        Seat.objects.filter(pk=seat.pk).update(status=SeatStatus.CANCELLED)
        OutboxMessage.objects.filter(kind="cancelled").delete()
        emails.seat_ended(seat=seat, ended_as=ended_as)
        yield from OutboxMessage.objects.filter(kind="cancelled", channel=Channel.SMS)
    emails.seat_taken_off(seat=seat)
    emails.seat_cant_come_confirmation(seat=seat)
    emails.seat_feedback_request(seat=seat)
    emails.representative_erased_confirmation(representative=person, seats=[seat])
    yield from OutboxMessage.objects.filter(channel=Channel.SMS).exclude(kind="cancelled")


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("office_name", [LONGEST_OFFICE, SAMI_OFFICE])
def test_every_sms_with_the_longest_names_stays_within_two_segments(
    settings, language, office_name
):
    settings.SITE_URL = "https://brukerpanel.intern.nav.no"
    office = OfficeFactory(name=office_name)
    seat = invited_seat(office=office, representative=_phone_only(office, language=language))
    seat.panel.round.__class__.objects.filter(pk=seat.panel.round_id).update(
        position_title=LONGEST_POSITION
    )
    Panel.objects.filter(pk=seat.panel_id).update(location=LONGEST_PLACE)
    seat = Seat.objects.select_related("panel__round__office", "representative").get(pk=seat.pk)

    sent = list(_every_sms_for(seat))

    kinds = {message.kind for message in sent}
    assert kinds == set(emails.SmsKind.values)
    for message in sent:
        text = message.body_text
        assert segments(text) <= 2, f"{message.kind}: {segments(text)} SMS ({len(text)}): {text}"
        if message.kind != "erased_confirmation":
            assert "/r/k/" in text, message.kind
        if office_name == LONGEST_OFFICE:
            assert encoding(text) == "GSM-7", f"{message.kind}: {text}"
    print(f"\n{language}: " + "\n".join(f"{m.kind}: {m.body_text}" for m in sent[:3]))


def test_a_phone_only_person_gets_sms_and_no_email(office_a):
    seat = invited_seat(office=office_a, representative=_phone_only(office_a))

    [sms] = OutboxMessage.objects.filter(
        kind="invitation", representative_id=seat.representative_id
    )
    assert sms.channel == Channel.SMS and sms.to == MOBILE
    assert sms.subject == "" and sms.attachments == []
    assert sms.body_text.startswith("Hei Marie-Christine! NAV Rana inviterer deg")
    assert sms.office == office_a


def test_both_gets_an_email_and_an_sms_and_email_only_no_sms(office_a):
    both = ActiveRepresentativeFactory(offices=[office_a], phone=MOBILE, contact=Contact.BOTH)
    # A number of their own: one mobile number is one person's (issue 19).
    email_only = ActiveRepresentativeFactory(offices=[office_a], phone="+4741234567")

    invited_seat(office=office_a, representative=both)
    invited_seat(office=office_a, representative=email_only)

    def channels(person) -> list[str]:
        return sorted(
            OutboxMessage.objects.filter(
                kind="invitation", representative_id=person.pk
            ).values_list("channel", flat=True)
        )

    assert channels(both) == ["email", "sms"]
    assert channels(email_only) == ["email"]


def test_calling_a_sender_twice_queues_one_sms_and_keeps_one_short_link(office_a):
    seat = invited_seat(office=office_a, representative=_phone_only(office_a))

    assert emails.seat_invitation(seat=seat) is False

    assert OutboxMessage.objects.filter(kind="invitation", channel=Channel.SMS).count() == 1
    assert ShortLink.objects.filter(seat=seat).count() == 1


def test_the_short_link_leads_to_the_signed_link_and_changes_nothing(client, office_a):
    seat = invited_seat(office=office_a, representative=_phone_only(office_a))
    [link] = ShortLink.objects.filter(seat=seat)
    sms = OutboxMessage.objects.get(kind="invitation", channel=Channel.SMS)
    code = sms.body_text.rsplit("/r/k/", 1)[1]
    assert code == link.code and len(code) == 10
    events_before = AuditEvent.objects.count()

    response = client.get(reverse("short_link", args=[code]))

    assert response.status_code == 302
    assert response["Location"].startswith("/r/plass/")
    assert "no-store" in response["Cache-Control"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Veileder" in page.text
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.INVITED
    assert AuditEvent.objects.count() == events_before


def test_an_unknown_short_code_is_the_invalid_link_page(client):
    response = client.get(reverse("short_link", args=["AAAAAAAAAA"]))

    assert response.status_code == 404


def test_a_short_link_expires_with_its_panel_and_is_then_purged(client, office_a, settings):
    seat = invited_seat(office=office_a, representative=_phone_only(office_a))
    [link] = ShortLink.objects.filter(seat=seat)
    over = seat.panel.ends_at + timedelta(days=settings.SEAT_LINK_GRACE_DAYS, minutes=1)
    Panel.objects.filter(pk=seat.panel_id).update(
        starts_at=seat.panel.starts_at - (over - timezone.now()),
        ends_at=seat.panel.ends_at - (over - timezone.now()),
    )

    assert client.get(reverse("short_link", args=[link.code])).status_code == 404
    assert short_links_purge() == 1
    assert not ShortLink.objects.exists()


def test_a_consent_short_link_lasts_as_long_as_the_consent_link(office_a):
    person = _phone_only(office_a)
    emails.consent_request(representative=person)
    [link] = ShortLink.objects.filter(representative=person, seat=None)

    assert short_links_purge(now=timezone.now() + timedelta(days=29)) == 0
    retention_run(now=timezone.now() + timedelta(days=31))
    assert not ShortLink.objects.filter(pk=link.pk).exists()


def test_erasing_the_person_deletes_their_sms_content_and_short_links(office_a):
    seat = invited_seat(office=office_a, representative=_phone_only(office_a))
    person = seat.representative

    representative_erase(representative=person, reason="request")

    assert not ShortLink.objects.exists()
    sms = OutboxMessage.objects.get(kind="invitation", channel=Channel.SMS)
    assert sms.status == OutboxStatus.FAILED
    assert MOBILE not in sms.to and sms.body_text == ""


def test_a_phone_only_person_who_withdraws_gets_the_confirmation_by_sms_and_then_nothing_is_left(
    client, office_a, sms_settings
):
    from outbox.services import message_deliver
    from panels import links

    seat = invited_seat(office=office_a, representative=_phone_only(office_a))
    page = reverse("my_page", args=[links.my_page_token(seat.representative_id)])

    done = client.post(page, {"action": "withdraw"}, follow=True)

    # Her pages speak her language (bokmål), as her SMS do.
    assert "Vi har sendt deg en e-post eller SMS som sier det samme." in done.text
    [confirmation] = OutboxMessage.objects.filter(kind="erased_confirmation")
    assert confirmation.channel == Channel.SMS and "/r/k/" not in confirmation.body_text
    assert message_deliver(message_id=confirmation.pk) == OutboxStatus.SENT
    [received] = sms_settings.received_by(MOBILE)
    assert received.text.startswith("Vi har slettet det vi lagret om deg")
    confirmation.refresh_from_db()
    assert MOBILE not in confirmation.to and confirmation.body_text == ""
    assert not ShortLink.objects.exists()
