"""Statistics per office and quarter: who sat on the panels, and how varied they were.

Only counts leave this module, each table passed through ``suppression.suppress`` so that a
count under 5 shows "<5" and cannot be recovered from the totals. Candidates are never read.
Interviews count when they have taken place (started before now) and were not cancelled;
backgrounds come from the snapshot each attended seat keeps.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import ExtractQuarter
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import User
from interviews.enums import County, InterviewStatus
from interviews.models import Interview, Office
from interviews.selectors import offices_for_user
from navpanel.cache_versions import (
    cached,
    cached_many,
    county_scope,
    office_scope,
    office_scopes,
)
from panels.enums import SAID_YES_STATUSES, PanelStatus, SeatStatus
from panels.models import Background, Representative, Seat, SeatTransition

from .suppression import CountTable, Entry, suppress

# A row of the report: the office (or county) it groups, and the quarter.
_Key = tuple[object, int]

INVITED = (
    SeatStatus.INVITED,
    SeatStatus.ACCEPTED,
    SeatStatus.DECLINED,
    SeatStatus.EXPIRED,
    SeatStatus.CANCELLED,
    SeatStatus.ATTENDED,
    SeatStatus.NO_SHOW,
)
T = TypeVar("T")
# The Gini coefficient and the top-10 % share of a smaller pool would describe individuals.
MIN_POOL_FOR_SPREAD_MEASURES = 10


@dataclass
class Row:
    label: str
    office: Office | None = None
    quarter: int | None = None
    county: str = ""


@dataclass
class ShownTable:
    """A suppressed table ready for the template: column headings, rows of entries, totals."""

    columns: list[str]
    rows: list[Row]
    table: CountTable
    derived: list[list[str]] | None = None
    derived_columns: list[str] | None = None
    derived_totals: list[str] | None = None

    @property
    def body(self) -> list[tuple[Row, list[Entry], Entry | None, list[str]]]:
        totals: Sequence[Entry | None] = self.table.row_totals or [None] * len(self.rows)
        derived = self.derived or [[] for _ in self.rows]
        return list(zip(self.rows, self.table.cells, totals, derived, strict=True))


@dataclass
class Bar:
    """One bar of a horizontal bar chart; geometry as strings so the template never localises a
    decimal comma into SVG."""

    label: str
    value: float | None
    shown: str
    label_y: str = ""
    bar_y: str = ""
    width: str = ""
    text_x: str = ""
    text_y: str = ""


@dataclass
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    height: int = 0


@dataclass
class StatisticsReport:
    year: int
    offices: list[Office]
    interviews: ShownTable
    backgrounds: ShownTable
    answers: ShownTable
    spread: ShownTable
    charts: list[Chart]
    by_county: bool = False

    @property
    def empty(self) -> bool:
        return not self.interviews.rows and not self.answers.rows


@dataclass
class OfficeCounts:
    """One office's counts for a year, before suppression: what the report adds up. Cached per
    office (``office_counts``), so a change in one office recounts that office only."""

    held: Counter[int] = field(default_factory=Counter)  # by quarter, and the three below
    with_representative: Counter[int] = field(default_factory=Counter)
    seat_interviews: Counter[int] = field(default_factory=Counter)
    attended_seats: Counter[int] = field(default_factory=Counter)
    # quarter -> answer (status) -> count; quarter -> background slug -> count
    answers: defaultdict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_background: defaultdict[int, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    per_person: Counter[int] = field(default_factory=Counter)  # attended seats by representative
    pool: set[int] = field(default_factory=set)
    # When the clock alone changes the counts: the next scheduled interview's start this year.
    next_interview: datetime | None = None


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=zone),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone),
    )


def _ratio(numerator: Entry, denominator: Entry, *, percent: bool) -> tuple[str, float | None]:
    """A rate is shown only when both counts it comes from are shown."""
    if numerator.hidden or denominator.hidden or denominator.value == 0:
        return "–", None
    value = numerator.value / denominator.value
    if percent:
        shown = Decimal(value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        return f"{shown} %", float(value * 100)
    shown = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return number_format(shown, 1), float(value)


def office_statistics(
    *, user: User, year: int, offices: QuerySet[Office] | None = None, now: datetime | None = None
) -> StatisticsReport:
    """Statistics for ``year`` at the offices in ``user``'s scope (narrowed to ``offices``)."""
    return _statistics(
        office_list=_offices_in_scope(user=user, offices=offices), year=year, now=now
    )


