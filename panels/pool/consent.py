"""Consent to be in an office's pool and to have one's backgrounds stored.

The leader adds a person (``panels.pool.services.representative_create``), which asks for
consent by email; the person gives or declines it by a signed link, renews it when the
office's period runs out (``panels.jobs.consent_renewals_send``), and may withdraw it on "my
page". Consent is to one version of the text (``panels.texts.consent_text_current``).
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.enums import ActorKind, AuditAction
from audit.services import audit_record
from outbox.selectors import messages_about

from ..agreements import agreement_state
from ..emails import EmailKind
from ..enums import RepresentativeStatus
from ..erasure import representative_erase
from ..models import Background, ConsentGiven, ConsentText, LinkVia, Representative
from ..texts import consent_text_current


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
    asked = messages_about(kind=EmailKind.CONSENT_RENEWAL, about_type="representative").filter(
        about_id=representative.pk, created_at__gte=standing.given_at
    )
    return standing if asked.exists() else None


def consent_update_needed(*, representative: Representative) -> ConsentText | None:
    """The current consent text, if the person's standing consent is to an older version
    (``panels.agreements.AgreementState.consent_update``)."""
    return agreement_state(representative_id=representative.pk).consent_update


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

    ``text`` is the version the person was shown; it must still be the current one, and the
    consent records the language version of it the page showed (the active language, which on
    a link page is the person's own: ``public.views.decorators.speak_to``). Safe to
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
    if renewing and consent is not None:
        ConsentGiven.objects.filter(pk=consent.pk).update(renewed_at=now)
        consent = None
    if consent is None:
        renewal: dict[str, Any] = {"renewal": True} if renewing else {}
        consent = ConsentGiven.objects.create(
            representative=representative,
            text=text,
            given_at=now,
            via=via,
            language=text.language_shown(),
        )
        audit_record(
            action=AuditAction.CONSENT_GIVEN,
            obj=representative,
            office_id=representative.offices.order_by("pk").values_list("pk", flat=True).first(),
            actor_kind=ActorKind.REPRESENTATIVE,
            text_version=text.version,
            via=via,
            backgrounds=len(backgrounds_chosen),
            **renewal,
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
