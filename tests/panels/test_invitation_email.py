"""What an invited representative receives, and who is never suggested again."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import signing

from outbox.models import OutboxMessage
from panels import links, services
from panels.eligibility import eligible_representatives
from panels.enums import SeatStatus
from panels.suggestions.pool import pool_members_for_panel
from tests.factories.panels import InterviewFactory, OpenRoundFactory, PoolRepresentativeFactory
from tests.factories.reports import HonorariumRateFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def _panel_on(hiring_round, start: datetime):
    interview = InterviewFactory(
        round=hiring_round, starts_at=start, ends_at=start.replace(hour=start.hour + 1)
    )
    return services.panel_create(hiring_round=hiring_round, interviews=[interview])


def test_invitation_email_holds_the_office_position_oslo_time_place_and_a_link_to_the_seat(
    office_a, leader_a
):
    hiring_round = OpenRoundFactory(office=office_a, position_title="Erfaringskonsulent")
    panel = _panel_on(hiring_round, datetime(2030, 3, 26, 9, 0, tzinfo=OSLO))
    kari = PoolRepresentativeFactory(
        name="Kari Nordmann", email="kari@example.no", offices=[office_a]
    )

    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)

    message = OutboxMessage.objects.get(kind="invitation")
    assert message.key == f"invitation:seat:{seat.pk}:v1"
    assert message.to == "kari@example.no"
    assert message.from_header == "NAV Rana <navpanel@nav.no>"
    assert message.subject == (
        "Invitasjon: intervjupanel ved NAV Rana, tirsdag 26. mars 2030 09:00–10:00"
    )
    assert "Hei Kari," in message.body_text
    assert "«Erfaringskonsulent»" in message.body_text
    assert "Møterom Saltfjellet" in message.body_text
    link = re.search(r"http://\S+/r/plass/(\S+)/", message.body_text)
    assert link is not None and link.group(0) in message.body_html
    assert signing.loads(link.group(1), salt=links.SEAT_SALT) == seat.pk
    assert "kari" not in link.group(0).lower()


def test_invitation_states_the_street_address_and_the_honorarium_in_force_on_the_day(
    office_a, leader_a
):
    office_a.street_address = "Fridtjof Nansens gate 11, 8622 Mo i Rana"
    office_a.save(update_fields=["street_address"])
    HonorariumRateFactory(valid_from=date(2024, 1, 1), day_rate=Decimal("1500.00"))
    HonorariumRateFactory(valid_from=date(2030, 3, 1), day_rate=Decimal("1800.00"))
    HonorariumRateFactory(valid_from=date(2030, 6, 1), day_rate=Decimal("2000.00"))
    panel = _panel_on(OpenRoundFactory(office=office_a), datetime(2030, 3, 26, 9, 0, tzinfo=OSLO))

    services.seat_invite(
        panel=panel, representative=PoolRepresentativeFactory(offices=[office_a]), by=leader_a
    )

    message = OutboxMessage.objects.get(kind="invitation")
    for body in (message.body_text, message.body_html):
        assert "Fridtjof Nansens gate 11, 8622 Mo i Rana" in body
        assert re.search(r"Honorar: 1\s800,00 kr for intervjudagen", body)


def test_a_representative_who_declined_this_round_is_not_eligible_for_its_other_panels(
    office_a, leader_a
):
    hiring_round = OpenRoundFactory(office=office_a)
    first = _panel_on(hiring_round, datetime(2030, 3, 26, 9, 0, tzinfo=OSLO))
    second = _panel_on(hiring_round, datetime(2030, 3, 28, 9, 0, tzinfo=OSLO))
    per = PoolRepresentativeFactory(name="Per Hansen", offices=[office_a])
    kari = PoolRepresentativeFactory(name="Kari Olsen", offices=[office_a])
    seat = services.seat_invite(panel=first, representative=per, by=leader_a)
    services.seat_transition(seat=seat, to=SeatStatus.DECLINED, actor="representative")

    eligible = set(eligible_representatives(panel=second))
    suggested = {m.id for m in pool_members_for_panel(panel=second)}

    assert eligible == {kari}
    assert suggested == {kari.pk}


def test_the_same_person_in_another_round_is_eligible_again(office_a, leader_a):
    declined_round = OpenRoundFactory(office=office_a)
    other_round = OpenRoundFactory(office=office_a)
    first = _panel_on(declined_round, datetime(2030, 3, 26, 9, 0, tzinfo=OSLO))
    other = _panel_on(other_round, datetime(2030, 3, 28, 9, 0, tzinfo=OSLO))
    per = PoolRepresentativeFactory(offices=[office_a])
    seat = services.seat_invite(panel=first, representative=per, by=leader_a)
    services.seat_transition(seat=seat, to=SeatStatus.DECLINED, actor="representative")

    assert list(eligible_representatives(panel=other)) == [per]
