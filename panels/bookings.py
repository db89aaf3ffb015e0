"""The time a seat holds in its representative's calendar (issue 14, point 6).

A seat books each local day of its panel's interviews, from that day's first start to its last
end: not the panel's whole span, so that a panel whose interviews are a week apart leaves the
person free for another panel in between. The rows are ``SeatBooking``s, kept by
``panels.services.seat_bookings_sync``; PostgreSQL refuses two that overlap (migration 0013),
and the eligibility rule and the moves ask the same question here first, for a clear message.
"""

from collections.abc import Sequence
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from interviews.enums import InterviewStatus

from .models import Panel, Representative, SeatBooking

Block = tuple[datetime, datetime]


def panel_booking_blocks(*, panel: Panel) -> list[Block]:
    """The time a seat on ``panel`` books: each local day of its scheduled interviews, from
    that day's first start to its last end (the panel's span if it has none scheduled)."""
    days: dict[date, Block] = {}
    for starts_at, ends_at in panel.interviews.filter(status=InterviewStatus.SCHEDULED).values_list(
        "starts_at", "ends_at"
    ):
        day = timezone.localdate(starts_at)
        first, last = days.get(day, (starts_at, ends_at))
        days[day] = (min(first, starts_at), max(last, ends_at))
    return sorted(days.values()) or [(panel.starts_at, panel.ends_at)]


def booking_overlaps(blocks: Sequence[Block]) -> Q:
    """Bookings that overlap any of ``blocks``."""
    overlap = Q(pk__in=[])
    for starts_at, ends_at in blocks:
        overlap |= Q(starts_at__lt=ends_at, ends_at__gt=starts_at)
    return overlap


def overlapping_booking_exists(
    *, representative: Representative, blocks: Sequence[Block], exclude: int | None
) -> bool:
    """Whether the person holds another seat whose booked time overlaps ``blocks``
    (``exclude``: a seat to ignore)."""
    bookings = SeatBooking.objects.filter(booking_overlaps(blocks), representative=representative)
    if exclude:
        bookings = bookings.exclude(seat_id=exclude)
    return bookings.exists()
