"""A representative who chose nynorsk is written to in nynorsk (issue 19, point 2): every email,
its dates and weekdays, and the calendar entry that travels with it. Staff may switch to it too."""

import base64
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from outbox.models import Channel, OutboxMessage
from panels import services
from panels.emails import when
from panels.enums import Contact, Language
from panels.pool.services import representative_create
from tests.factories.links import ActiveRepresentativeFactory, ConsentTextFactory, invited_seat
from tests.factories.panels import InterviewFactory, OpenRoundFactory, PoolRepresentativeFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def _event(message: OutboxMessage):
    [attachment] = message.attachments
    [event] = Calendar.from_ical(base64.b64decode(attachment["content"])).events
    return event


def _seat_of_nynorsk_reader(office, leader):
    hiring_round = OpenRoundFactory(office=office, position_title="Erfaringskonsulent")
    start = datetime(2030, 3, 26, 9, 0, tzinfo=OSLO)
    interview = InterviewFactory(
        round=hiring_round, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    panel = services.panel_create(hiring_round=hiring_round, interviews=[interview])
    person = PoolRepresentativeFactory(
        name="Synnøve Solbakken", offices=[office], language=Language.NN
    )
    return services.seat_invite(panel=panel, representative=person, by=leader)


def test_dates_read_in_nynorsk_with_nynorsk_weekdays():
    thursday = datetime(2026, 2, 5, 10, 0, tzinfo=OSLO)

    assert when(thursday, "nn") == "torsdag 5. februar 2026 10:00"
    assert when(thursday + timedelta(days=5), "nn") == "tysdag 10. februar 2026 10:00"
    assert when(thursday - timedelta(days=3), "nn") == "måndag 2. februar 2026 10:00"


def test_the_invitation_and_its_calendar_entry_are_in_nynorsk(office_a, leader_a):
    _seat_of_nynorsk_reader(office_a, leader_a)

    message = OutboxMessage.objects.get(kind="invitation")

    assert message.subject == (
        "Invitasjon: intervjupanel ved NAV Rana, tysdag 26. mars 2030 09:00–10:00"
    )
    assert "Hei Synnøve," in message.body_text
    assert "Les meir og svar ja eller nei her:" in message.body_text
    assert '<html lang="nn">' in message.body_html
    event = _event(message)
    assert str(event["summary"]) == "Ikkje svart enno: Intervjupanel: Erfaringskonsulent, NAV Rana"
    assert event["summary"].params["LANGUAGE"] == "nn"
    assert str(event["description"]).startswith("Du er brukarrepresentant i intervjupanelet.")


def test_the_confirmation_and_the_move_are_in_nynorsk(office_a, leader_a):
    seat = _seat_of_nynorsk_reader(office_a, leader_a)
    services.seat_accept(seat=seat)

    services.panel_move(panel=seat.panel, day=date(2030, 3, 27), starts_at=time(12, 0), by=leader_a)

    confirmation = OutboxMessage.objects.get(kind="confirmation")
    moved = OutboxMessage.objects.get(kind="moved")
    assert confirmation.subject == (
        "Stadfesta: intervjupanel ved NAV Rana, tysdag 26. mars 2030 09:00–10:00"
    )
    assert moved.subject == (
        "Nytt tidspunkt: intervjupanel ved NAV Rana, onsdag 27. mars 2030 12:00–13:00"
    )
    assert str(_event(moved)["summary"]) == "Intervjupanel: Erfaringskonsulent, NAV Rana"
    [alarm] = _event(moved).walk("VALARM")
    assert str(alarm["description"]) == "I morgon: Intervjupanel: Erfaringskonsulent, NAV Rana"


def test_someone_reached_by_sms_who_chose_nynorsk_gets_the_sms_in_nynorsk(office_a):
    person = ActiveRepresentativeFactory(
        offices=[office_a],
        name="Synnøve Solbakken",
        email="",
        phone="+4791234567",
        contact=Contact.SMS,
        language=Language.NN,
    )

    invited_seat(office=office_a, representative=person)

    [invitation] = OutboxMessage.objects.filter(kind="invitation", channel=Channel.SMS)
    assert invitation.body_text.startswith("Hei Synnøve! NAV Rana inviterer deg til")
    assert "Svar innan " in invitation.body_text
    assert not OutboxMessage.objects.filter(
        representative_id=person.pk, channel=Channel.EMAIL
    ).exists()


def test_a_leader_adding_someone_who_writes_nynorsk_sends_the_consent_request_in_nynorsk(
    office_a, leader_a
):
    ConsentTextFactory()

    representative_create(
        offices=[office_a], by=leader_a, name="Ivar Aasen", email="ivar@example.no", language="nn"
    )

    message = OutboxMessage.objects.get(kind="consent_request")
    assert message.subject == "NAV Rana: vil du vere brukarrepresentant hos oss?"
    assert "Viss du ikkje svarer innan 30 dagar" in message.body_text


def test_the_staff_language_switcher_offers_all_three_and_nynorsk_speaks_nynorsk(client, leader_a):
    client.force_login(leader_a)

    bokmal = client.get(reverse("dashboard"))
    client.post(reverse("set_language"), {"language": "nn", "next": reverse("dashboard")})
    nynorsk = client.get(reverse("round_list"))

    switcher = bokmal.text.split('class="language-switcher"')[1].split("</form>")[0]
    assert 'value="nn" lang="nn"' in switcher and "Norsk nynorsk" in switcher
    assert 'value="en" lang="en"' in switcher and "English" in switcher
    assert '<html lang="nn"' in nynorsk.text
    assert "Rekrutteringsrundar" in nynorsk.text
    switcher = nynorsk.text.split('class="language-switcher"')[1].split("</form>")[0]
    assert "Norsk bokmål" in switcher and "English" in switcher
