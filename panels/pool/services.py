"""Writes for the office's pool: adding a representative (which asks for consent) and changing one.

The status is never changed here: consent is the representative's to give or withdraw
(``panels.pool.consent``).
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.enums import AuditAction
from audit.services import audit_record
from interviews.models import Office
from interviews.selectors import offices_led_by

from .. import emails
from ..enums import RepresentativeStatus
from ..models import Background, Representative
from .selectors import (
    RESEND_INTERVAL,
    LinkToResend,
    link_resend_allowed,
    link_resent_at,
    user_may_change_representative,
)

# An address someone already uses can be in another office's pool, which the leader must not
# learn (issue 15, point 10): the refusal says nothing about where or whose it is, and is the
# same whether the address is in the leader's own pool or in another's (docs/decisions.md).
ADDRESS_NOT_USABLE = gettext_lazy(
    "This email address cannot be used here. If the person is in your pool already, "
    "you find them in the list; otherwise ask them which address to use."
)
ADDRESS_NOT_USABLE_ON_LINE = gettext_lazy("this email address cannot be used here")
# The same for a mobile number, which is one person's as an address is (issue 19).
NUMBER_NOT_USABLE = gettext_lazy(
    "This mobile number cannot be used here. If the person is in your pool already, "
    "you find them in the list; otherwise ask them which number to use."
)
NUMBER_NOT_USABLE_ON_LINE = gettext_lazy("this mobile number cannot be used here")

EDITABLE_FIELDS = (
    "name",
    "email",
    "phone",
    "contact",
    "birth_year",
    "organisation",
    "suggested_by",
    "support_needs",
    "note",
    "language",
)


@transaction.atomic
def representative_create(
    *,
    offices: Iterable[Office],
    backgrounds: Iterable[Background] = (),
    by: User | None,
    **fields: object,
) -> Representative:
    """Add a representative to the pool, *awaiting consent*, and queue the consent request.

    The request comes from one office even when the person joins several: the first (by id)
    of those ``by`` leads, else the first of them. Its name is the sender's and its address
    gets the replies.
    """
    offices = sorted(offices, key=lambda office: office.pk)
    led = set(offices_led_by(by)) if by is not None else set()
    asking = next((office for office in offices if office in led), offices[0] if offices else None)
    representative = Representative(status=RepresentativeStatus.AWAITING_CONSENT, **fields)
    representative.email = representative.email.strip().lower()
    representative.full_clean()
    representative.save()
    representative.offices.set(offices)
    representative.backgrounds.set(backgrounds)
    emails.consent_request(representative=representative, office=asking)
    return representative


@transaction.atomic
def representative_update(
    *,
    representative: Representative,
    offices: Iterable[Office],
    backgrounds: Iterable[Background],
    by: User,
    **fields: object,
) -> Representative:
    """Change a representative's facts, backgrounds and which of ``by``'s offices they are in.

    ``offices`` are chosen among the offices ``by`` leads, at least one; the pools of offices
    ``by`` does not lead are left as they are. The status is not changed here: consent is the
    representative's to give or withdraw.
    """
    led = set(offices_led_by(by))
    chosen = set(offices)
    if not user_may_change_representative(by, representative) or not chosen <= led:
        raise PermissionDenied
    if not chosen:
        raise ValidationError({"offices": _("Choose at least one office.")})
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    before = {name: getattr(representative, name) for name in fields}
    offices_before = set(representative.offices.values_list("pk", flat=True))
    backgrounds_before = set(representative.backgrounds.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(representative, name, value)
    representative.email = representative.email.strip().lower()
    representative.full_clean()
    representative.save(update_fields=list(fields))
    kept = [office for office in representative.offices.all() if office not in led]
    representative.offices.set([*kept, *chosen])
    representative.backgrounds.set(backgrounds)
    # Which fields changed, never their values (they are personal data).
    changed = sorted(name for name in fields if getattr(representative, name) != before[name])
    if set(representative.offices.values_list("pk", flat=True)) != offices_before:
        changed.append("offices")
    if set(representative.backgrounds.values_list("pk", flat=True)) != backgrounds_before:
        changed.append("backgrounds")
    audit_record(
        action=AuditAction.REPRESENTATIVE_CHANGED,
        actor=by,
        obj=representative,
        office=min(chosen, key=lambda office: office.pk),
        fields=changed,
    )
    return representative


@transaction.atomic
def representative_link_resend(
    *,
    representative: Representative,
    what: LinkToResend,
    by: User,
    now: datetime | None = None,
) -> None:
    """Send the consent request or a "my page" link again, at most once a day per person.

    For the person whose link expired ("the office will send you a new one"). Only a leader of
    one of the person's offices; the row is locked, so two leaders pressing at once send one.
    Refused with a ``ValidationError`` that says when the next one may go.
    """
    now = now or timezone.now()
    if not user_may_change_representative(by, representative):
        raise PermissionDenied
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    if what not in link_resend_allowed(representative=representative):
        raise ValidationError(
            _("This person has consent in force; send a link to their page instead.")
            if what == LinkToResend.CONSENT
            else _("This person has not given consent, so they have no page of their own yet."),
            code="link_not_for_status",
        )
    last = link_resent_at(representative=representative)
    if last is not None and now - last < RESEND_INTERVAL:
        local = timezone.localtime(last + RESEND_INTERVAL)
        raise ValidationError(
            _(
                "A new link was sent to this person less than a day ago. So that nobody gets "
                "a pile of emails, you can send one a day: the next one from %(day)s at %(time)s."
            )
            % {
                "day": formats.date_format(local, "MONTH_DAY_FORMAT"),
                "time": formats.time_format(local, "H:i"),
            },
            code="resent_today",
        )
    office = representative.offices.filter(pk__in=offices_led_by(by).values("pk")).order_by("pk")[0]
    again = f"resent:{now:%Y%m%dT%H%M%S}"
    if what == LinkToResend.CONSENT:
        emails.consent_request(
            representative=representative, office=office, again=again, resent=True
        )
    else:
        emails.my_page_link(representative=representative, office=office, again=again)
    audit_record(
        action=AuditAction.REPRESENTATIVE_LINK_SENT,
        actor=by,
        obj=representative,
        office=office,
        link=str(what),
    )
