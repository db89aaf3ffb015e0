"""The representative's answers by a seat link: say yes (signing the confidentiality
declaration, and agreeing to a newer consent text, on the way), sign a newer declaration on a
seat already accepted, tell the office about support needs, declare a conflict of interest.

Representatives never sign in. Every function here takes the seat that a signed link names
(``panels.links``) and never looks at a signed-in user, so the pages behave the same when a
member of staff happens to be signed in in the same browser. The seat's change of status
itself is ``panels.services``' (``seat_accept``, ``seat_decline``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.enums import ActorKind, AuditAction
from audit.services import audit_record
from interviews.enums import InterviewStatus
from interviews.models import Candidate

from .. import services
from ..enums import OPEN_STATUSES, RepresentativeStatus, SeatStatus
from ..models import (
    ConfidentialitySigned,
    ConfidentialityText,
    ConflictOfInterest,
    ConsentText,
    LinkVia,
    Representative,
    Seat,
)
from ..pool.consent import consent_give, consent_update_needed
from ..selectors import seat_can_be_answered
from ..texts import confidentiality_text_current


def confidentiality_is_signed(
    *, representative: Representative, text: ConfidentialityText | None
) -> bool:
    """Whether the representative signed this version (a new version needs a new signature)."""
    return (
        text is not None
        and ConfidentialitySigned.objects.filter(representative=representative, text=text).exists()
    )


def panel_candidates(*, seat: Seat) -> QuerySet[Candidate]:
    """The candidates of the seat's panel's scheduled interviews (names, for conflicts only)."""
    return (
        Candidate.objects.filter(
            interviews__panels=seat.panel_id, interviews__status=InterviewStatus.SCHEDULED
        )
        .distinct()
        .order_by("name", "id")
    )


def candidates_declared(*, seat: Seat) -> set[int]:
    return set(
        ConflictOfInterest.objects.filter(
            representative=seat.representative_id, candidate__in=panel_candidates(seat=seat)
        ).values_list("candidate_id", flat=True)
    )


@transaction.atomic
def confidentiality_sign(
    *, representative: Representative, text: ConfidentialityText, via: str = LinkVia.SEAT_LINK
) -> ConfidentialitySigned:
    """Sign one version of the declaration; signing it again returns the first signature.

    The signature records the language version read: the one the page showed in the active
    language (the representative's own, ``public.views.decorators.speak_to``).
    """
    signature, _created = ConfidentialitySigned.objects.get_or_create(
        representative=representative,
        text=text,
        defaults={"signed_at": timezone.now(), "via": via, "language": text.language_shown()},
    )
    if _created:
        audit_record(
            action=AuditAction.CONFIDENTIALITY_SIGNED,
            obj=representative,
            office_id=representative.offices.order_by("pk").values_list("pk", flat=True).first(),
            actor_kind=ActorKind.REPRESENTATIVE,
            text_version=text.version,
            via=via,
        )
    return signature


def _require_current_declaration(
    declaration: ConfidentialityText | None,
) -> ConfidentialityText:
    current = confidentiality_text_current()
    if current is None or declaration is None or declaration.pk != current.pk:
        raise ValidationError(
            _("The confidentiality declaration has changed. Please read it again."),
            code="declaration_changed",
        )
    return current


@transaction.atomic
def invitation_accept(
    *,
    seat: Seat,
    declaration: ConfidentialityText | None,
    sign_declaration: bool,
    support_needs: str | None = None,
    consent_text: ConsentText | None = None,
    agree_consent: bool = False,
) -> Seat:
    """The representative says yes: sign the declaration if needed, then accept, all or nothing.

    The seat itself is accepted by ``services.seat_accept`` once everything here holds.

    ``declaration`` is the version the person was shown; it must still be the current one, so
    nobody signs words they have not read. The same holds for ``consent_text`` when a newer
    consent text was published than the one the person's consent is to: they accept it here
    (``agree_consent``), recorded as given by the seat link. Raises ``ValidationError``
    (nothing written) when the seat can no longer be answered, consent is missing, or the
    declaration or the new consent text is not accepted.
    """
    seat = (
        Seat.objects.select_for_update(of=("self",))
        .select_related("panel", "representative")
        .get(pk=seat.pk)
    )
    if not seat_can_be_answered(seat=seat):
        raise ValidationError(_("This invitation can no longer be answered."), code="closed")
    representative = seat.holder()
    if representative.status != RepresentativeStatus.ACTIVE:
        raise ValidationError(_("We need your consent first."), code="consent_missing")
    current = _require_current_declaration(declaration)
    consent_update = consent_update_needed(representative=representative)
    if consent_update is not None:
        if consent_text is None or consent_text.pk != consent_update.pk:
            raise ValidationError(
                _("The text about consent has changed. Please read it again."),
                code="consent_text_changed",
            )
        if not agree_consent:
            raise ValidationError(
                _("You must accept the new text about consent to take part."),
                code="consent_unagreed",
            )
    signed = confidentiality_is_signed(representative=representative, text=current)
    if not signed and not sign_declaration:
        raise ValidationError(
            _("You must sign the confidentiality declaration to take part."),
            code="declaration_unsigned",
        )
    if consent_update is not None:
        consent_give(
            representative=representative,
            text=consent_update,
            backgrounds=list(representative.backgrounds.all()),
            via=LinkVia.SEAT_LINK,
        )
    if not signed:
        confidentiality_sign(representative=representative, text=current, via=LinkVia.SEAT_LINK)
    if support_needs is not None and support_needs != representative.support_needs:
        representative.support_needs = support_needs
        representative.save(update_fields=["support_needs"])
    return services.seat_accept(seat=seat)


@transaction.atomic
def seat_support_needs_update(*, seat: Seat, support_needs: str) -> Representative:
    """What the person needs to take part, in their own words; only the office's leaders see it.

    Through a seat that is still ahead (invited or accepted); an old link changes nothing.
    """
    if seat.status not in OPEN_STATUSES:
        raise ValidationError(_("This seat can no longer be changed."), code="closed")
    representative = Representative.objects.select_for_update().get(pk=seat.holder().pk)
    if support_needs != representative.support_needs:
        representative.support_needs = support_needs
        representative.save(update_fields=["support_needs"])
    return representative


@transaction.atomic
def seat_declaration_sign(*, seat: Seat, declaration: ConfidentialityText | None) -> Seat:
    """Sign a newly published declaration on a seat already accepted (it was signed before).

    ``declaration`` is the version shown; it must still be current.
    """
    if seat.status != SeatStatus.ACCEPTED:
        raise ValidationError(_("This seat can no longer be changed."), code="closed")
    current = _require_current_declaration(declaration)
    confidentiality_sign(representative=seat.holder(), text=current)
    return seat


@transaction.atomic
def conflict_declare(*, seat: Seat, candidate_id: int) -> ConflictOfInterest:
    """The representative knows a candidate of their panel. Declaring it twice records it once.

    Only on an accepted seat whose holder signed the current declaration, since only they are
    shown the names; a candidate of another panel is refused (``Candidate.DoesNotExist``).
    """
    if seat.status != SeatStatus.ACCEPTED or not confidentiality_is_signed(
        representative=seat.holder(), text=confidentiality_text_current()
    ):
        raise ValidationError(_("You cannot declare this now."), code="not_allowed")
    candidate = panel_candidates(seat=seat).get(pk=candidate_id)
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        representative=seat.representative, candidate=candidate
    )
    return conflict
