"""Writes for a round's page: the round with its wanted backgrounds, in one transaction.

The round itself is ``interviews.services``'; what each panel of it should bring
(``BackgroundWant``) is the panels' concern, so it is written here, above both.
"""

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.enums import AuditAction
from audit.services import audit_record
from interviews import services as round_rules
from interviews.enums import InterviewStatus, RoundState
from interviews.models import Candidate, HiringRound, Office, RoundTransition

from ..enums import PanelStatus
from ..exported import refuse_if_exported
from ..models import Background, BackgroundWant, Seat


def round_wants_set(*, hiring_round: HiringRound, wants: Mapping[Background, int]) -> None:
    """Make the round's wanted backgrounds exactly ``wants``; a count of 0 means not wanted.

    A want asks for at least that many representatives with the background on *each* panel,
    so it can never exceed the round's seats per panel. Wants for several backgrounds may add
    up to more than the seats: one representative can bring more than one background.
    """
    errors: dict[str, list[str]] = {}
    for background, at_least in wants.items():
        if at_least < 0 or at_least > hiring_round.seats_per_panel:
            errors.setdefault(f"want_{background.pk}", []).append(
                _("Between 0 and %(seats)s, the seats per panel.")
                % {"seats": hiring_round.seats_per_panel}
            )
    if errors:
        raise ValidationError(errors)
    wanted = {background.pk: at_least for background, at_least in wants.items() if at_least}
    hiring_round.wants.exclude(background_id__in=wanted).delete()
    for background_id, at_least in wanted.items():
        BackgroundWant.objects.update_or_create(
            round=hiring_round, background_id=background_id, defaults={"at_least": at_least}
        )


@transaction.atomic
def round_create(
    *,
    office: Office,
    by: User | None,
    wants: Mapping[Background, int] | None = None,
    **fields: object,
) -> HiringRound:
    """Create a draft round with its wanted backgrounds and record its first state.

    ``wants`` maps a background to how many of each panel's representatives should have it,
    at least (0: not wanted). Errors name the field: ``want_<background id>`` for a want.
    """
    hiring_round = round_rules.round_create(office=office, by=by, **fields)
    round_wants_set(hiring_round=hiring_round, wants=wants or {})
    return hiring_round


@transaction.atomic
def round_update(
    *,
    hiring_round: HiringRound,
    wants: Mapping[Background, int] | None = None,
    **fields: object,
) -> HiringRound:
    """Change a round's details and its wanted backgrounds (kept as they are when ``wants`` is
    None, and checked again: fewer seats per panel may leave a want asking for more)."""
    hiring_round = round_rules.round_update(hiring_round=hiring_round, **fields)
    if wants is None:
        wants = {
            want.background: want.at_least
            for want in hiring_round.wants.select_related("background")
        }
    round_wants_set(hiring_round=hiring_round, wants=wants)
    return hiring_round


@transaction.atomic
def candidate_remove(*, candidate: Candidate, by: User | None, now: datetime | None = None) -> None:
    """Remove a candidate added by mistake (or twice), while none of their interviews has been
    held and the honoraria of their interview days are not exported (issue 18, point 1).

    Their interview slots stay, without a candidate, for the leader to cancel or keep; their
    conflicts of interest go with them, so no representative's list names them any more. The
    round's history and the audit log record the removal, without the name.
    """
    now = now or timezone.now()
    hiring_round = HiringRound.objects.select_for_update().get(pk=candidate.round_id)
    if hiring_round.state == RoundState.CLOSED:
        raise ValidationError(_("The round is closed; it takes no more changes."))
    interviews = list(candidate.interviews.filter(status=InterviewStatus.SCHEDULED))
    if any(interview.starts_at <= now for interview in interviews):
        raise ValidationError(
            _("%(name)s has had an interview, so they can no longer be removed.")
            % {"name": candidate.name},
            code="interview_held",
        )
    for interview in interviews:
        refuse_if_exported(office_id=hiring_round.office_id, moment=interview.starts_at)
    candidate_id = candidate.pk
    candidate.delete()
    RoundTransition.objects.create(
        round=hiring_round,
        from_state=hiring_round.state,
        to_state=hiring_round.state,
        event=RoundTransition.Event.CANDIDATE_REMOVED,
        by=by,
    )
    audit_record(
        action=AuditAction.CANDIDATE_REMOVED,
        actor=by,
        obj=hiring_round,
        office_id=hiring_round.office_id,
        candidate_id=candidate_id,
        interview_ids=[interview.pk for interview in interviews],
    )


@transaction.atomic
def round_delete(*, hiring_round: HiringRound, by: User | None) -> None:
    """Delete a draft round made by mistake or no longer needed (issue 18, point 3), with its
    candidates, interviews and panels. A draft invites nobody (``services.seat_invite``), but
    its panels' staff interviewers may have had a calendar entry: each planned panel is
    cancelled first, so they are told. An open or closed round is never deleted: it has a
    history that the statistics and the honoraria count.
    """
    from .. import services as panel_services

    locked = HiringRound.objects.select_for_update().get(pk=hiring_round.pk)
    if locked.state != RoundState.DRAFT:
        raise ValidationError(_("Only a draft round can be deleted."), code="not_draft")
    if Seat.objects.filter(panel__round=locked).exists():
        raise ValidationError(
            _("Representatives have been invited to this round's panels, so it cannot be deleted."),
            code="has_seats",
        )
    for panel in locked.panels.filter(status=PanelStatus.PLANNED):
        panel_services.panel_cancel(panel=panel, by=by)
    round_id, office_id = locked.pk, locked.office_id
    locked.delete()
    audit_record(
        action=AuditAction.ROUND_DELETED,
        actor=by,
        office_id=office_id,
        round_id=round_id,
    )