def _offices_in_scope(*, user: User, offices: QuerySet[Office] | None) -> list[Office]:
    in_scope = offices_for_user(user)
    if offices is not None:
        in_scope = in_scope.filter(pk__in=offices.values("pk"))
    return list(in_scope.order_by("name"))


def _local_quarter() -> ExtractQuarter:
    """The quarter a row's ``starts_at`` falls in, in the local time zone (``TIME_ZONE``), as
    the database works it out: one date conversion per row in Python was half of counting an
    office's year."""
    return ExtractQuarter("starts_at", tzinfo=timezone.get_default_timezone())


def _counts_compute(
    office_ids: list[int], *, year: int, now: datetime
) -> dict[int, tuple[OfficeCounts, datetime | None]]:
    """Count ``office_ids`` for ``year`` in a few queries whatever their number; each with the
    moment the clock alone changes it (its next interview's start)."""
    counts = {pk: OfficeCounts() for pk in office_ids}
    start, end = _year_bounds(year)

    # Interviews that took place, each with the number of representatives who sat on it.
    interviews = (
        Interview.objects.filter(
            round__office__in=office_ids,
            status=InterviewStatus.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=min(end, now),
        )
        .annotate(
            representatives=Count(
                "panels__seats",
                filter=Q(
                    panels__status=PanelStatus.PLANNED,
                    panels__seats__status=SeatStatus.ATTENDED,
                ),
            )
        )
        .values_list("round__office_id", _local_quarter(), "representatives")
    )
    for office_id, quarter, representatives in interviews:
        office = counts[office_id]
        office.held[quarter] += 1
        office.with_representative[quarter] += 1 if representatives else 0
        office.seat_interviews[quarter] += representatives

    seats = list(
        Seat.objects.filter(
            panel__round__office__in=office_ids, starts_at__gte=start, starts_at__lt=end
        ).values_list(
            "pk",
            "panel__round__office_id",
            _local_quarter(),
            "status",
            "backgrounds_snapshot",
            "representative_id",
        )
    )
    # A cancelled or withdrawn seat counts as a yes if it had been accepted first.
    gone = [pk for pk, _o, _s, status, _b, _r in seats if status == SeatStatus.CANCELLED]
    accepted_before = set(
        SeatTransition.objects.filter(seat_id__in=gone, to_status=SeatStatus.ACCEPTED).values_list(
            "seat_id", flat=True
        )
    )
    for pk, office_id, quarter, status, snapshot, representative_id in seats:
        office = counts[office_id]
        if status in INVITED:
            office.answers[quarter]["invited"] += 1
        if status in SAID_YES_STATUSES or pk in accepted_before:
            office.answers[quarter]["accepted"] += 1
        if status in (
            SeatStatus.DECLINED,
            SeatStatus.EXPIRED,
            SeatStatus.ATTENDED,
            SeatStatus.NO_SHOW,
        ):
            office.answers[quarter][status] += 1
        if status == SeatStatus.ATTENDED:
            office.attended_seats[quarter] += 1
            for slug in snapshot or ():
                office.by_background[quarter][slug] += 1
            if representative_id:
                office.per_person[representative_id] += 1

    # One query for every office's pool (not one per office: HR may see 250 offices).
    for office_id, representative_id in Representative.offices.through.objects.filter(
        office__in=office_ids
    ).values_list("office_id", "representative_id"):
        counts[office_id].pool.add(representative_id)

    next_interviews = dict(
        _interviews_ahead(office_ids, year=year, now=now)
        .values("round__office_id")
        .annotate(first=Min("starts_at"))
        .values_list("round__office_id", "first")
    )
    for pk in office_ids:
        counts[pk].next_interview = next_interviews.get(pk)
    return {pk: (counts[pk], counts[pk].next_interview) for pk in office_ids}


