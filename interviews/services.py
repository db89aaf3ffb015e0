"""Writes for offices and hiring rounds. Views, tasks and commands all come through here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .enums import ROUND_TRANSITIONS, RoundState
from .models import HiringRound, Office, RoundTransition


@transaction.atomic
def round_create(*, office: Office, by: User | None, **fields: object) -> HiringRound:
    """Create a draft round and record its first state."""
    hiring_round = HiringRound(office=office, created_by=by, **fields)
    hiring_round.full_clean()
    hiring_round.save()
    RoundTransition.objects.create(
        round=hiring_round, from_state=RoundState.DRAFT, to_state=RoundState.DRAFT, by=by
    )
    return hiring_round


@transaction.atomic
def round_transition(*, hiring_round: HiringRound, to: str, by: User | None) -> HiringRound:
    """Move a round to state ``to`` if the edge is allowed, and record who did it and when.

    The row is locked so that two leaders pressing "close" at once record one transition.
    """
    locked = HiringRound.objects.select_for_update().get(pk=hiring_round.pk)
    if to not in ROUND_TRANSITIONS[locked.state]:
        raise ValidationError(
            _("A round that is %(state)s cannot change to that state.")
            % {"state": locked.get_state_display().lower()}
        )
    RoundTransition.objects.create(round=locked, from_state=locked.state, to_state=to, by=by)
    locked.state = to
    locked.closed_at = timezone.now() if to == RoundState.CLOSED else None
    locked.save(update_fields=["state", "closed_at"])
    return locked
