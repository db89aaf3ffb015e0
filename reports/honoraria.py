"""What we owe representatives for a period: attended interview days and travel claims.

Rules (README, "Honoraria"; docs/decisions.md):

- A representative is paid one *interview day* per office and local (Europe/Oslo) date on which
  they attended at least one panel of that office; two panels of one office on the same day are
  one day. The amount is the ``HonorariumRate`` in force on that date.
- A seat the office cancelled (the leader, or the panel or interview was cancelled) after the
  representative had accepted, less than ``HONORARIUM_PAY_LATE_CANCELLATION_HOURS`` before it
  started, is paid like an attended one. No-shows and other cancelled seats are not paid.
- Travel claims entered by a leader are added as their own lines, dated on the seat's day.
- Seats of an erased representative are not listed: there is nobody left to pay.

Everything is scoped through ``interviews.selectors.offices_for_user``.
"""

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import CharField, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from interviews.models import Office
from interviews.selectors import offices_for_user
from panels.enums import SeatStatus
from panels.models import Seat, SeatTransition

from .enums import LineKind
from .models import HonorariumRate, TravelClaim

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class HonorariumLine:
    """One line a payroll clerk pays: a day's honorarium or one travel claim."""

    representative_id: int
    representative_name: str
    reference: str
    office_id: int
    office_name: str
    date: date
    kind: str
    description: str
    amount: Decimal
    rate_missing: bool = False
    seat_ids: tuple[int, ...] = ()


