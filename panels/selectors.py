"""Reads for the pool, panels and seats, always scoped through ``offices_for_user``."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from interviews.selectors import offices_for_user

from .enums import BOOKING_STATUSES, LIVE_STATUSES, RepresentativeStatus, SeatStatus
from .models import ConflictOfInterest, Panel, Representative, Seat
from .suggestions import PoolMember


def representatives_for_user(user: User) -> QuerySet[Representative]:
    """Representatives in the pool of any office ``user`` may see."""
    return Representative.objects.filter(offices__in=offices_for_user(user)).distinct()


def panels_for_user(user: User) -> QuerySet[Panel]:
    """Panels of the rounds of the offices ``user`` may see."""
    return Panel.objects.filter(round__office__in=offices_for_user(user)).select_related(
        "round", "round__office"
    )


def seats_for_user(user: User) -> QuerySet[Seat]:
    return Seat.objects.filter(panel__round__office__in=offices_for_user(user))


def eligible_representatives(*, panel: Panel) -> QuerySet[Representative]:
    """Who may be invited to ``panel``.

    In the office's pool, with consent (active), not already on the panel, not booked at an
    overlapping time, not having declined or let an invitation expire in this round, and with
    no declared conflict of interest with a candidate of the panel's interviews.
    """
    hiring_round = panel.round
    busy = Seat.objects.filter(
        status__in=BOOKING_STATUSES,
        starts_at__lt=panel.ends_at,
        ends_at__gt=panel.starts_at,
    ).values("representative_id")
    said_no = Seat.objects.filter(
        panel__round=hiring_round, status__in=(SeatStatus.DECLINED, SeatStatus.EXPIRED)
    ).values("representative_id")
    on_panel = panel.seats.filter(status__in=LIVE_STATUSES).values("representative_id")
    conflicted = ConflictOfInterest.objects.filter(candidate__interviews__panels=panel).values(
        "representative_id"
    )
    return (
        Representative.objects.filter(
            offices=hiring_round.office_id, status=RepresentativeStatus.ACTIVE
        )
        .exclude(pk__in=busy)
        .exclude(pk__in=said_no)
        .exclude(pk__in=on_panel)
        .exclude(pk__in=conflicted)
    )


def pool_members_for_panel(*, panel: Panel, now: datetime | None = None) -> list[PoolMember]:
    """The eligible representatives with the facts the suggestion engine weighs."""
    now = now or timezone.now()
    year_ago = now - timedelta(days=365)
    counted = (SeatStatus.ACCEPTED, SeatStatus.ATTENDED)
    representatives = (
        eligible_representatives(panel=panel)
        .prefetch_related("backgrounds")
        .annotate(
            seats_12m=Count(
                "seats",
                filter=Q(seats__status__in=counted, seats__starts_at__gte=year_ago),
            ),
            last_seat=Max("seats__starts_at", filter=Q(seats__status__in=counted)),
            seats_round=Count(
                "seats",
                filter=Q(seats__status__in=LIVE_STATUSES, seats__panel__round=panel.round_id),
            ),
        )
    )
    covered: dict[int, set[str]] = {}
    for rep_id, snapshot in Seat.objects.filter(
        panel__round=panel.round_id, status__in=(SeatStatus.ACCEPTED, SeatStatus.ATTENDED)
    ).values_list("representative_id", "backgrounds_snapshot"):
        covered.setdefault(rep_id, set()).update(snapshot)
    return [
        PoolMember(
            id=r.pk,
            backgrounds=frozenset(b.slug for b in r.backgrounds.all()),
            birth_year=r.birth_year,
            organisation=r.organisation,
            seats_last_12_months=r.seats_12m,
            last_seat_on=_local_date(r.last_seat),
            seats_this_round=r.seats_round,
            backgrounds_covered_this_round=frozenset(covered.get(r.pk, ())),
        )
        for r in representatives
    ]


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None
