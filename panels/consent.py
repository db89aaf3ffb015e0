"""Consent, confidentiality and the representative's own answers, reached by signed links.

Representatives never sign in. Every function here takes the seat or the representative that a
signed link names and never looks at a signed-in user, so the pages behave the same when a
member of staff happens to be signed in in the same browser.

Links (``panels.links``) carry only a signed id and the time they were issued:

- a seat link never expires as a link: it always shows the seat and its status, and the seat's
  own ``answer_by`` decides until when it can be answered, so it survives a move of the
  interview (which changes the times, not the deadline);
- a consent link (and "my page") expires ``REPRESENTATIVE_LINK_MAX_AGE`` after it was issued.
"""

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.enums import ActorKind, AuditAction
from audit.services import audit_record
from interviews.enums import InterviewStatus
from interviews.models import Candidate, Office
from navpanel.cache_versions import caching_enabled, data_version
from outbox.models import OutboxMessage

from . import emails, links
from .enums import PanelStatus, RepresentativeStatus, SeatStatus
from .erasure import representative_erase
from .models import (
    Background,
    ConfidentialitySigned,
    ConfidentialityText,
    ConflictOfInterest,
    ConsentGiven,
    ConsentText,
    LinkVia,
    Representative,
    Seat,
)
from .services import seat_transition

REPRESENTATIVE_LINK_MAX_AGE = timedelta(days=30)
# The outbox kind of the renewal request (``emails.consent_renewal``).
CONSENT_RENEWAL_KIND = "consent_renewal"


class LinkNotValid(Exception):
    """The token was altered, or names something that no longer exists."""


class LinkExpired(Exception):
    """The token is genuine but too old; ``offices`` are whom the person can ask for a new one."""

    def __init__(self, offices: list[Office]) -> None:
        super().__init__("link expired")
        self.offices = offices


# Tokens -----------------------------------------------------------------------------------------


def seat_from_token(token: str) -> Seat:
    """The seat a seat link names, with what its page shows. Raises ``LinkNotValid``."""
    try:
        seat_id = signing.loads(token, salt=links.SEAT_SALT)
    except signing.BadSignature as error:
        raise LinkNotValid from error
    seat = (
        Seat.objects.select_related("panel__round__office", "representative")
        .filter(pk=seat_id, representative__isnull=False)
        .first()
    )
    if seat is None:
        raise LinkNotValid
    return seat


