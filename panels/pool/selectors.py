"""The pool pages' reads: the pool of some offices, who may change a person, the export.

Visibility comes from ``interviews.selectors``: callers pass offices the user may see (or, to
change or export, offices the user leads); nothing here widens them.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, TypedDict

from django.core.paginator import Paginator
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from interviews.models import Office
from interviews.selectors import offices_for_user, offices_led_by
from navpanel.cache_versions import cached, office_scopes
from navpanel.spreadsheets import cell_safe, phone_text
from outbox.selectors import messages_about

from ..emails import RESENT_KINDS
from ..enums import SAT_STATUSES, Contact, RepresentativeStatus
from ..models import Background, Representative, Seat
from .csv_import import CONTACT_EXPORT_WORDS, EXPORT_COLUMNS, NORWEGIAN_HEADERS

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Age groups by whole years reached this year; the last one is open-ended.
AGE_GROUPS = (
    (30, gettext_lazy("Under 30")),
    (40, gettext_lazy("30–39")),
    (50, gettext_lazy("40–49")),
    (60, gettext_lazy("50–59")),
)


def pool_offices(user: User, *, chosen_office_id: int | None) -> QuerySet[Office]:
    """The offices whose pool the pages show: the one chosen in the header, if the user sees
    it, otherwise every office the user sees."""
    visible = offices_for_user(user)
    if chosen_office_id and visible.filter(pk=chosen_office_id).exists():
        return visible.filter(pk=chosen_office_id)
    return visible


class PoolAnnotations(TypedDict):
    """What ``pool_for_offices`` adds to each representative."""

    seats_12m: int
    visible_offices: list[Office]


def pool_for_offices(
    *,
    offices: QuerySet[Office],
    background: Background | None = None,
    status: str = "",
    now: datetime | None = None,
) -> "QuerySet[WithAnnotations[Representative, PoolAnnotations]]":
    """Representatives in the pool of any of ``offices``, filtered, with what the list shows.

    Each carries ``seats_12m`` (seats accepted or attended that started in the last 365 days,
    at any office: it is the person's load) and ``visible_offices`` (only ``offices``, so a
    leader does not learn which other offices' pools a person is in). Backgrounds are
    prefetched in their display order.
    """
    now = now or timezone.now()
    memberships = Representative.offices.through.objects.filter(
        representative=OuterRef("pk"), office__in=offices
    )
    pool = Representative.objects.filter(Exists(memberships))
    if background is not None:
        pool = pool.filter(
            Exists(
                Representative.backgrounds.through.objects.filter(
                    representative=OuterRef("pk"), background=background
                )
            )
        )
    if status:
        pool = pool.filter(status=status)
    return (
        pool.annotate(
            seats_12m=Count(
                "seats",
                filter=Q(
                    seats__status__in=SAT_STATUSES, seats__starts_at__gte=now - timedelta(days=365)
                ),
            )
        )
        .prefetch_related(
            "backgrounds",
            Prefetch("offices", queryset=offices.order_by("name"), to_attr="visible_offices"),
        )
        # Counting seats groups the rows, and Django then leaves out the model's ordering.
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class PoolPage:
    """One page of ``pool_for_offices``: its representatives (each with ``age_group`` too),
    how many there are in all, the page's number once checked against them, and the rows as
    the list presents them (``html``)."""

    representatives: Sequence[Representative]
    count: int
    number: int
    html: str


def pool_page(
    *,
    offices: QuerySet[Office],
    background: Background | None,
    status: str,
    page: str | None,
    per_page: int,
    present: Callable[[Sequence[Representative]], str],
    now: datetime | None = None,
) -> PoolPage:
    """The page ``page`` of the pool of ``offices``, cached (``navpanel.cache_versions``) under
    their data versions: leaders open their pool a quarter of their working day, and its count,
    its page and its prefetches are five queries and a table of 25 rows (``present``, run once
    per entry). A seat of one of its people anywhere bumps their offices; by the clock alone the
    page changes when a counted seat leaves the last 12 months, and the age groups at New Year.
    """
    now = now or timezone.now()
    office_ids = sorted(office.pk for office in offices)

    def compute() -> tuple[PoolPage, datetime]:
        pool = pool_for_offices(offices=offices, background=background, status=status, now=now)
        found = Paginator(pool, per_page).get_page(page)
        representatives = list(found)
        this_year = timezone.localdate(now).year
        for representative in representatives:
            representative.age_group = age_group(representative.birth_year, this_year=this_year)
        new_year = timezone.make_aware(datetime(this_year + 1, 1, 1))
        oldest_counted = Seat.objects.filter(
            representative__in=representatives,
            status__in=SAT_STATUSES,
            starts_at__gte=now - timedelta(days=365),
        ).aggregate(first=Min("starts_at"))["first"]
        valid_until = new_year
        if oldest_counted is not None:
            valid_until = min(new_year, oldest_counted + timedelta(days=365))
        html = present(representatives)
        count = found.paginator.count
        return PoolPage(representatives, count, found.number, html), valid_until

    parts = (office_ids, background.pk if background else None, status, page, per_page)
    return cached("pool-page", parts, compute, scopes=office_scopes(office_ids), now=now)


def age_group(birth_year: int | None, *, this_year: int) -> str:
    """A coarse age group, so the list shows variety without showing a birth year."""
    if birth_year is None:
        return _("Unknown")
    age = this_year - birth_year
    for below, label in AGE_GROUPS:
        if age < below:
            return str(label)
    return _("60 and over")


def user_may_change_representative(user: User, representative: Representative) -> bool:
    """A leader of one of the offices whose pool the representative is in."""
    return representative.offices.filter(pk__in=offices_led_by(user).values("pk")).exists()


def csv_cell(value: object) -> str:
    """A cell that a spreadsheet shows as text, never runs as a formula."""
    return cell_safe("" if value is None else str(value))


def pool_export_rows(*, offices: QuerySet[Office]) -> Iterator[list[str]]:
    """The header and one row per representative in the pool of ``offices``.

    Support needs and notes are never part of it (docs/domain.md); offices are only those given.
    The headers are Norwegian (``csv_import.NORWEGIAN_HEADERS``, which the import reads back);
    a phone number is written so that a spreadsheet keeps it as text (``phone_text``).
    """
    yield [NORWEGIAN_HEADERS[column] for column in EXPORT_COLUMNS]
    for representative in pool_for_offices(offices=offices):
        yield [
            csv_cell(value)
            for value in (
                representative.name,
                representative.email,
                phone_text(representative.phone),
                CONTACT_EXPORT_WORDS[Contact(representative.contact)],
                representative.birth_year,
                representative.organisation,
                representative.suggested_by,
                "|".join(office.name for office in representative.visible_offices),
                "|".join(background.label for background in representative.backgrounds.all()),
                representative.get_status_display(),
            )
        ]


class LinkToResend(StrEnum):
    """What a leader can send a representative again from the pool (issue 14, point 11)."""

    CONSENT = "consent"  # the consent request, with a new consent link
    MY_PAGE = "my_page"  # a new link to "my page"


# A resent link is an outbox message of one of ``emails.RESENT_KINDS`` about the person; its
# ``created_at`` is when it was sent, so the outbox itself says whether one went out lately.
RESEND_INTERVAL = timedelta(days=1)


def link_resent_at(*, representative: Representative) -> datetime | None:
    """When a leader last sent this person a new link (either kind), or None."""
    return (
        messages_about(kind=RESENT_KINDS, about_type="representative")
        .filter(about_id=representative.pk)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def link_resend_allowed(*, representative: Representative) -> set[LinkToResend]:
    """Which links the person can be sent: the consent request while it is unanswered or after
    a withdrawal (my page tells them "to take part again, contact the office, and they will
    send you a new request for consent"), a link to "my page" while they have consented."""
    if representative.status in (
        RepresentativeStatus.AWAITING_CONSENT,
        RepresentativeStatus.WITHDRAWN,
    ):
        return {LinkToResend.CONSENT}
    if representative.status in (RepresentativeStatus.ACTIVE, RepresentativeStatus.INACTIVE):
        return {LinkToResend.MY_PAGE}
    return set()
