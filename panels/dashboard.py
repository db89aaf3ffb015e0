"""What needs the leader's action, for the offices a user sees (reads only).

Each list is one query however many items it holds, so the dashboard stays fast as an office
runs more rounds. HR sees the same lists, read-only, except the failed emails, which are for
the leaders of the office (they can do something about a wrong address).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from interviews.enums import RoundState
from interviews.models import HiringRound, Office
from navpanel.cache_versions import cached, office_scopes
from outbox.models import OutboxMessage
from outbox.selectors import messages_failed

from .emails import EmailKind
from .enums import PanelStatus, SeatStatus
from .models import Panel, Representative, Seat, SeatTransition, StaffInterviewer
from .selectors import invitation_halfway

if TYPE_CHECKING:
    from .selectors import OpenInvitation

# The offices a list is for: a queryset, or their ids (what the cache key holds).
OfficeSet = QuerySet[Office] | list[int]

# How long a failed email stays on the dashboard (the admin keeps it; a retry removes it).
FAILED_EMAILS_DAYS = 30


@dataclass(frozen=True)
class FailedEmail:
    """A failed outbox row as a leader may see it: no address in clear."""

    message: OutboxMessage
    kind: str
    recipient: str
    error: str
    panel_id: int | None


@dataclass(frozen=True)
class DashboardActions:
    short_panels: list[Panel]
    waiting_invitations: list[Seat]
    attendance_to_mark: list[Panel]
    rounds_without_panel: list[HiringRound]
    cannot_come: list[Seat] = field(default_factory=list)
    failed_emails: list[FailedEmail] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.short_panels)
            + len(self.waiting_invitations)
            + len(self.attendance_to_mark)
            + len(self.rounds_without_panel)
            + len(self.cannot_come)
            + len(self.failed_emails)
        )


def short_panels(*, offices: OfficeSet, now: datetime) -> list[Panel]:
    """Upcoming planned panels with fewer accepted representatives than seats, soonest first.

    Each carries ``accepted`` and ``invited`` counts.
    """
    return list(
        Panel.objects.filter(
            round__office__in=offices,
            status=PanelStatus.PLANNED,
            starts_at__gt=now,
        )
        .exclude(round__state=RoundState.CLOSED)
        .annotate(
            accepted=Count("seats", filter=Q(seats__status=SeatStatus.ACCEPTED)),
            invited=Count("seats", filter=Q(seats__status=SeatStatus.INVITED)),
        )
        .filter(accepted__lt=F("seats_wanted"))
        .select_related("round", "round__office")
        .order_by("starts_at", "id")
    )


def waiting_invitations(
    *, open_invitations: "list[OpenInvitation]", now: datetime
) -> "list[OpenInvitation]":
    """Of ``open_invitations`` (``_open_invitations``), those without an answer when half the
    time to answer has passed (or all of it, before the expiry sweep has run), in their order.
    """
    # The half-way point is compared here rather than in SQL: datetime arithmetic differs
    # between PostgreSQL and the embedded SQLite, and there are never many open invitations.
    return [seat for seat in open_invitations if now >= invitation_halfway(seat)]


def _open_invitations(*, offices: OfficeSet) -> "QuerySet[OpenInvitation]":
    """Unanswered invitations to planned panels, each with ``invited_at``."""
    return (
        Seat.objects.filter(
            panel__round__office__in=offices,
            panel__status=PanelStatus.PLANNED,
            status=SeatStatus.INVITED,
            answer_by__isnull=False,
        )
        .annotate(
            invited_at=Max("transitions__at", filter=Q(transitions__to_status=SeatStatus.INVITED))
        )
        .select_related("representative", "panel", "panel__round", "panel__round__office")
        .order_by("answer_by", "id")
    )


def cannot_come(*, offices: OfficeSet, now: datetime) -> list[Seat]:
    """Seats of panels still ahead whose representative had said yes and then told us they
    cannot come after all, soonest panel first; each carries ``replaced``: whether someone
    else has been invited to the panel since."""
    gave_up = SeatTransition.objects.filter(
        seat=OuterRef("pk"),
        to_status=SeatStatus.CANCELLED,
        from_status=SeatStatus.ACCEPTED,
        actor="representative",
    ).values("at")[:1]
    invited_since = SeatTransition.objects.filter(
        seat__panel=OuterRef("panel"),
        to_status=SeatStatus.INVITED,
        at__gte=OuterRef("gave_up_at"),
    )
    return list(
        Seat.objects.filter(
            panel__round__office__in=offices,
            panel__status=PanelStatus.PLANNED,
            status=SeatStatus.CANCELLED,
            starts_at__gt=now,
        )
        .annotate(gave_up_at=Subquery(gave_up))
        .filter(gave_up_at__isnull=False)
        .annotate(replaced=Exists(invited_since))
        .select_related("representative", "panel", "panel__round", "panel__round__office")
        .order_by("starts_at", "id")
    )


def attendance_to_mark(*, offices: OfficeSet, now: datetime) -> list[Panel]:
    """Panels whose day is over with accepted seats not yet marked attended or no-show.

    Each carries ``unmarked``: how many seats still wait for the mark.
    """
    return list(
        Panel.objects.filter(
            round__office__in=offices, status=PanelStatus.PLANNED, ends_at__lte=now
        )
        .annotate(unmarked=Count("seats", filter=Q(seats__status=SeatStatus.ACCEPTED)))
        .filter(unmarked__gt=0)
        .select_related("round", "round__office")
        .order_by("starts_at", "id")
    )


def rounds_without_panel(*, offices: OfficeSet) -> list[HiringRound]:
    """Open rounds that have no planned panel."""
    planned = Panel.objects.filter(round=OuterRef("pk"), status=PanelStatus.PLANNED)
    return list(
        HiringRound.objects.filter(office__in=offices, state=RoundState.OPEN)
        .exclude(Exists(planned))
        .select_related("office")
        .order_by("created_at", "id")
    )


def mask_address(address: str) -> str:
    """``ola.nordmann@example.no`` → ``o***@example.no``, ``+4791234567`` → ``+47 *** ** *67``:
    enough to recognise, not to copy."""
    if address.startswith("+"):
        return f"{address[:3]} *** ** *{address[-2:]}"
    local, _at, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def failed_emails(*, offices: QuerySet[Office], now: datetime) -> list[FailedEmail]:
    """Emails of ``offices`` that failed for good in the last ``FAILED_EMAILS_DAYS``, newest first.

    The recipient is the representative's name when the message is about a representative in
    these offices' pools, else the address masked; the error is the outbox's (addresses in it
    are already masked). Five queries however many there are; one when there are none.
    """
    messages = list(
        messages_failed(
            office_ids=offices.values_list("pk", flat=True),
            since=now - timedelta(days=FAILED_EMAILS_DAYS),
        )
    )
    if not messages:
        return []
    # Keyed by id; looked up by a message's representative_id, which may be None.
    names: dict[int | None, str] = dict(
        Representative.objects.filter(
            pk__in={m.representative_id for m in messages if m.representative_id},
            offices__in=offices,
        ).values_list("pk", "name")
    )
    about: dict[str, set[int]] = {"seat": set(), "staff": set(), "panel": set()}
    for message in messages:
        if message.about_type in about and message.about_id is not None:
            about[message.about_type].add(message.about_id)
    in_scope = Q(panel__round__office__in=offices)
    panel_of: dict[str, dict[int | None, int]] = {
        "seat": dict(
            Seat.objects.filter(in_scope, pk__in=about["seat"]).values_list("pk", "panel")
        ),
        "staff": dict(
            StaffInterviewer.objects.filter(in_scope, pk__in=about["staff"]).values_list(
                "pk", "panel"
            )
        ),
        "panel": {
            pk: pk
            for pk in Panel.objects.filter(
                round__office__in=offices, pk__in=about["panel"]
            ).values_list("pk", flat=True)
        },
    }
    failed = []
    for message in messages:
        failed.append(
            FailedEmail(
                message=message,
                kind=_kind_label(message.kind, sms=message.is_sms),
                recipient=names.get(message.representative_id) or mask_address(message.to),
                error=message.last_error,
                panel_id=panel_of.get(message.about_type, {}).get(message.about_id),
            )
        )
    return failed


def _kind_label(kind: str, *, sms: bool = False) -> str:
    label = str(EmailKind(kind).label) if kind in EmailKind.values else kind
    return _("%(kind)s (SMS)") % {"kind": label} if sms else label


def dashboard_actions(
    *,
    offices: QuerySet[Office],
    now: datetime,
    led_offices: QuerySet[Office] | None = None,
) -> DashboardActions:
    """What needs action in ``offices``; failed emails only of ``led_offices`` (the user's).

    The four lists are cached (``navpanel.cache_versions``): any change to panels, seats or
    rounds bumps the data version, and the entry expires at the next moment the clock alone
    would change a list (``_lists_valid_until``). Failed emails are always read fresh: the
    outbox marks them with ``UPDATE``, which bumps nothing.
    """
    office_ids = sorted(office.pk for office in offices)

    def compute() -> tuple[dict[str, list[Any]], datetime | None]:
        open_invitations = list(_open_invitations(offices=office_ids))
        lists: dict[str, list[Any]] = {
            "short_panels": short_panels(offices=office_ids, now=now),
            "waiting_invitations": waiting_invitations(open_invitations=open_invitations, now=now),
            "attendance_to_mark": attendance_to_mark(offices=office_ids, now=now),
            "rounds_without_panel": rounds_without_panel(offices=office_ids),
            "cannot_come": cannot_come(offices=office_ids, now=now),
        }
        valid_until = _lists_valid_until(
            office_ids=office_ids, now=now, lists=lists, open_invitations=open_invitations
        )
        return lists, valid_until

    lists = cached("dashboard", (office_ids,), compute, scopes=office_scopes(office_ids), now=now)
    return DashboardActions(
        **lists,
        failed_emails=(
            failed_emails(offices=led_offices, now=now) if led_offices is not None else []
        ),
    )


def dashboard_rounds(*, offices: QuerySet[Office]) -> tuple[list[HiringRound], list[HiringRound]]:
    """The open and the draft rounds of ``offices`` (a user's, so already in scope), cached
    like the lists: any change to a round bumps the data version, and time changes nothing."""
    office_ids = sorted(office.pk for office in offices)

    def compute() -> tuple[tuple[list[HiringRound], list[HiringRound]], None]:
        rounds = HiringRound.objects.filter(office__in=office_ids).select_related("office")
        opened = list(rounds.filter(state=RoundState.OPEN))
        return (opened, list(rounds.filter(state=RoundState.DRAFT))), None

    return cached("dashboard-rounds", (office_ids,), compute, scopes=office_scopes(office_ids))


def _lists_valid_until(
    *,
    office_ids: list[int],
    now: datetime,
    lists: dict[str, list[Any]],
    open_invitations: "list[OpenInvitation]",
) -> datetime | None:
    """The first moment after ``now`` at which the lists change by the clock alone: a short
    panel starts, an invitation reaches its half-way point, a panel with accepted seats ends."""
    moments = [panel.starts_at for panel in lists["short_panels"]]
    moments += [seat.starts_at for seat in lists["cannot_come"]]
    moments += [
        invitation_halfway(seat) for seat in open_invitations if invitation_halfway(seat) > now
    ]
    ends = Panel.objects.filter(
        round__office__in=office_ids,
        status=PanelStatus.PLANNED,
        ends_at__gt=now,
        seats__status=SeatStatus.ACCEPTED,
    ).aggregate(first=Min("ends_at"))["first"]
    if ends is not None:
        moments.append(ends)
    return min(moments, default=None)
