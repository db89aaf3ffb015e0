"""Retention: what navpanel forgets, and when (README, "Retention").

- **Candidates' names** are erased when their round has been closed for longer than
  ``CANDIDATE_RETENTION_DAYS`` (default 183, about 6 months). The candidate row stays, with an
  empty name and reference, so interviews and statistics keep their counts; the conflicts of
  interest declared against them go, since nobody can check them any more.
- **Inactive representatives** are erased (``panels.erasure.representative_erase``) when they
  were asked to renew their consent at least ``CONSENT_RENEWAL_ANSWER_DAYS`` (30) ago and have
  not answered. Inactive means, over the last ``REPRESENTATIVE_INACTIVE_DAYS`` (730, 24 months):
  added to the pool before that, no seat of any status starting in that period or later, and
  no consent given or withdrawn and no confidentiality declaration signed in it. Asking is the
  consent-renewal job's (``panels.jobs``): the clock starts when the outbox delivered the
  request (``sent_at``); a request never delivered never leads to erasure.
- **SMS short links** are deleted once the signed link they stand for no longer works
  (``panels.short_links.short_links_purge``); a person's go when the person is erased.
- **Audit events** older than ``AUDIT_RETENTION_DAYS`` (1826, 5 years) are purged.

``retention_plan`` only reads; ``retention_run`` does what the plan says. Both return ids and
counts, never names, so the command can print them.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEvent
from audit.services import audit_events_purge, audit_record, audit_retention_cutoff
from interviews.enums import RoundState
from interviews.models import Candidate
from outbox.selectors import messages_delivered

from .emails import EmailKind
from .erasure import representative_erase
from .models import ConfidentialitySigned, ConflictOfInterest, ConsentGiven, Representative, Seat
from .short_links import short_links_purge

ERASED_CANDIDATE_NAME = ""


@dataclass
class RetentionPlan:
    """What a run erases: ids by kind, and how many audit events are past retention."""

    candidate_ids: list[int] = field(default_factory=list)
    round_ids: list[int] = field(default_factory=list)
    representative_ids: list[int] = field(default_factory=list)
    audit_events: int = 0
    audit_before: datetime | None = None


def candidates_past_retention(*, now: datetime) -> QuerySet[Candidate]:
    """Candidates with a name still kept, whose round closed before the retention period."""
    closed_before = now - timedelta(days=settings.CANDIDATE_RETENTION_DAYS)
    return Candidate.objects.filter(
        round__state=RoundState.CLOSED, round__closed_at__lt=closed_before
    ).exclude(name=ERASED_CANDIDATE_NAME, reference="")


def representatives_inactive(*, now: datetime) -> QuerySet[Representative]:
    """Representatives with no seat, consent or declaration activity in the inactivity period."""
    since = now - timedelta(days=settings.REPRESENTATIVE_INACTIVE_DAYS)
    person = OuterRef("pk")
    return Representative.objects.filter(created_at__lt=since).exclude(
        Exists(Seat.objects.filter(representative=person, starts_at__gte=since))
        | Exists(
            ConsentGiven.objects.filter(representative=person).filter(
                Q(given_at__gte=since) | Q(withdrawn_at__gte=since)
            )
        )
        | Exists(ConfidentialitySigned.objects.filter(representative=person, signed_at__gte=since))
    )


def representatives_not_answering(*, now: datetime) -> QuerySet[Representative]:
    """Inactive representatives asked to renew consent long enough ago, with no answer since.

    An answer is consent given after the first request of the period; a seat taken after it
    also counts as being active (and is excluded by ``representatives_inactive`` anyway).
    """
    asked_before = now - timedelta(days=settings.CONSENT_RENEWAL_ANSWER_DAYS)
    since = now - timedelta(days=settings.REPRESENTATIVE_INACTIVE_DAYS)
    person = OuterRef("pk")
    renewals = messages_delivered(kind=EmailKind.CONSENT_RENEWAL, about_type="representative")
    asked = renewals.filter(about_id=person, sent_at__gte=since, sent_at__lt=asked_before)
    answered = ConsentGiven.objects.filter(
        representative=person,
        given_at__gte=renewals.filter(about_id=OuterRef(OuterRef("pk")), sent_at__gte=since)
        .order_by("sent_at")
        .values("sent_at")[:1],
    )
    return representatives_inactive(now=now).filter(Exists(asked)).exclude(Exists(answered))


def retention_plan(*, now: datetime | None = None) -> RetentionPlan:
    """What ``retention_run`` would erase now. Reads only."""
    now = now or timezone.now()
    candidates = candidates_past_retention(now=now)
    audit_before = audit_retention_cutoff(now=now)
    return RetentionPlan(
        candidate_ids=sorted(candidates.values_list("pk", flat=True)),
        round_ids=sorted(set(candidates.values_list("round_id", flat=True))),
        representative_ids=sorted(
            representatives_not_answering(now=now).values_list("pk", flat=True)
        ),
        audit_events=AuditEvent.objects.filter(at__lt=audit_before).count(),
        audit_before=audit_before,
    )


@transaction.atomic
def candidates_erase(*, now: datetime) -> list[int]:
    """Erase the names and references of candidates past retention; one audit event per round."""
    candidates = candidates_past_retention(now=now).select_for_update(of=("self",))
    by_round: dict[int, list[int]] = {}
    office_of: dict[int, int] = {}
    for pk, round_id, office_id in candidates.values_list("pk", "round_id", "round__office_id"):
        by_round.setdefault(round_id, []).append(pk)
        office_of[round_id] = office_id
    erased = [pk for ids in by_round.values() for pk in ids]
    ConflictOfInterest.objects.filter(candidate__in=erased).delete()
    Candidate.objects.filter(pk__in=erased).update(name=ERASED_CANDIDATE_NAME, reference="")
    for round_id, ids in by_round.items():
        audit_record(
            action=AuditAction.CANDIDATES_ERASED,
            office_id=office_of[round_id],
            round_id=round_id,
            count=len(ids),
            reason="retention",
        )
    return sorted(erased)


def retention_run(*, now: datetime | None = None, dry_run: bool = False) -> RetentionPlan:
    """Erase what the retention rules say is due, or only list it with ``dry_run``.

    Each representative is erased in its own transaction, so one failure leaves the others
    done; running it twice erases nothing the second time.
    """
    now = now or timezone.now()
    plan = retention_plan(now=now)
    if dry_run:
        return plan
    plan.candidate_ids = candidates_erase(now=now)
    erased = []
    for representative in representatives_not_answering(now=now).order_by("pk"):
        representative_erase(representative=representative, reason="consent_not_renewed")
        erased.append(representative.pk)
    plan.representative_ids = erased
    short_links_purge(now=now)
    if plan.audit_before is not None:  # always set by retention_plan
        plan.audit_events = audit_events_purge(before=plan.audit_before)
    return plan