@dataclass
class RepresentativeTotal:
    representative_id: int
    representative_name: str
    reference: str
    days: int = 0
    day_amount: Decimal = ZERO
    travel_amount: Decimal = ZERO
    lines: list[HonorariumLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.day_amount + self.travel_amount


@dataclass
class OfficeTotal:
    office_id: int
    office_name: str
    days: int = 0
    day_amount: Decimal = ZERO
    travel_amount: Decimal = ZERO
    representatives: set[int] = field(default_factory=set)

    @property
    def total(self) -> Decimal:
        return self.day_amount + self.travel_amount


@dataclass
class HonorariaTotals:
    representatives: list[RepresentativeTotal]
    offices: list[OfficeTotal]
    days: int
    day_amount: Decimal
    travel_amount: Decimal

    @property
    def total(self) -> Decimal:
        return self.day_amount + self.travel_amount


def representative_reference(representative_id: int) -> str:
    """The stable reference payroll sees for a representative: ``R-<id>``."""
    return f"R-{representative_id}"


def scoped_offices(*, user: User, offices: Iterable[Office] | None = None) -> QuerySet[Office]:
    """The offices in ``user``'s scope, narrowed to ``offices`` when given (never widened)."""
    visible = offices_for_user(user)
    if offices is not None:
        visible = visible.filter(pk__in=[office.pk for office in offices])
    return visible


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


class _Rates:
    """The rate in force on a date: the newest with ``valid_from`` on or before it."""

    def __init__(self) -> None:
        rates = list(HonorariumRate.objects.order_by("valid_from"))
        self._starts = [rate.valid_from for rate in rates]
        self._amounts = [rate.day_rate for rate in rates]

    def on(self, day: date) -> Decimal | None:
        index = bisect.bisect_right(self._starts, day) - 1
        return self._amounts[index] if index >= 0 else None


def _paid() -> Q:
    """The seats that earn a day's honorarium: attended, or accepted and then cancelled by the
    office less than ``HONORARIUM_PAY_LATE_CANCELLATION_HOURS`` before the start. The one
    statement of the rule, for the payroll lines and the roster's amounts alike."""
    notice = timedelta(hours=settings.HONORARIUM_PAY_LATE_CANCELLATION_HOURS)
    late_cancellation = SeatTransition.objects.filter(
        seat=OuterRef("pk"),
        to_status=SeatStatus.CANCELLED,
        from_status=SeatStatus.ACCEPTED,
        at__gt=OuterRef("starts_at") - notice,
    ).exclude(actor="representative")
    return Q(status=SeatStatus.ATTENDED) | Q(status=SeatStatus.CANCELLED) & Q(
        Exists(late_cancellation)
    )


def seat_amounts(
    *,
    user: User,
    date_from: date | None = None,
    date_to: date | None = None,
    offices: Iterable[Office] | None = None,
) -> dict[int, Decimal]:
    """What each seat earns by the rules of ``honoraria_lines``, for the roster and its exports:
    the day's rate on the first paid seat (lowest id) of each representative, office and local
    date, plus the travel claimed for the seat. Seats not in the result earn nothing.

    Two queries of plain tuples whatever the period (no model instances); the database groups
    the paid seats by (representative, office, day), so an export of every seat in the country
    keeps only the answer in memory. ``date_from``/``date_to`` None means unbounded.
    """
    in_scope = scoped_offices(user=user, offices=offices)
    period = Q()
    if date_from is not None:
        period &= Q(starts_at__gte=_bounds(date_from, date_from)[0])
    if date_to is not None:
        period &= Q(starts_at__lt=_bounds(date_to, date_to)[1])
    paid = (
        Seat.objects.filter(period, panel__round__office__in=in_scope, representative__isnull=False)
        .filter(_paid())
        # The day as ISO text: a hundred thousand groups, a few hundred distinct days.
        .annotate(
            day=Cast(TruncDate("starts_at", tzinfo=timezone.get_current_timezone()), CharField())
        )
        # One row per (representative, office, day): its first paid seat, the one paid for.
        .values("representative_id", "panel__round__office_id", "day")
        .annotate(first=Min("pk"))
        .order_by()
        .values_list("first", "day")
    )
    rates = _Rates()
    rate_on: dict[str, Decimal] = {}
    amounts: dict[int, Decimal] = {}
    for pk, day in paid.iterator(chunk_size=5000):
        rate = rate_on.get(day)
        if rate is None:
            rate = rate_on[day] = rates.on(date.fromisoformat(day)) or ZERO
        amounts[pk] = rate
    travel = TravelClaim.objects.filter(
        seat__in=Seat.objects.filter(
            period, panel__round__office__in=in_scope, representative__isnull=False
        )
    ).values_list("seat_id", "amount")
    for seat_id, amount in travel:
        amounts[seat_id] = amounts.get(seat_id, ZERO) + amount
    return amounts


def honoraria_lines(
    *,
    user: User,
    date_from: date,
    date_to: date,
    offices: Iterable[Office] | None = None,
) -> list[HonorariumLine]:
    """Every payable line between ``date_from`` and ``date_to`` (inclusive, local dates) at the
    offices in ``user``'s scope (narrowed to ``offices``), sorted by name, date, kind."""
    start, end = _bounds(date_from, date_to)
    in_scope = scoped_offices(user=user, offices=offices)
    seats = list(
        Seat.objects.filter(
            panel__round__office__in=in_scope,
            representative__isnull=False,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .filter(_paid())
        .select_related("representative", "panel__round__office")
    )
    rates = _Rates()

    days: dict[tuple[int | None, int, date], list[Seat]] = defaultdict(list)
    for seat in seats:
        key = (
            seat.representative_id,
            seat.panel.round.office_id,
            timezone.localdate(seat.starts_at),
        )
        days[key].append(seat)

    lines = []
    for (_representative_id, _office_id, day), day_seats in days.items():
        first = day_seats[0]
        rate = rates.on(day)
        attended = any(seat.status == SeatStatus.ATTENDED for seat in day_seats)
        lines.append(
            _line(
                seat=first,
                day=day,
                kind=LineKind.DAY,
                description=_("Interview day")
                if attended
                else _("Interview day (cancelled at short notice)"),
                amount=rate if rate is not None else ZERO,
                rate_missing=rate is None,
                seat_ids=tuple(sorted(seat.pk for seat in day_seats)),
            )
        )

    claims = TravelClaim.objects.filter(
        seat__panel__round__office__in=in_scope,
        seat__representative__isnull=False,
        seat__starts_at__gte=start,
        seat__starts_at__lt=end,
    ).select_related("seat__representative", "seat__panel__round__office")
    for claim in claims:
        lines.append(
            _line(
                seat=claim.seat,
                day=timezone.localdate(claim.seat.starts_at),
                kind=LineKind.TRAVEL,
                description=_("Travel: %(description)s") % {"description": claim.description},
                amount=claim.amount,
                seat_ids=(claim.seat_id,),
            )
        )
    kind_order: dict[str, int] = {LineKind.DAY: 0, LineKind.TRAVEL: 1}
    lines.sort(
        key=lambda line: (
            line.representative_name.casefold(),
            line.representative_id,
            line.date,
            line.office_name,
            kind_order[line.kind],
            line.seat_ids,
        )
    )
    return lines


def _line(
    *,
    seat: Seat,
    day: date,
    kind: str,
    description: str,
    amount: Decimal,
    seat_ids: tuple[int, ...],
    rate_missing: bool = False,
) -> HonorariumLine:
    office = seat.panel.round.office
    representative = seat.holder()
    return HonorariumLine(
        representative_id=representative.pk,
        representative_name=representative.name,
        reference=representative_reference(representative.pk),
        office_id=office.pk,
        office_name=office.name,
        date=day,
        kind=kind,
        description=description,
        amount=amount,
        rate_missing=rate_missing,
        seat_ids=seat_ids,
    )


def totals_from_lines(lines: Iterable[HonorariumLine]) -> HonorariaTotals:
    """Sum ``lines`` per representative and per office."""
    people: dict[int, RepresentativeTotal] = {}
    offices: dict[int, OfficeTotal] = {}
    for line in lines:
        person = people.setdefault(
            line.representative_id,
            RepresentativeTotal(
                representative_id=line.representative_id,
                representative_name=line.representative_name,
                reference=line.reference,
            ),
        )
        office = offices.setdefault(
            line.office_id, OfficeTotal(office_id=line.office_id, office_name=line.office_name)
        )
        person.lines.append(line)
        office.representatives.add(line.representative_id)
        if line.kind == LineKind.DAY:
            person.days += 1
            person.day_amount += line.amount
            office.days += 1
            office.day_amount += line.amount
        else:
            person.travel_amount += line.amount
            office.travel_amount += line.amount
    representatives = sorted(
        people.values(), key=lambda p: (p.representative_name.casefold(), p.representative_id)
    )
    office_list = sorted(offices.values(), key=lambda o: o.office_name)
    return HonorariaTotals(
        representatives=representatives,
        offices=office_list,
        days=sum(o.days for o in office_list),
        day_amount=sum((o.day_amount for o in office_list), ZERO),
        travel_amount=sum((o.travel_amount for o in office_list), ZERO),
    )


def honoraria_totals(
    *,
    user: User,
    date_from: date,
    date_to: date,
    offices: Iterable[Office] | None = None,
) -> HonorariaTotals:
    """``honoraria_lines`` summed per representative and per office."""
    return totals_from_lines(
        honoraria_lines(user=user, date_from=date_from, date_to=date_to, offices=offices)
    )
