""" "My page": what a representative sees about themself, and the three things they can do there.

Reached by a signed link (``links.my_page_url``, 30 days). Reading changes nothing; each action
is safe to repeat: a second withdrawal, download or deletion request finds the work done and
neither writes nor sends anything again.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.enums import ActorKind, AuditAction
from audit.services import audit_record
from interviews.models import Office

from .. import emails
from ..enums import Contact, RepresentativeStatus
from ..erasure import representative_erase
from ..models import (
    ConfidentialitySigned,
    ConflictOfInterest,
    ConsentGiven,
    Representative,
    Seat,
)
from ..services import representative_seats_withdraw


@dataclass
class MyPage:
    upcoming: list[Seat]
    past: list[Seat]
    consents: list[ConsentGiven]
    signatures: list[ConfidentialitySigned]
    has_standing_consent: bool


def _seats(representative: Representative) -> QuerySet[Seat]:
    return representative.seats.select_related("panel__round__office").order_by("starts_at", "id")


def my_page_overview(*, representative: Representative, now: datetime | None = None) -> MyPage:
    """Upcoming panels (soonest first), past panels (latest first), consents and signatures."""
    now = now or timezone.now()
    seats = list(_seats(representative))
    consents = list(representative.consents.select_related("text"))
    return MyPage(
        upcoming=[seat for seat in seats if seat.ends_at > now],
        past=[seat for seat in reversed(seats) if seat.ends_at <= now],
        consents=consents,
        signatures=list(representative.confidentiality_signatures.select_related("text")),
        # A person made active before consents were recorded has no row, but consent in force.
        has_standing_consent=any(consent.withdrawn_at is None for consent in consents)
        or representative.status in (RepresentativeStatus.ACTIVE, RepresentativeStatus.INACTIVE),
    )


def _offices_to_tell(representative: Representative, seats: list[Seat]) -> list[Office]:
    """The offices of the person's pool and of the seats, each once."""
    offices = {office.pk: office for office in representative.offices.all()}
    for seat in seats:
        offices.setdefault(seat.panel.round.office_id, seat.panel.round.office)
    return list(offices.values())


@transaction.atomic
def contact_choose(*, representative: Representative, contact: str) -> bool:
    """The person chooses how we reach them: email, SMS or both (issue 19). True if it changed.

    Raises ``ValidationError`` when the office has no address or no mobile number for that
    way: the person cannot enter one here (the link is their only proof of who they are, and
    a number typed here would send their next SMS to anyone), so they ask the office.
    """
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    if representative.contact == contact:
        return False
    representative.contact = contact
    try:
        representative.full_clean(exclude=["email"])
    except ValidationError as error:
        raise ValidationError(_contact_refusal(contact)) from error
    representative.save(update_fields=["contact"])
    audit_record(
        action=AuditAction.REPRESENTATIVE_CHANGED,
        actor_kind=ActorKind.REPRESENTATIVE,
        obj=representative,
        fields=["contact"],
    )
    return True


def _contact_refusal(contact: str) -> str:
    if Contact(contact).by_sms:
        return str(
            _(
                "We have no Norwegian mobile number for you. Ask the office to add it, "
                "then you can choose SMS."
            )
        )
    return str(
        _("We have no email address for you. Ask the office to add it, then you can choose email.")
    )


@transaction.atomic
def consent_withdraw(
    *, representative: Representative, now: datetime | None = None, reason: str = "withdrawn"
) -> bool:
    """Withdraw consent, which erases the person at once, as the consent text says.

    In one transaction: every standing consent ends; the person leaves every seat still
    ahead (each freed, and refilled as its round says, by ``services.seat_transition``); the
    leaders of the offices of their pool and of those seats are told, without the name; the
    person gets a confirmation of what was deleted; and ``erasure.representative_erase``
    deletes the name, contact details, backgrounds and everything else about them. Past
    seats stay without a name, with the backgrounds snapshot taken when they sat, for the
    anonymous statistics. The messages to the person queued here (the confirmation, the
    cancelled calendar entries) are still sent, and blanked afterwards
    (the outbox erases them once they are done).

    ``reason``: the audit log's code (``"withdrawn"``; ``"request"`` for "delete my data").
    Returns False, and does nothing, when the person is already erased.
    """
    now = now or timezone.now()
    farewell_since = timezone.now()
    locked = Representative.objects.select_for_update().filter(pk=representative.pk).first()
    if locked is None:
        return False
    representative = locked
    consents_withdrawn = representative.consents.filter(
        withdrawn_at__isnull=True, renewed_at__isnull=True
    ).update(withdrawn_at=now)
    representative.status = RepresentativeStatus.WITHDRAWN
    representative.save(update_fields=["status"])
    seats = representative_seats_withdraw(representative=representative, now=now)
    offices = _offices_to_tell(representative, seats)
    for office in offices:
        emails.representative_withdrawn_notice(
            representative_id=representative.pk,
            office=office,
            seats=[seat for seat in seats if seat.panel.round.office_id == office.pk],
            key=f"{now.timestamp():.0f}",
        )
    audit_record(
        action=AuditAction.CONSENT_WITHDRAWN,
        actor_kind=ActorKind.REPRESENTATIVE,
        obj=representative,
        # The offices of the pool and of the seats: HR of each reads it (issue 18, point 6).
        office_ids=[office.pk for office in offices],
        consents_withdrawn=consents_withdrawn,
        seats_withdrawn=len(seats),
    )
    emails.representative_erased_confirmation(representative=representative, seats=seats)
    representative_erase(
        representative=representative, reason=reason, farewell_since=farewell_since
    )
    return True