def office_counts(
    office_ids: list[int], *, year: int, now: datetime | None = None
) -> dict[int, OfficeCounts]:
    """Each office's counts for ``year``, cached per office under its own data version: a
    change in Rana recounts Rana, and the other 249 offices come from Redis."""
    now = now or timezone.now()
    return cached_many(
        "statistics-office-counts",
        {pk: ((year, pk), [office_scope(pk)]) for pk in office_ids},
        lambda missing: _counts_compute(missing, year=year, now=now),
        now=now,
    )


def _interviews_ahead(
    office_ids: Sequence[int], *, year: int, now: datetime
) -> QuerySet[Interview]:
    """The scheduled interviews of ``office_ids`` from ``now`` to the end of ``year``: when
    they start, the counts of that year change by the clock alone."""
    _start, end = _year_bounds(year)
    return Interview.objects.filter(
        round__office__in=office_ids,
        status=InterviewStatus.SCHEDULED,
        starts_at__gte=now,
        starts_at__lt=end,
    )


def _next_interview(office_ids: Sequence[int], *, year: int, now: datetime) -> datetime | None:
    """The start of the next of ``_interviews_ahead``: the first in time order rather than a
    MIN(), which PostgreSQL reads from the index of scheduled interviews."""
    return (
        _interviews_ahead(office_ids, year=year, now=now)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )


def _added_up(parts: Iterable[OfficeCounts]) -> OfficeCounts:
    total = OfficeCounts()
    for found in parts:
        total.held.update(found.held)
        total.with_representative.update(found.with_representative)
        total.seat_interviews.update(found.seat_interviews)
        total.attended_seats.update(found.attended_seats)
        for quarter, counter in found.answers.items():
            total.answers[quarter].update(counter)
        for quarter, counter in found.by_background.items():
            total.by_background[quarter].update(counter)
        total.per_person.update(found.per_person)
        total.pool |= found.pool
        if found.next_interview is not None and (
            total.next_interview is None or found.next_interview < total.next_interview
        ):
            total.next_interview = found.next_interview
    return total


def county_counts(
    office_list: list[Office], *, year: int, now: datetime | None = None
) -> dict[str, OfficeCounts]:
    """Each county's counts for ``year``: its offices' counts (``office_counts``) added up,
    cached under the county's data version. After a change in Rana, the national overview
    adds up Nordland again (Rana recounted, its other offices from the cache) and reads the
    other counties' sums as they are, instead of 250 offices' counts."""
    now = now or timezone.now()
    offices_in: dict[str, list[int]] = defaultdict(list)
    for office in office_list:
        offices_in[office.county].append(office.pk)

    def compute(missing: list[str]) -> dict[str, tuple[OfficeCounts, datetime | None]]:
        counts = office_counts(
            [pk for county in missing for pk in offices_in[county]], year=year, now=now
        )
        sums = {county: _added_up(counts[pk] for pk in offices_in[county]) for county in missing}
        return {county: (found, found.next_interview) for county, found in sums.items()}

    return cached_many(
        "statistics-county-counts",
        {
            county: ((year, county, sorted(ids)), [county_scope(county)])
            for county, ids in offices_in.items()
        },
        compute,
        now=now,
    )