def representative_from_token(
    token: str, *, salt: str = links.REPRESENTATIVE_SALT
) -> Representative:
    """The representative a consent link names. Raises ``LinkNotValid`` or ``LinkExpired``."""
    try:
        representative_id = signing.loads(token, salt=salt, max_age=REPRESENTATIVE_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        # The signature is genuine, only old: find the person to say which office to ask.
        representative_id = signing.loads(token, salt=salt)
        representative = Representative.objects.filter(pk=representative_id).first()
        if representative is None:
            raise LinkNotValid from error
        raise LinkExpired(list(representative.offices.all())) from error
    except signing.BadSignature as error:
        raise LinkNotValid from error
    representative = Representative.objects.filter(pk=representative_id).first()
    if representative is None:
        raise LinkNotValid
    return representative


def my_page_representative_from_token(token: str) -> Representative:
    """The representative a "my page" link names (30 days). Raises like a consent link."""
    return representative_from_token(token, salt=links.MY_PAGE_SALT)


# Selectors ----------------------------------------------------------------------------------------


# The current texts as this process last read them: (database and data version, text, the next
# text's publication time). Checked against the shared data version on every read.
_CURRENT_TEXTS: dict[type, tuple[tuple[str, int], object, datetime | None]] = {}


def _text_current(model: type[ConsentText] | type[ConfidentialityText]) -> object:
    """The newest ``model`` text published by now, remembered in this process until the data
    version moves (saving a text in the admin bumps it) or the next text's publication time
    comes: read on every invitation page, changed a few times a year. Read from the database
    inside a transaction (its writes may yet be rolled back under the bumped version) and
    where no shared cache carries the version."""
    now = timezone.now()
    if not caching_enabled() or transaction.get_connection().in_atomic_block:
        return model.objects.filter(published_at__lte=now).order_by("-version").first()
    stamp = (transaction.get_connection().settings_dict["NAME"], data_version())
    remembered = _CURRENT_TEXTS.get(model)
    if remembered is not None and remembered[0] == stamp:
        _, text, valid_until = remembered
        if valid_until is None or now < valid_until:
            return copy.copy(text)
    text = model.objects.filter(published_at__lte=now).order_by("-version").first()
    upcoming = model.objects.filter(published_at__gt=now).order_by("published_at")
    _CURRENT_TEXTS[model] = (stamp, text, upcoming.values_list("published_at", flat=True).first())
    return copy.copy(text)


def consent_text_current() -> ConsentText | None:
    """The newest consent text published by now; None before the first is published."""
    return _text_current(ConsentText)


def confidentiality_text_current() -> ConfidentialityText | None:
    """The newest confidentiality declaration published by now."""
    return _text_current(ConfidentialityText)


def consent_standing(*, representative: Representative, text: ConsentText) -> ConsentGiven | None:
    """The representative's consent in force to exactly this version of the text: neither
    withdrawn nor replaced by a renewal (there is at most one, a constraint says so)."""
    return ConsentGiven.objects.filter(
        representative=representative, text=text, withdrawn_at__isnull=True, renewed_at__isnull=True
    ).first()


def months_before(moment: datetime, months: int) -> datetime:
    """The same local date and time ``months`` earlier (the last day of a shorter month)."""
    local = timezone.localtime(moment)
    month_index = local.year * 12 + local.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    day = min(local.day, (next_month - timedelta(days=1)).day)
    return timezone.make_aware(datetime.combine(date(year, month, day), local.time()))


def consent_renewal_due(
    *, representative: Representative, now: datetime | None = None
) -> ConsentGiven | None:
    """The person's consent to the current text, when it is up for renewal; else None.

    Up for renewal means older than the strictest (shortest) ``consent_renewal_months`` of the
    offices whose pool the person is in, the rule the renewal job asks by, or asked about by a
    renewal email since it was given (an office may shorten its period after asking). A
    consent to an older text is not renewed but replaced: the page shows the new text.
    """
    now = now or timezone.now()
    text = consent_text_current()
    standing = consent_standing(representative=representative, text=text) if text else None
    if standing is None:
        return None
    months = representative.offices.aggregate(months=Min("consent_renewal_months"))["months"]
    if months is not None and standing.given_at <= months_before(now, months):
        return standing
    asked = OutboxMessage.objects.filter(
        representative_id=representative.pk,
        kind=CONSENT_RENEWAL_KIND,
        created_at__gte=standing.given_at,
    )
    return standing if asked.exists() else None


def consent_update_needed(*, representative: Representative) -> ConsentText | None:
    """The current consent text, if the person's standing consent is to an older version.

    None when their standing consent is to the current version, or when they have no
    standing consent at all (someone without consent is sent to the consent page instead).
    """
    current = consent_text_current()
    if current is None:
        return None
    versions = set(
        ConsentGiven.objects.filter(
            representative=representative, withdrawn_at__isnull=True
        ).values_list("text__version", flat=True)
    )
    if not versions or current.version in versions:
        return None
    return current


def confidentiality_is_signed(
    *, representative: Representative, text: ConfidentialityText | None
) -> bool:
    """Whether the representative signed this version (a new version needs a new signature)."""
    return (
        text is not None
        and ConfidentialitySigned.objects.filter(representative=representative, text=text).exists()
    )


def seat_can_be_answered(*, seat: Seat, now: datetime | None = None) -> bool:
    """An invited seat on a planned panel, before its answer deadline."""
    now = now or timezone.now()
    return (
        seat.status == SeatStatus.INVITED
        and seat.panel.status == PanelStatus.PLANNED
        and (seat.answer_by is None or now <= seat.answer_by)
    )


def seat_deadline_passed(*, seat: Seat, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return seat.status == SeatStatus.INVITED and seat.answer_by is not None and now > seat.answer_by


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


@dataclass
class TextBlock:
    """One block of a published text: a heading, a paragraph, or a list."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)


def text_blocks(body: str) -> list[TextBlock]:
    """Split a published text into headings, paragraphs and lists for the page.

    The administrator writes plain text: a blank line between paragraphs, "# " before a
    heading and "- " before a point in a list (the help text in the admin says so).
    """
    blocks: list[TextBlock] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        prose: list[str] = []
        for line in (line.strip() for line in chunk.split("\n")):
            if line.startswith("# "):
                blocks.extend(_paragraph(prose))
                blocks.append(TextBlock("heading", line[2:].strip()))
            elif line.startswith("- "):
                blocks.extend(_paragraph(prose))
                if not blocks or blocks[-1].kind != "list":
                    blocks.append(TextBlock("list"))
                blocks[-1].items.append(line[2:].strip())
            elif line:
                prose.append(line)
        blocks.extend(_paragraph(prose))
    return blocks


def _paragraph(lines: list[str]) -> list[TextBlock]:
    """The lines gathered so far as one paragraph (and the gathering emptied)."""
    if not lines:
        return []
    paragraph = TextBlock("paragraph", " ".join(lines))
    lines.clear()
    return [paragraph]


# Services -----------------------------------------------------------------------------------------


@transaction.atomic
def consent_give(
    *,
    representative: Representative,
    text: ConsentText | None,
    backgrounds: Iterable[Background],
    via: str = LinkVia.CONSENT_LINK,
    renew: bool = False,
) -> ConsentGiven:
    """Record consent to ``text`` with the backgrounds the person confirmed; make them active.

    ``text`` is the version the person was shown; it must still be the current one. Safe to
    call twice: the standing consent to the same version is returned, not repeated, and the
    backgrounds are set again (this is also how the person corrects them later). A
    representative the office set *inactive* stays inactive; consent does not overrule that.

    ``renew``: the person agreed again to a consent that is up for renewal
    (``consent_renewal_due``). Then the standing consent is marked renewed and a new one is
    recorded, same version, given now, so the renewal and retention jobs count the person
    as active from now on. Checked under the person's row lock, so a second press, or two at
    once, finds the renewal no longer due and records nothing new.
    """
    current = consent_text_current()
    if current is None or text is None or text.pk != current.pk:
        raise ValidationError(
            _("The text about consent has changed. Please read it again."), code="text_changed"
        )
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    now = timezone.now()
    backgrounds_chosen = list(backgrounds)
    representative.backgrounds.set(backgrounds_chosen)
    consent = consent_standing(representative=representative, text=text)
    renewing = (
        renew
        and consent is not None
        and consent_renewal_due(representative=representative, now=now) == consent
    )
    if renewing:
        ConsentGiven.objects.filter(pk=consent.pk).update(renewed_at=now)
        consent = None
    if consent is None:
        consent = ConsentGiven.objects.create(
            representative=representative, text=text, given_at=now, via=via
        )
        audit_record(
            action=AuditAction.CONSENT_GIVEN,
            obj=representative,
            office_id=representative.offices.order_by("pk").values_list("pk", flat=True).first(),
            actor_kind=ActorKind.REPRESENTATIVE,
            text_version=text.version,
            via=via,
            backgrounds=len(backgrounds_chosen),
            **({"renewal": True} if renewing else {}),
        )
    if representative.status in (
        RepresentativeStatus.AWAITING_CONSENT,
        RepresentativeStatus.WITHDRAWN,
    ):
        representative.status = RepresentativeStatus.ACTIVE
        representative.save(update_fields=["status"])
    return consent


@transaction.atomic
def consent_decline(*, representative: Representative) -> None:
    """The person says no thanks to the consent request: erase them now, not in 30 days.

    Only for someone who has not consented: an active representative may have seats, and
    withdrawing from those is a different flow with its own notices.
    """
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    if representative.status == RepresentativeStatus.ACTIVE:
        raise ValidationError(
            _("You have already given your consent."), code="consent_already_given"
        )
    representative_erase(representative=representative, reason="consent_declined")


@transaction.atomic
def confidentiality_sign(
    *, representative: Representative, text: ConfidentialityText, via: str = LinkVia.SEAT_LINK
) -> ConfidentialitySigned:
    """Sign one version of the declaration; signing it again returns the first signature."""
    signature, _created = ConfidentialitySigned.objects.get_or_create(
        representative=representative,
        text=text,
        defaults={"signed_at": timezone.now(), "via": via},
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
def seat_accept(
    *,
    seat: Seat,
    declaration: ConfidentialityText | None,
    sign_declaration: bool,
    support_needs: str | None = None,
    consent_text: ConsentText | None = None,
    agree_consent: bool = False,
) -> Seat:
    """The representative says yes: sign the declaration if needed, then accept, all or nothing.

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
    representative = seat.representative
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
    seat = seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    emails.seat_confirmation(seat=seat)
    return seat


@transaction.atomic
def seat_decline(*, seat: Seat, reason: str = "") -> Seat:
    """The representative says no, with an optional reason the office can read."""
    seat = Seat.objects.select_for_update(of=("self",)).select_related("panel").get(pk=seat.pk)
    if not seat_can_be_answered(seat=seat):
        raise ValidationError(_("This invitation can no longer be answered."), code="closed")
    seat = seat_transition(seat=seat, to=SeatStatus.DECLINED, actor="representative", note=reason)
    if reason:
        seat.decline_reason = reason
        seat.save(update_fields=["decline_reason", "updated_at"])
    return seat


@transaction.atomic
def seat_support_needs_update(*, seat: Seat, support_needs: str) -> Representative:
    """What the person needs to take part, in their own words; only the office's leaders see it.

    Through a seat that is still ahead (invited or accepted); an old link changes nothing.
    """
    if seat.status not in (SeatStatus.INVITED, SeatStatus.ACCEPTED):
        raise ValidationError(_("This seat can no longer be changed."), code="closed")
    representative = Representative.objects.select_for_update().get(pk=seat.representative_id)
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
    _require_current_declaration(declaration)
    confidentiality_sign(representative=seat.representative, text=declaration)
    return seat


@transaction.atomic
def conflict_declare(*, seat: Seat, candidate_id: int) -> ConflictOfInterest:
    """The representative knows a candidate of their panel. Declaring it twice records it once.

    Only on an accepted seat whose holder signed the current declaration, since only they are
    shown the names; a candidate of another panel is refused (``Candidate.DoesNotExist``).
    """
    if seat.status != SeatStatus.ACCEPTED or not confidentiality_is_signed(
        representative=seat.representative, text=confidentiality_text_current()
    ):
        raise ValidationError(_("You cannot declare this now."), code="not_allowed")
    candidate = panel_candidates(seat=seat).get(pk=candidate_id)
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        representative=seat.representative, candidate=candidate
    )
    return conflict