@transaction.atomic
def representative_language_choose(*, representative: Representative, language: str) -> bool:
    """The person's own choice of language, from their consent page or my page: the pages,
    emails, SMS and calendar text they get from now on. True if it changed (a second press
    writes nothing)."""
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    if representative.language == language:
        return False
    representative.language = language
    representative.save(update_fields=["language"])
    audit_record(
        action=AuditAction.REPRESENTATIVE_CHANGED,
        obj=representative,
        office_id=representative.offices.order_by("pk").values_list("pk", flat=True).first(),
        actor_kind=ActorKind.REPRESENTATIVE,
        fields=["language"],
    )
    return True


def deletion_request(*, representative: Representative, now: datetime | None = None) -> bool:
    """ "Delete my data": the same as withdrawing consent, which deletes at once."""
    return consent_withdraw(representative=representative, now=now, reason="request")


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def representative_data(*, representative: Representative) -> dict[str, Any]:
    """Everything stored about the person, as plain data for a JSON download.

    Other people's data stays out: conflicts of interest are given as counts and interview
    days, never with the candidates' names; staff on the panels are not listed.
    """
    seats = list(_seats(representative))
    conflicts = ConflictOfInterest.objects.filter(representative=representative).select_related(
        "candidate"
    )
    conflict_days = sorted(
        {
            timezone.localdate(interview.starts_at).isoformat()
            for conflict in conflicts
            for interview in conflict.candidate.interviews.all()
        }
    )
    return {
        "name": representative.name,
        "contact": {
            "email": representative.email,
            "phone": representative.phone,
            "by": representative.contact,
        },
        "birth_year": representative.birth_year,
        "organisation": representative.organisation,
        "suggested_by": representative.suggested_by,
        "language": representative.language,
        "status": representative.status,
        "added": _when(representative.created_at),
        "deletion_requested": _when(representative.deletion_requested_at),
        "offices": [office.name for office in representative.offices.all()],
        "backgrounds": [
            {
                "code": background.slug,
                "name": background.name,
                "name_nn": background.name_nn,
                "name_en": background.name_en,
            }
            for background in representative.backgrounds.all()
        ],
        "support_needs": representative.support_needs,
        "seats": [
            {
                "office": seat.panel.round.office.name,
                "position": seat.panel.round.position_title,
                "starts": _when(seat.starts_at),
                "ends": _when(seat.ends_at),
                "status": seat.status,
                "answer_by": _when(seat.answer_by),
                "reason_given": seat.decline_reason,
                "backgrounds_when_seated": seat.backgrounds_snapshot,
            }
            for seat in seats
        ],
        "consents": [
            {
                "version": consent.text.version,
                "given": _when(consent.given_at),
                "via": consent.via,
                "withdrawn": _when(consent.withdrawn_at),
            }
            for consent in representative.consents.select_related("text")
        ],
        "confidentiality_declarations_signed": [
            {"version": signed.text.version, "signed": _when(signed.signed_at), "via": signed.via}
            for signed in representative.confidentiality_signatures.select_related("text")
        ],
        "conflicts_of_interest_declared": {
            "count": len(conflicts),
            "interview_days": conflict_days,
        },
    }


def representative_data_download(*, representative: Representative) -> dict[str, Any]:
    """The data for the download, recorded in the audit log (ids and counts only)."""
    data = representative_data(representative=representative)
    audit_record(
        action=AuditAction.DATA_DOWNLOADED,
        actor_kind=ActorKind.REPRESENTATIVE,
        obj=representative,
        seats=len(data["seats"]),
    )
    return data