def _statistics(
    *, office_list: list[Office], year: int, now: datetime | None, by_county: bool = False
) -> StatisticsReport:
    """The report of ``office_list``: a row per office and quarter, or per county and quarter
    (``by_county``: the national overview, from the counties' cached sums), added up from each
    office's cached counts."""
    now = now or timezone.now()
    backgrounds = list(Background.objects.all())
    # Each group's key, label, office (none for a county) and counts.
    groups_found: list[tuple[object, str, Office | None, OfficeCounts]]
    if by_county:
        sums = county_counts(office_list, year=year, now=now)
        groups_found = [
            (county, str(County(county).label), None, found) for county, found in sums.items()
        ]
    else:
        counts = office_counts([office.pk for office in office_list], year=year, now=now)
        groups_found = [
            (office.pk, office.name, office, counts[office.pk]) for office in office_list
        ]

    labels: dict[object, str] = {}
    offices_of: dict[object, Office | None] = {}
    held: Counter[_Key] = Counter()
    with_representative: Counter[_Key] = Counter()
    seat_interviews: Counter[_Key] = Counter()
    attended_seats: Counter[_Key] = Counter()
    answers: dict[_Key, Counter[str]] = defaultdict(Counter)
    by_background: dict[_Key, Counter[str]] = defaultdict(Counter)
    per_person: dict[object, Counter[int]] = defaultdict(Counter)
    pools: dict[object, set[int]] = defaultdict(set)
    for key, label, office, found in groups_found:
        labels[key] = label
        offices_of[key] = office
        for quarter, number in found.held.items():
            held[key, quarter] += number
        for quarter, number in found.with_representative.items():
            with_representative[key, quarter] += number
        for quarter, number in found.seat_interviews.items():
            seat_interviews[key, quarter] += number
        for quarter, number in found.attended_seats.items():
            attended_seats[key, quarter] += number
        for quarter, counter in found.answers.items():
            answers[key, quarter].update(counter)
        for quarter, counter in found.by_background.items():
            by_background[key, quarter].update(counter)
        per_person[key].update(found.per_person)
        pools[key] |= found.pool

    keys = sorted(set(held) | set(answers), key=lambda key: (labels[key[0]], key[1]))
    rows = [
        Row(
            label=_("%(office)s, Q%(quarter)s") % {"office": labels[g], "quarter": q},
            office=offices_of[g],
            quarter=q,
            county=str(g) if by_county else "",
        )
        for g, q in keys
    ]

    interview_table = _interview_table(
        rows, keys, held, with_representative, attended_seats, seat_interviews
    )
    background_table = ShownTable(
        columns=[background.label for background in backgrounds],
        rows=rows,
        table=suppress(
            [[by_background[key][b.slug] for b in backgrounds] for key in keys],
            row_totals=False,
            column_totals=True,
        ),
    )
    answer_table = _answer_table(rows, keys, answers)
    groups = sorted(labels, key=lambda g: labels[g])
    spread_table = _spread_table(
        [(labels[g], offices_of[g], per_person[g], pools[g]) for g in groups]
    )
    charts = _charts(interview_table, background_table, spread_table)
    return StatisticsReport(
        year=year,
        offices=office_list,
        interviews=interview_table,
        backgrounds=background_table,
        answers=answer_table,
        spread=spread_table,
        charts=charts,
        by_county=by_county,
    )


def statistics_presented(
    *,
    user: User,
    year: int,
    present: Callable[[StatisticsReport], T],
    offices: QuerySet[Office] | None = None,
    by_county: bool = False,
    now: datetime | None = None,
) -> T:
    """``present(office_statistics(...))`` (the page renders the tables), cached under the
    data versions of the offices shown (``navpanel.cache_versions``): HR opens the same year
    and offices again and again, and the counts change only when the data does or when an
    interview in scope takes place (the entry expires at the next one's start). The key holds
    the offices in ``user``'s scope, so a user never gets another scope's figures.

    The report is added up from each office's cached counts (``office_counts``), which the beat
    job ``reports.statistics_warm`` keeps filled: after a change in one office, the national
    report recounts that office alone. ``by_county``: a row per county instead of per office
    (the national overview, ``reports.views.statistics``)."""
    now = now or timezone.now()
    office_list = _offices_in_scope(user=user, offices=offices)
    office_ids = sorted(office.pk for office in office_list)

    def compute() -> tuple[T, datetime | None]:
        report = _statistics(office_list=office_list, year=year, now=now, by_county=by_county)
        return present(report), _next_interview(office_ids, year=year, now=now)

    return cached(
        "statistics",
        (year, office_ids, by_county),
        compute,
        scopes=office_scopes(office_ids),
        now=now,
    )


