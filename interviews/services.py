"""Writes for offices and hiring rounds. Views, tasks and commands all come through here."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .enums import ROUND_TRANSITIONS, InterviewStatus, RoundState
from .models import Candidate, HiringRound, Interview, Office, RoundTransition


@transaction.atomic
def round_create(
    *,
    office: Office,
    by: User | None,
    **fields: object,
) -> HiringRound:
    """Create a draft round and record its first state (its wanted backgrounds:
    ``panels.rounds.services.round_create``)."""
    hiring_round = HiringRound(office=office, created_by=by, **fields)
    hiring_round.full_clean()
    hiring_round.save()
    RoundTransition.objects.create(
        round=hiring_round, from_state=RoundState.DRAFT, to_state=RoundState.DRAFT, by=by
    )
    return hiring_round


@transaction.atomic
def round_update(
    *,
    hiring_round: HiringRound,
    **fields: object,
) -> HiringRound:
    """Change a round's details (with its wanted backgrounds: ``panels.rounds.services``). The
    office and the state are not fields here: a round never moves to another office, and its
    state changes only through ``round_transition``.
    """
    locked = HiringRound.objects.select_for_update().get(pk=hiring_round.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=list(fields))
    return locked


def _refuse_if_closed(hiring_round: HiringRound) -> None:
    if hiring_round.state == RoundState.CLOSED:
        raise ValidationError(_("The round is closed; it takes no more changes."))


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


def candidate_names_parse(text: str) -> list[tuple[int, str, str]]:
    """Pasted candidates, one a line: ``Name`` or ``Name; reference``, as (line number, name,
    reference). Blank lines are skipped.

    Raises ``ValidationError`` naming every bad line, so nothing is half-added.
    """
    parsed: list[tuple[int, str, str]] = []
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
            parsed.append((number, name, reference))
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("Paste at least one name."))
    return parsed


def _candidate_key(name: str, reference: str) -> tuple[str, str]:
    """What makes two candidates the same person in a round: the name and the reference,
    without regard to case or runs of spaces."""
    return " ".join(name.split()).casefold(), " ".join(reference.split()).casefold()


@transaction.atomic
def candidates_add(*, hiring_round: HiringRound, text: str) -> list[Candidate]:
    """Add the pasted candidates to a round, all or none. A closed round takes no more.

    A candidate already in the round (same name and reference), or pasted twice, is refused
    with a message naming the line, so that a paste sent twice (or the browser's back button)
    adds nobody the second time. The round is locked while it is checked, so two leaders
    pasting at once cannot both add the same person.
    """
    hiring_round = HiringRound.objects.select_for_update().get(pk=hiring_round.pk)
    _refuse_if_closed(hiring_round)
    parsed = candidate_names_parse(text)
    known = {
        _candidate_key(name, reference)
        for name, reference in hiring_round.candidates.values_list("name", "reference")
    }
    pasted: dict[tuple[str, str], int] = {}
    errors: list[str] = []
    for number, name, reference in parsed:
        key = _candidate_key(name, reference)
        who = f"{name}; {reference}" if reference else name
        if key in known:
            errors.append(
                _("Line %(line)s: %(name)s is already a candidate in this round.")
                % {"line": number, "name": who}
            )
        elif key in pasted:
            errors.append(
                _("Line %(line)s: %(name)s is also on line %(other)s.")
                % {"line": number, "name": who, "other": pasted[key]}
            )
        else:
            pasted[key] = number
    if errors:
        raise ValidationError(errors, code="duplicate")
    return Candidate.objects.bulk_create(
        Candidate(round=hiring_round, name=name, reference=reference)
        for _number, name, reference in parsed
    )


def _candidate_clash(
    *, candidate_id: int, starts_at: datetime, ends_at: datetime, exclude: int | None = None
) -> Interview | None:
    """The candidate's scheduled interview that overlaps ``starts_at``–``ends_at``, if any."""
    clash = Interview.objects.filter(
        candidate_id=candidate_id,
        status=InterviewStatus.SCHEDULED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude:
        clash = clash.exclude(pk=exclude)
    return clash.first()


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of ``day`` and of the next day, in local time (Europe/Oslo)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(day, time.min, tzinfo=zone),
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone),
    )


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
    day_ends: time | None = None,
) -> list[Interview]:
    """Plan ``count`` interviews on one day, back to back with a break between them.

    Times are local (Europe/Oslo). Every interview must end on the same day, and by
    ``day_ends`` when it is given; ``candidates[n]`` (or None) is the candidate of the n-th
    interview, must belong to the round, appear once, and have no other interview at an
    overlapping time. Nothing is planned unless everything is right.

    Errors are keyed by argument (``minutes``, ``count``, ``day_ends``…), and by
    ``candidate_<n>`` (1-based) for the candidate of interview n, so that a form whose fields
    have those names shows each message next to its field.
    """
    _refuse_if_closed(hiring_round)
    if minutes < 10 or minutes > 480:
        raise ValidationError({"minutes": _("An interview lasts between 10 and 480 minutes.")})
    if break_minutes < 0 or break_minutes > 240:
        raise ValidationError({"break_minutes": _("A break lasts between 0 and 240 minutes.")})
    if count < 1 or count > 20:
        raise ValidationError({"count": _("Plan between 1 and 20 interviews in a day.")})
    if day_ends is not None and day_ends <= first_start:
        raise ValidationError({"day_ends": _("The day must end after the first interview starts.")})
    errors: dict[str, str] = {}
    seen: dict[int, int] = {}
    for number, candidate in enumerate(candidates, start=1):
        if candidate is None:
            continue
        field = f"candidate_{number}"
        if candidate.round_id != hiring_round.pk:
            errors[field] = _("%(name)s is not a candidate in this round.") % {
                "name": candidate.name
            }
        elif number > count:
            errors[field] = _(
                "There is no interview %(number)s: plan more interviews or leave this empty."
            ) % {"number": number}
        elif candidate.pk in seen:
            errors[field] = _("%(name)s is already chosen for interview %(other)s.") % {
                "name": candidate.name,
                "other": seen[candidate.pk],
            }
        else:
            seen[candidate.pk] = number
    if errors:
        raise ValidationError(errors)

    zone = timezone.get_current_timezone()
    start = datetime.combine(day, first_start, tzinfo=zone)
    last_end = datetime.combine(day, day_ends, tzinfo=zone) if day_ends else day_bounds(day)[1]
    planned: list[Interview] = []
    for index in range(count):
        number = index + 1
        starts_at = start + index * timedelta(minutes=minutes + break_minutes)
        ends_at = starts_at + timedelta(minutes=minutes)
        if ends_at > last_end:
            raise ValidationError(
                {
                    "count": _(
                        "Interview %(number)s would end at %(time)s, outside the day. "
                        "Plan fewer or shorter interviews, or start earlier."
                    )
                    % {"number": number, "time": f"{_local(ends_at):%H:%M}"}
                }
            )
        candidate = candidates[index] if index < len(candidates) else None
        clash = candidate and _candidate_clash(
            candidate_id=candidate.pk, starts_at=starts_at, ends_at=ends_at
        )
        if candidate is not None and clash:
            errors[f"candidate_{number}"] = _(
                "%(name)s already has an interview at %(time)s on %(date)s, "
                "which overlaps interview %(number)s."
            ) % {
                "name": candidate.name,
                "time": f"{_local(clash.starts_at):%H:%M}",
                "date": formats.date_format(_local(clash.starts_at), "DATE_FORMAT"),
                "number": number,
            }
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
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Interview.objects.bulk_create(planned)
    except IntegrityError as error:
        # The exclusion constraint (migration 0002): another leader booked one of these
        # candidates at the same moment, after the check above.
        raise ValidationError(
            _("A candidate was given another interview at the same time just now. Try again.")
        ) from error


def _candidate_name(interview: Interview) -> str:
    return interview.candidate.name if interview.candidate else ""


def interview_reschedule(
    *, interview: Interview, starts_at: datetime, ends_at: datetime
) -> Interview:
    """Give a scheduled interview a new time; the caller (panels) keeps its panels in step."""
    _refuse_if_closed(interview.round)
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(_("A cancelled interview cannot be moved."))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The interview must end after it starts.")})
    if interview.candidate_id and _candidate_clash(
        candidate_id=interview.candidate_id,
        starts_at=starts_at,
        ends_at=ends_at,
        exclude=interview.pk,
    ):
        raise ValidationError(
            _("%(name)s already has an interview at that time.")
            % {"name": _candidate_name(interview)}
        )
    interview.starts_at, interview.ends_at = starts_at, ends_at
    try:
        with transaction.atomic():
            interview.save(update_fields=["starts_at", "ends_at"])
    except IntegrityError as error:
        raise ValidationError(
            _("%(name)s already has an interview at that time.")
            % {"name": _candidate_name(interview)}
        ) from error
    return interview


def interview_cancel(*, interview: Interview) -> Interview:
    interview.status = InterviewStatus.CANCELLED
    interview.save(update_fields=["status"])
    return interview
