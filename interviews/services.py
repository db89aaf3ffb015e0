"""Writes for offices and hiring rounds. Views, tasks and commands all come through here."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .enums import ROUND_TRANSITIONS, InterviewStatus, RoundState
from .models import Candidate, HiringRound, Interview, Office, RoundTransition


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


def candidate_names_parse(text: str) -> list[tuple[str, str]]:
    """Pasted candidates, one a line: ``Name`` or ``Name; reference``. Blank lines are skipped.

    Raises ``ValidationError`` naming every bad line, so nothing is half-added.
    """
    parsed: list[tuple[str, str]] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _sep, reference = (part.strip() for part in line.partition(";"))
        if not name:
            errors.append(_("Line %(line)s: the name is missing.") % {"line": number})
        elif len(name) > 200 or len(reference) > 100:
            errors.append(_("Line %(line)s: the line is too long.") % {"line": number})
        else:
            parsed.append((name, reference))
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("Paste at least one name."))
    return parsed


@transaction.atomic
def candidates_add(*, hiring_round: HiringRound, text: str) -> list[Candidate]:
    """Add the pasted candidates to a round, all or none."""
    return Candidate.objects.bulk_create(
        Candidate(round=hiring_round, name=name, reference=reference)
        for name, reference in candidate_names_parse(text)
    )


def _candidate_overlaps(
    *, candidate_id: int, starts_at: datetime, ends_at: datetime, exclude: int | None = None
) -> bool:
    clash = Interview.objects.filter(
        candidate_id=candidate_id,
        status=InterviewStatus.SCHEDULED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude:
        clash = clash.exclude(pk=exclude)
    return clash.exists()


@transaction.atomic
def interview_day_plan(
    *,
    hiring_round: HiringRound,
    day: date,
    first_start: time,
    minutes: int,
    break_minutes: int,
    count: int,
    location: str = "",
    video_url: str = "",
    candidates: Sequence[Candidate | None] = (),
) -> list[Interview]:
    """Plan ``count`` interviews on one day, back to back with a break between them.

    Times are local (Europe/Oslo). Every interview must end on the same day; a candidate
    given for a slot must not have another interview at an overlapping time.
    """
    if minutes < 10 or minutes > 480:
        raise ValidationError({"minutes": _("An interview lasts between 10 and 480 minutes.")})
    if break_minutes < 0 or break_minutes > 240:
        raise ValidationError({"break_minutes": _("A break lasts between 0 and 240 minutes.")})
    if count < 1 or count > 20:
        raise ValidationError({"count": _("Plan between 1 and 20 interviews in a day.")})
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, first_start, tzinfo=zone)
    planned: list[Interview] = []
    for index in range(count):
        starts_at = start + index * timedelta(minutes=minutes + break_minutes)
        ends_at = starts_at + timedelta(minutes=minutes)
        if ends_at.astimezone(zone).date() != day:
            raise ValidationError(
                {"count": _("The interviews do not fit in the day; plan fewer or start earlier.")}
            )
        candidate = candidates[index] if index < len(candidates) else None
        if candidate is not None and _candidate_overlaps(
            candidate_id=candidate.pk, starts_at=starts_at, ends_at=ends_at
        ):
            raise ValidationError(
                _("%(name)s already has an interview at %(time)s.")
                % {"name": candidate.name, "time": f"{starts_at.astimezone(zone):%H:%M}"}
            )
        planned.append(
            Interview(
                round=hiring_round,
                candidate=candidate,
                starts_at=starts_at,
                ends_at=ends_at,
                location=location,
                video_url=video_url,
            )
        )
    return Interview.objects.bulk_create(planned)


def interview_reschedule(
    *, interview: Interview, starts_at: datetime, ends_at: datetime
) -> Interview:
    """Give an interview a new time; the caller (panels) keeps its panels in step."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The interview must end after it starts.")})
    if interview.candidate_id and _candidate_overlaps(
        candidate_id=interview.candidate_id,
        starts_at=starts_at,
        ends_at=ends_at,
        exclude=interview.pk,
    ):
        raise ValidationError(
            _("%(name)s already has an interview at that time.")
            % {"name": interview.candidate.name}
        )
    interview.starts_at, interview.ends_at = starts_at, ends_at
    interview.save(update_fields=["starts_at", "ends_at"])
    return interview


def interview_cancel(*, interview: Interview) -> Interview:
    interview.status = InterviewStatus.CANCELLED
    interview.save(update_fields=["status"])
    return interview