def statistics_warm(*, now: datetime | None = None) -> int:
    """Count every office whose counts for this year and last year are not in the cache (a
    change emptied them, or they timed out), and add up every county whose sums are not;
    how many offices there are. The beat job, so that no request counts the whole country
    (in January HR still reads last year)."""
    now = now or timezone.now()
    office_list = list(Office.objects.order_by("pk"))
    this_year = timezone.localdate(now).year
    for year in (this_year, this_year - 1):
        county_counts(office_list, year=year, now=now)
    return len(office_list)


def _interview_table(
    rows: list[Row],
    keys: list[_Key],
    held: Counter[_Key],
    with_representative: Counter[_Key],
    attended_seats: Counter[_Key],
    seat_interviews: Counter[_Key],
) -> ShownTable:
    table = suppress(
        [[held[k], with_representative[k], attended_seats[k]] for k in keys],
        row_totals=False,
        column_totals=True,
    )
    derived = []
    for key, cells in zip(keys, table.cells, strict=True):
        share, _value = _ratio(cells[1], cells[0], percent=True)
        # Representatives per interview: every representative on a panel sits on each of its
        # interviews. Shown only when the interviews and those with one are both shown.
        per = Entry(seat_interviews[key], "" if not (cells[0].hidden or cells[1].hidden) else "x")
        average, _value = _ratio(per, cells[0], percent=False)
        derived.append([share, average])
    totals = table.column_totals or []
    derived_totals = []
    if totals:
        share, _value = _ratio(totals[1], totals[0], percent=True)
        all_pairs = sum(seat_interviews[k] for k in keys)
        per = Entry(all_pairs, "" if not (totals[0].hidden or totals[1].hidden) else "x")
        average, _value = _ratio(per, totals[0], percent=False)
        derived_totals = [share, average]
    return ShownTable(
        columns=[_("Interviews held"), _("Interviews with a representative"), _("Attended seats")],
        rows=rows,
        table=table,
        derived=derived,
        derived_columns=[
            _("Share of interviews with at least one representative"),
            _("Representatives per interview"),
        ],
        derived_totals=derived_totals,
    )


def _answer_table(
    rows: list[Row], keys: list[_Key], answers: dict[_Key, Counter[str]]
) -> ShownTable:
    fields = [
        "invited",
        "accepted",
        SeatStatus.DECLINED,
        SeatStatus.EXPIRED,
        SeatStatus.ATTENDED,
        SeatStatus.NO_SHOW,
    ]
    table = suppress(
        [[answers[k][f] for f in fields] for k in keys], row_totals=False, column_totals=True
    )

    def rates(cells: list[Entry]) -> list[str]:
        turned_up = Entry(
            cells[4].value + cells[5].value, "x" if cells[4].hidden or cells[5].hidden else ""
        )
        return [
            _ratio(cells[1], cells[0], percent=True)[0],
            _ratio(cells[2], cells[0], percent=True)[0],
            _ratio(cells[5], turned_up, percent=True)[0],
        ]

    return ShownTable(
        columns=[
            _("Invitations"),
            _("Accepted"),
            _("Declined"),
            _("No answer"),
            _("Attended"),
            _("Did not come"),
        ],
        rows=rows,
        table=table,
        derived=[rates(cells) for cells in table.cells],
        derived_columns=[_("Acceptance rate"), _("Decline rate"), _("No-show rate")],
        derived_totals=rates(table.column_totals) if table.column_totals else [],
    )


