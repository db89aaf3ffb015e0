"""Factories for honoraria: rates, travel claims and seats with a recorded history."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import factory

from interviews.models import Office
from panels.enums import SeatStatus
from panels.models import Representative, Seat, SeatTransition
from reports.models import HonorariumRate, TravelClaim
from tests.factories.panels import OpenRoundFactory, PanelRowFactory, SeatFactory
from tests.factories.rounds import local


class HonorariumRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HonorariumRate
        django_get_or_create = ("valid_from",)

    valid_from = date(2024, 1, 1)
    day_rate = Decimal("1500.00")


class TravelClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TravelClaim

    seat = factory.SubFactory(SeatFactory, status=SeatStatus.ATTENDED)
    amount = Decimal("250.00")
    description = "Buss tur/retur"


def past_seat(
    *,
    office: Office,
    representative: Representative,
    day: date,
    at: str = "09:00",
    status: str = SeatStatus.ATTENDED,
    cancelled_at: datetime | None = None,
    backgrounds: list[str] | None = None,
) -> Seat:
    """A seat on a three-hour panel of ``office`` on ``day``, with its history recorded.

    A cancelled seat was accepted first and cancelled by the leader at ``cancelled_at``.
    """
    starts_at = local(day, at)
    panel = PanelRowFactory(
        round=OpenRoundFactory(office=office),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
    )
    seat = SeatFactory(
        panel=panel,
        representative=representative,
        status=status,
        backgrounds_snapshot=backgrounds or [],
    )
    history = [(SeatStatus.INVITED, SeatStatus.ACCEPTED, "representative")]
    if status in (SeatStatus.ATTENDED, SeatStatus.NO_SHOW, SeatStatus.CANCELLED):
        history.append((SeatStatus.ACCEPTED, status, "leader"))
    for from_status, to_status, actor in history:
        transition = SeatTransition.objects.create(
            seat=seat, from_status=from_status, to_status=to_status, actor=actor
        )
        if to_status == SeatStatus.CANCELLED and cancelled_at is not None:
            SeatTransition.objects.filter(pk=transition.pk).update(at=cancelled_at)
    return seat


def previous_quarter(today: date) -> tuple[int, int, date, date]:
    """The quarter before the one ``today`` is in: (year, quarter, first day, last day)."""
    from reports.periods import quarter_bounds, quarter_of

    year, quarter = quarter_of(today)
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    first, last = quarter_bounds(year, quarter)
    return year, quarter, first, last


def honoraria_scenario(*, office_a: Office, office_b: Office, today: date) -> dict:
    """A quarter of seats at Rana (A) and Hadeland (B), with the figure worked out by hand.

    Rates: NOK 1 500 from 2024-01-01, NOK 1 800 from day 30 of the quarter.

    - Kari Rana: two panels at Rana on day 9 (one day, 1 500); attended day 40 (1 800) with a
      travel claim of 250.50 → 3 550.50.
    - Ola Rana: did not come on day 10 (0); cancelled by the office 3 hours before day 45
      (1 800); cancelled 3 days before day 50 (0) → 1 800.00.
    - Per Hadeland: attended day 20 at Hadeland (1 500); attended 5 days before the quarter
      (outside the period) → 1 500.00.

    Rana 5 350.50, Hadeland 1 500.00, in all 6 850.50.
    """
    from tests.factories.panels import PoolRepresentativeFactory

    year, quarter, first, last = previous_quarter(today)
    HonorariumRateFactory(valid_from=date(2024, 1, 1), day_rate=Decimal("1500.00"))
    HonorariumRateFactory(valid_from=first + timedelta(days=30), day_rate=Decimal("1800.00"))
    kari = PoolRepresentativeFactory(name="Kari Rana", offices=[office_a])
    ola = PoolRepresentativeFactory(name="Ola Rana", offices=[office_a])
    per = PoolRepresentativeFactory(name="Per Hådeland", offices=[office_b])

    def day(n: int) -> date:
        return first + timedelta(days=n)

    past_seat(office=office_a, representative=kari, day=day(9), at="09:00")
    past_seat(office=office_a, representative=kari, day=day(9), at="13:00")
    travelled = past_seat(office=office_a, representative=kari, day=day(40))
    TravelClaimFactory(seat=travelled, amount=Decimal("250.50"), description="Buss Korgen")
    past_seat(office=office_a, representative=ola, day=day(10), status=SeatStatus.NO_SHOW)
    late = local(day(45), "09:00") - timedelta(hours=3)
    past_seat(
        office=office_a,
        representative=ola,
        day=day(45),
        status=SeatStatus.CANCELLED,
        cancelled_at=late,
    )
    early = local(day(50), "09:00") - timedelta(days=3)
    past_seat(
        office=office_a,
        representative=ola,
        day=day(50),
        status=SeatStatus.CANCELLED,
        cancelled_at=early,
    )
    past_seat(office=office_b, representative=per, day=day(20))
    past_seat(office=office_b, representative=per, day=first - timedelta(days=5))
    return {
        "year": year,
        "quarter": quarter,
        "first": first,
        "last": last,
        "kari": kari,
        "ola": ola,
        "per": per,
        "travelled": travelled,
        "kari_total": Decimal("3550.50"),
        "ola_total": Decimal("1800.00"),
        "per_total": Decimal("1500.00"),
        "rana_total": Decimal("5350.50"),
        "hadeland_total": Decimal("1500.00"),
        "total": Decimal("6850.50"),
    }
