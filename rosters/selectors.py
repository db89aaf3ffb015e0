"""The roster: seats over offices, rounds and dates, for HR in scope and leaders on their offices.

Scope comes from ``panels.selectors.seats_for_user`` (and so ``offices_for_user``): HR sees the
offices of its role (one office, a county, everything), a leader the offices they lead. The
filter form (``rosters.forms.RosterFilterForm``) refuses an office, county or round outside the
scope, so a filter can only narrow, never widen.

Backgrounds of a seat (documented in docs/decisions.md, "Roster backgrounds"): a seat that
reached acceptance (accepted, attended, no-show) counts with the snapshot taken then, as the
statistics do; any other seat with the snapshot if it has one (a cancelled seat that had been
accepted), else with the representative's backgrounds now; a seat of an erased person with
none at all (its snapshot counts only in the anonymous statistics, issue 14).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import mark_safe

from accounts.models import User
from interviews.models import Office
from interviews.selectors import offices_for_user, user_is_hr, user_is_leader
from navpanel.cache_versions import (
    cached,
    cached_many,
    county_scope,
    office_scope,
    office_scopes,
)
from panels.enums import SAID_YES_STATUSES, SeatStatus
from panels.models import Background, Representative, Seat
from panels.selectors import seats_for_user
from reports.honoraria import seat_amounts

# Seats whose backgrounds are always the snapshot taken at acceptance.

# The sort keys the roster accepts (anything else falls back to the default) and their columns.
SORTS: dict[str, tuple[str, ...]] = {
    "date": ("starts_at", "panel_id", "id"),
    "-date": ("-starts_at", "-panel_id", "-id"),
    "office": ("panel__round__office__name", "starts_at", "id"),
    "-office": ("-panel__round__office__name", "starts_at", "id"),
    "status": ("status", "starts_at", "id"),
    "-status": ("-status", "starts_at", "id"),
}
DEFAULT_SORT = "date"

ROSTER_FIELDS = (
    "id",
    "status",
    "starts_at",
    "ends_at",
    "backgrounds_snapshot",
    "panel",
    "panel__starts_at",
    "panel__ends_at",
    "panel__round",
    "panel__round__position_title",
    "panel__round__office",
    "panel__round__office__name",
    "panel__round__office__county",
    "representative",
    "representative__name",
    "representative__organisation",
)


@dataclass(frozen=True)
class RosterFilters:
    """What the roster is narrowed to; every field optional. Dates are Europe/Oslo dates."""

    office_id: int | None = None
    county: str = ""
    round_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""
    background: str = ""
    sort: str = DEFAULT_SORT


def user_may_see_backgrounds(user: User) -> bool:
    """Backgrounds are for the leaders of the pool's offices and HR in scope (docs/domain.md).

    The roster only ever holds seats of offices the user leads or, for HR, has in scope, and a
    seat's representative is in the pool of the seat's office; so any user with a roster role
    may see the backgrounds of the rows they are shown.
    """
    return user_is_hr(user) or user_is_leader(user)


def user_may_see_roster(user: User) -> bool:
    return user_is_hr(user) or user_is_leader(user)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _background_condition(slug: str) -> Q:
    if connection.vendor == "postgresql":
        in_snapshot = Q(backgrounds_snapshot__contains=[slug])
    else:
        # SQLite (the embedded development default) has no JSON containment; a quoted slug
        # in the JSON text is the same test for a list of slugs.
        in_snapshot = Q(backgrounds_snapshot__icontains=f'"{slug}"')
    has_it_now = Q(
        representative__in=Representative.objects.filter(backgrounds__slug=slug).values("pk")
    )
    # An erased person's row shows no backgrounds, so no filter finds it by one either.
    return (in_snapshot & Q(representative__isnull=False)) | (
        Q(backgrounds_snapshot=[]) & ~Q(status__in=SAID_YES_STATUSES) & has_it_now
    )


def roster_for_user(
    user: User, *, filters: RosterFilters, with_backgrounds: bool = False
) -> QuerySet[Seat]:
    """The seats ``user`` may see, narrowed by ``filters`` and sorted.

    Loads the panel, round, office and representative with the seat (only the columns the
    roster shows), so a page of any length costs the same number of queries. With
    ``with_backgrounds`` the representatives' current backgrounds are prefetched too (one query
    more); callers must check ``user_may_see_backgrounds`` first.
    """
    seats = (
        seats_for_user(user)
        .select_related("panel__round__office", "representative")
        .only(*ROSTER_FIELDS)
    )
    if filters.office_id:
        seats = seats.filter(panel__round__office_id=filters.office_id)
    if filters.county:
        seats = seats.filter(panel__round__office__county=filters.county)
    if filters.round_id:
        seats = seats.filter(panel__round_id=filters.round_id)
    if filters.date_from:
        seats = seats.filter(starts_at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        seats = seats.filter(starts_at__lt=_local_midnight(filters.date_to + timedelta(days=1)))
    if filters.status:
        seats = seats.filter(status=filters.status)
    if filters.background:
        seats = seats.filter(_background_condition(filters.background))
    if with_backgrounds:
        seats = seats.prefetch_related(
            Prefetch(
                "representative__backgrounds",
                queryset=Background.objects.only("id", "slug"),
            )
        )
    return seats.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


@dataclass(frozen=True)
class RosterPage:
    """One page of the roster: its seats (each with ``honorarium``, ``local_date``, ``attended``
    and, when asked for, ``background_labels``), the number of seats in all, the page's
    number once checked against them, and the seats as the page presents them (``html``)."""

    rows: list[Seat]
    count: int
    number: int
    html: str = ""


def roster_count(user: User, *, filters: RosterFilters, office_ids: list[int]) -> int:
    """How many seats the filtered roster holds: the page shows it and the exports audit it.

    Added up from a count per county of the offices of ``office_ids`` (``user``'s scope) it
    has, each cached under its county's data version and itself added up from a count per
    office, cached under the office's: a write in Rana recounts Rana's seats and adds up
    Nordland's 17 offices again, and national HR's count reads 15 entries, not 250 (national
    HR's roster under a working day's writes, issue 20). The offices left to count are counted
    together, in one ``GROUP BY``."""

    def per_office(missing: list[int]) -> dict[int, tuple[int, datetime | None]]:
        found = dict(
            roster_for_user(user, filters=filters)
            .filter(panel__round__office_id__in=missing)
            .order_by()
            .values("panel__round__office_id")
            .annotate(seats=Count("pk"))
            .values_list("panel__round__office_id", "seats")
        )
        return {pk: (found.get(pk, 0), None) for pk in missing}

    detail = filters_as_detail(filters)
    counties: dict[str, list[int]] = {}
    for pk, county in Office.objects.filter(pk__in=office_ids).values_list("pk", "county"):
        counties.setdefault(county, []).append(pk)

    def per_county(missing: list[str]) -> dict[str, tuple[int, datetime | None]]:
        ids = [pk for county in missing for pk in counties[county]]
        counts = cached_many(
            "roster-count", {pk: ((pk, detail), [office_scope(pk)]) for pk in ids}, per_office
        )
        return {county: (sum(counts[pk] for pk in counties[county]), None) for county in missing}

    totals = cached_many(
        "roster-count-county",
        {
            county: ((county, sorted(ids), detail), [county_scope(county)])
            for county, ids in counties.items()
        },
        per_county,
    )
    return sum(totals.values())


def roster_page(
    user: User,
    *,
    filters: RosterFilters,
    office_ids: list[int],
    page: str | None,
    per_page: int,
    with_backgrounds: bool = False,
    present: Callable[[list[Seat]], str] | None = None,
) -> RosterPage:
    """The page ``page`` of ``roster_for_user``, cached (``navpanel.cache_versions``): HR
    pages back and forth through the same filters, and the count, the page and its honoraria
    are three queries over every seat of the filter. ``office_ids`` is ``user``'s scope, the
    key's guard that no one gets another scope's page. ``present`` (the view's rendering of
    rows) is run once per row and entry, not once per view.

    The page is keyed by every office it may show, so for national HR by the country's version,
    which any write bumps; it is then put together again from what the write left: the count
    from each county's cached count (``roster_count``), the page's seat ids from the index in
    the roster's order, and each row from its own entry, under its office's version
    (``roster_rows``): a write in Rana renders Rana's rows alone."""

    def compute() -> tuple[RosterPage, None]:
        seats = roster_for_user(user, filters=filters, with_backgrounds=with_backgrounds)
        paginator = Paginator(seats.values_list("pk", "panel__round__office_id"), per_page)
        # Paginator.count is a cached property: set it from the count the exports share.
        paginator.count = roster_count(user, filters=filters, office_ids=office_ids)
        found = paginator.get_page(page)
        rows = roster_rows(
            user,
            dict(found.object_list),
            filters=filters,
            with_backgrounds=with_backgrounds,
            present=present,
        )
        page_of = RosterPage(
            rows=[seat for seat, _html in rows],
            count=found.paginator.count,
            number=found.number,
            # Each row is ``present``'s, escaped there.
            html=mark_safe("".join(html for _seat, html in rows)),  # noqa: S308  # nosec B308 B703
        )
        return page_of, None

    parts = (office_ids, filters_as_detail(filters), with_backgrounds, page, per_page)
    return cached("roster-page", parts, compute, scopes=roster_page_scopes(filters, office_ids))


def roster_page_scopes(filters: RosterFilters, office_ids: list[int]) -> list[str]:
    """The versions a roster page depends on: the one office or county it is filtered on
    (every change to a seat, its panel or its representative bumps the county of each office it
    belongs to), else every office of ``office_ids``. A write in Rana then leaves national HR's
    roster of Innlandet warm."""
    if filters.office_id:
        return [office_scope(filters.office_id)]
    if filters.county and not filters.round_id:
        return [county_scope(filters.county)]
    return office_scopes(office_ids)


def roster_rows(
    user: User,
    office_of: dict[int, int],
    *,
    filters: RosterFilters,
    with_backgrounds: bool,
    present: Callable[[list[Seat]], str] | None,
) -> list[tuple[Seat, str]]:
    """Each seat of ``office_of`` (seat id: its office's id), in that order, prepared as the
    roster shows it (``honorarium``, ``local_date``, ``attended`` and, when asked for,
    ``background_labels``) and presented (``present``), each cached under its office's version.

    A seat's honorarium depends on its representative's other seats that day at the same office
    (``reports.honoraria``), and its row on its panel, round, office and representative: a
    change to any of them bumps the seat's office."""

    def compute(missing: list[int]) -> dict[int, tuple[tuple[Seat, str], datetime | None]]:
        seats = list(
            roster_for_user(user, filters=filters, with_backgrounds=with_backgrounds).filter(
                pk__in=missing
            )
        )
        labels = background_labels() if with_backgrounds else {}
        honoraria = seat_honoraria(user, seats)
        prepared: dict[int, tuple[tuple[Seat, str], datetime | None]] = {}
        for seat in seats:
            seat.honorarium = honoraria.get(seat.pk)
            seat.local_date = seat_local_date(seat)
            seat.attended = seat_attended(seat)
            if with_backgrounds:
                seat.background_labels = seat_background_labels(seat, labels)
            prepared[seat.pk] = ((seat, present([seat]) if present is not None else ""), None)
        return prepared

    found = cached_many(
        "roster-row",
        {pk: ((pk, with_backgrounds), [office_scope(office)]) for pk, office in office_of.items()},
        compute,
    )
    return [found[pk] for pk in office_of if pk in found]


def seat_background_slugs(seat: Seat) -> list[str]:
    """The backgrounds ``seat`` counts with (see the module docstring); none on a row of an
    erased person, whose snapshot is for the anonymous statistics only."""
    if seat.representative_id is None:
        return []
    if seat.status in SAID_YES_STATUSES or seat.backgrounds_snapshot:
        return list(seat.backgrounds_snapshot)
    if seat.representative is None:
        return []
    return [background.slug for background in seat.representative.backgrounds.all()]


def background_labels() -> dict[str, str]:
    """Slug → label in the active language, in the administrator's order."""
    return {background.slug: background.label for background in Background.objects.all()}


def seat_background_labels(seat: Seat, labels: dict[str, str]) -> list[str]:
    slugs = set(seat_background_slugs(seat))
    return [label for slug, label in labels.items() if slug in slugs]


def seat_local_date(seat: Seat) -> date:
    return timezone.localdate(seat.starts_at)


def seat_attended(seat: Seat) -> bool | None:
    """True or False once attendance is marked; None while it is not (or cannot be)."""
    if seat.status == SeatStatus.ATTENDED:
        return True
    if seat.status == SeatStatus.NO_SHOW:
        return False
    return None


def filters_as_detail(filters: RosterFilters) -> dict[str, Any]:
    """The filters as JSON for the audit log and export jobs (ids, codes and ISO dates)."""
    return {
        "office": filters.office_id,
        "county": filters.county,
        "round": filters.round_id,
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
        "status": filters.status,
        "background": filters.background,
        "sort": filters.sort,
    }


def seat_honoraria(user: User, seats: Sequence[Seat]) -> dict[int, Decimal]:
    """What each of ``seats`` earns, from ``reports.honoraria`` (the payroll rules): an
    interview day's rate on the first paid seat of that representative, office and day, plus
    the travel claimed for the seat. Seats not in the result earn nothing.

    A few queries per call whatever the number of seats.
    """
    if not seats:
        return {}
    days = [seat_local_date(seat) for seat in seats]
    wanted = {seat.pk for seat in seats}
    amounts = seat_amounts(
        user=user,
        date_from=min(days),
        date_to=max(days),
        offices=list(
            {seat.panel.round.office_id: seat.panel.round.office for seat in seats}.values()
        ),
    )
    return {pk: amount for pk, amount in amounts.items() if pk in wanted}


def roster_honoraria(user: User, filters: RosterFilters) -> dict[int, Decimal]:
    """``seat_honoraria`` for a whole filtered roster at once (the exports): read once over the
    filters' offices and dates, never per chunk. The rule pays per representative, office and
    day, so narrowing by office, county and dates is exact; the other filters only narrow the
    rows shown."""
    return seat_amounts(
        user=user,
        date_from=filters.date_from,
        date_to=filters.date_to,
        offices=export_offices(user, filters),
    )


def export_offices(user: User, filters: RosterFilters) -> QuerySet[Office]:
    """The offices a filtered roster can hold seats of: ``user``'s, narrowed by the office and
    county filters (the others narrow seats, not offices)."""
    offices = offices_for_user(user)
    if filters.office_id:
        offices = offices.filter(pk=filters.office_id)
    if filters.county:
        offices = offices.filter(county=filters.county)
    return offices
