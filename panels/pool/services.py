"""Writes for the office's pool: adding a representative (which asks for consent) and changing one.

The status is never changed here: consent is the representative's to give or withdraw
(``panels.pool.consent``).
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
from .selectors import user_may_change_representative

# An address someone already uses can be in another office's pool, which the leader must not
# learn (issue 15, point 10): the refusal says nothing about where or whose it is, and is the
# same whether the address is in the leader's own pool or in another's (docs/decisions.md).
ADDRESS_NOT_USABLE = gettext_lazy(
    "This email address cannot be used here. If the person is in your pool already, "
    "you find them in the list; otherwise ask them which address to use."
)
ADDRESS_NOT_USABLE_ON_LINE = gettext_lazy("this email address cannot be used here")

EDITABLE_FIELDS = (
    "name",
    "email",
    "phone",
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
    """Add a representative to the pool, *awaiting consent*, and queue the consent request."""
    representative = Representative(status=RepresentativeStatus.AWAITING_CONSENT, **fields)
    representative.email = representative.email.strip().lower()
    representative.full_clean()
    representative.save()
    representative.offices.set(offices)
    representative.backgrounds.set(backgrounds)
    emails.consent_request(representative=representative)
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