def gini(counts: list[int]) -> float:
    """The Gini coefficient of ``counts``: 0 when everyone had as many seats, towards 1 when a
    few had them all."""
    total = sum(counts)
    if not counts or total == 0:
        return 0.0
    ordered = sorted(counts)
    n = len(ordered)
    weighted = sum((index + 1) * value for index, value in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def top_share(counts: list[int], *, fraction: float = 0.1) -> float:
    """The share of all seats held by the top ``fraction`` of people (at least one person)."""
    total = sum(counts)
    if not counts or total == 0:
        return 0.0
    top = max(1, math.ceil(len(counts) * fraction))
    return sum(sorted(counts, reverse=True)[:top]) / total


def _spread_table(
    groups: list[tuple[str, Office | None, Counter[int], set[int]]],
) -> ShownTable:
    """Per office (or county) over the year: how many in the pool sat 0, 1, 2, 3+ times."""
    values, derived, rows = [], [], []
    for label, office, seated, pool in groups:
        people = pool | set(seated)
        if not people:
            continue
        counts = [seated.get(person, 0) for person in people]
        buckets = [0, 0, 0, 0]
        for count in counts:
            buckets[min(count, 3)] += 1
        values.append(buckets)
        rows.append(Row(label=label, office=office))
        if len(people) >= MIN_POOL_FOR_SPREAD_MEASURES and sum(counts) >= 5:
            derived.append(
                [
                    number_format(Decimal(gini(counts)).quantize(Decimal("0.01")), 2),
                    f"{round(top_share(counts) * 100)} %",
                ]
            )
        else:
            derived.append(["–", "–"])
    return ShownTable(
        columns=[_("No seats"), _("1 seat"), _("2 seats"), _("3 seats or more")],
        rows=rows,
        table=suppress(values, row_totals=True, column_totals=True),
        derived=derived,
        derived_columns=[_("Gini coefficient"), _("Share of seats held by the top 10 %")],
        derived_totals=[],
    )


CHART_WIDTH = 400
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
ROW_HEIGHT = 44
BAR_SPACE = 300


def _chart(
    *, id: str, title: str, description: str, bars: list[Bar], scale: float | None = None
) -> Chart:
    biggest = scale or max((bar.value or 0 for bar in bars), default=0) or 1
    for index, bar in enumerate(bars):
        top = index * ROW_HEIGHT
        width = BAR_SPACE * (bar.value or 0) / biggest
        bar.label_y = str(top + 14)
        bar.bar_y = str(top + LABEL_HEIGHT + 2)
        bar.width = f"{width:.1f}"
        bar.text_x = f"{width + 6:.1f}"
        bar.text_y = str(top + LABEL_HEIGHT + BAR_HEIGHT - 1)
    return Chart(
        id=id, title=title, description=description, bars=bars, height=len(bars) * ROW_HEIGHT + 4
    )


def _charts(interviews: ShownTable, backgrounds: ShownTable, spread: ShownTable) -> list[Chart]:
    charts = []
    if interviews.rows:
        bars = []
        for row, cells, _total, _derived in interviews.body:
            share, value = _ratio(cells[1], cells[0], percent=True)
            bars.append(
                Bar(label=row.label, value=value, shown=share if value is not None else _("hidden"))
            )
        charts.append(
            _chart(
                id="chart-share",
                title=_("Share of interviews with at least one representative"),
                description=_(
                    "Per office and quarter, in per cent. Hidden where the counts are small."
                ),
                bars=bars,
                scale=100,
            )
        )
    if backgrounds.rows and backgrounds.table.column_totals:
        bars = [
            Bar(label=label, value=None if entry.hidden else entry.value, shown=entry.shown)
            for label, entry in zip(
                backgrounds.columns, backgrounds.table.column_totals, strict=True
            )
        ]
        charts.append(
            _chart(
                id="chart-backgrounds",
                title=_("Attended seats by background"),
                description=_(
                    "All chosen offices and quarters. A seat counts once for each background "
                    "its representative had."
                ),
                bars=bars,
            )
        )
    if spread.rows and spread.table.column_totals:
        bars = [
            Bar(label=label, value=None if entry.hidden else entry.value, shown=entry.shown)
            for label, entry in zip(spread.columns, spread.table.column_totals, strict=True)
        ]
        charts.append(
            _chart(
                id="chart-spread",
                title=_("Representatives by number of seats this year"),
                description=_(
                    "How evenly the seats were spread across the pools of the chosen offices."
                ),
                bars=bars,
            )
        )
    return charts
