from datetime import date, datetime, time
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.enums import InterviewStatus, RoundState
from interviews.models import HiringRound, Interview, Office

from ..day.plan import WorkingDayWarning
from ..models import Background

# Slots offered on the interview day form: as many as the round has candidates, at least a
# usual day's worth, and never more than the service plans in a day.
MIN_CANDIDATE_SLOTS = 4
MAX_CANDIDATE_SLOTS = 20


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form if none does."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _refuse_past_day(day: date | None) -> None:
    # A form rule rather than a service rule: tests and the demo plan days that have passed
    # (to mark attendance), but a leader never means to.
    if day is not None and day < timezone.localdate():
        raise ValidationError(_("The date has passed. Choose today or a later day."))


def _now_time() -> time:
    return timezone.localtime().time().replace(second=0, microsecond=0)


# ModelForm is generic only in the stubs (subscripting it needs django-stubs-ext's monkeypatch).
class RoundForm(forms.ModelForm):  # type: ignore[type-arg]
    """A round's details and, one number each, how many of a panel should have a background."""

    class Meta:
        model = HiringRound
        fields = [
            "office",
            "position_title",
            "team",
            "description",
            "info_for_representatives",
            "seats_per_panel",
            "answer_deadline_days",
            "invite_next_automatically",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "info_for_representatives": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "seats_per_panel": _("Between 1 and 5."),
            "answer_deadline_days": _("How many days a representative has to answer."),
        }

    def __init__(
        self,
        *args: Any,
        offices: QuerySet[Office] | None = None,
        copy_from: HiringRound | None = None,
        **kwargs: Any,
    ) -> None:
        if copy_from is not None:
            # A new round that starts as a copy of an earlier one: its text, seats, answer
            # time and wanted backgrounds; the position's title is marked as a copy.
            kwargs["initial"] = {
                "office": copy_from.office_id,
                "position_title": copy_from.position_title,
                "team": copy_from.team,
                "description": copy_from.description,
                "info_for_representatives": copy_from.info_for_representatives,
                "seats_per_panel": copy_from.seats_per_panel,
                "answer_deadline_days": copy_from.answer_deadline_days,
                "invite_next_automatically": copy_from.invite_next_automatically,
            }
        super().__init__(*args, **kwargs)
        if offices is None:
            # A round never moves to another office.
            del self.fields["office"]
        else:
            # The stubs type every form field as Field; this is the model's foreign key.
            cast("forms.ModelChoiceField[Office]", self.fields["office"]).queryset = offices
            only = list(offices[:2])
            if len(only) == 1:
                # A leader of one office never picks it (issue 18, point 3).
                self.fields["office"].initial = only[0].pk
                self.fields["office"].widget = forms.HiddenInput()
        current: dict[int, int] = {}
        wanted_by = self.instance if self.instance.pk else copy_from
        if wanted_by is not None and wanted_by.pk:
            current = dict(wanted_by.wants.values_list("background_id", "at_least"))
        self.backgrounds = list(Background.objects.all())
        for background in self.backgrounds:
            self.fields[self.want_field_name(background)] = forms.IntegerField(
                label=background.label,
                required=False,
                min_value=0,
                max_value=5,
                initial=current.get(background.pk, 0),
            )

    @staticmethod
    def want_field_name(background: Background) -> str:
        return f"want_{background.pk}"

    def model_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self._meta.fields or () if name in self.fields]

    def want_fields(self) -> list[forms.BoundField]:
        return [self[self.want_field_name(b)] for b in self.backgrounds]

    def model_data(self) -> dict[str, Any]:
        """The round's own fields (and the office, on creation), for the services."""
        return {field.name: self.cleaned_data[field.name] for field in self.model_fields()}

    def wants(self) -> dict[Background, int]:
        return {b: self.cleaned_data.get(self.want_field_name(b)) or 0 for b in self.backgrounds}


class CandidatesForm(forms.Form):
    names = forms.CharField(
        label=_("Add candidates"),
        help_text=_(
            "One name a line. To keep a reference from the recruitment system, add it after a "
            "semicolon: Kari Nordmann; 2024-117"
        ),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class InterviewDayForm(WorkingDayWarning):
    """One interview day: the shape of the day, and optionally a candidate for each slot.

    Field names are the arguments of ``services.interview_day_plan``, so its refusals land
    next to the right field.
    """

    day = forms.DateField(label=_("Date"), widget=_date_input())
    first_start = forms.TimeField(label=_("The first interview starts"), widget=_time_input())
    minutes = forms.IntegerField(
        label=_("Length of each interview, in minutes"),
        initial=45,
        widget=forms.NumberInput(attrs={"min": 10, "max": 480, "step": 5}),
    )
    break_minutes = forms.IntegerField(
        label=_("Break between interviews, in minutes"),
        initial=15,
        widget=forms.NumberInput(attrs={"min": 0, "max": 240, "step": 5}),
    )
    count = forms.IntegerField(
        label=_("Number of interviews"),
        initial=4,
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_CANDIDATE_SLOTS}),
    )
    day_ends = forms.TimeField(
        label=_("The day ends at"),
        help_text=_("Optional. No interview may end later than this."),
        required=False,
        widget=_time_input(),
    )
    location = forms.CharField(label=_("Room or address"), max_length=300, required=False)
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("Optional, for interviews held on video."),
    )

    def __init__(self, *args: Any, hiring_round: HiringRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = list(hiring_round.candidates.order_by("id"))
        scheduled = set(
            Interview.objects.filter(
                round=hiring_round, status=InterviewStatus.SCHEDULED, candidate__isnull=False
            ).values_list("candidate_id", flat=True)
        )
        waiting = [c for c in candidates if c.pk not in scheduled]
        slots = 0
        if candidates:
            slots = min(MAX_CANDIDATE_SLOTS, max(MIN_CANDIDATE_SLOTS, len(candidates)))
        self.slot_count = slots
        # The defaults agree with each other: as many interviews as candidates pre-filled
        # (issue 18, point 2), so the form as it comes is one the service accepts.
        if waiting:
            self.fields["count"].initial = min(len(waiting), MAX_CANDIDATE_SLOTS)
        by_name = hiring_round.candidates.order_by("name", "id")
        options = [
            ("", _("No candidate")),
            *((c.pk, str(c)) for c in sorted(candidates, key=lambda c: (c.name, c.pk))),
        ]
        for number in range(1, slots + 1):
            # Pre-filled in the order they were added, with those who have no interview yet.
            field = forms.ModelChoiceField(
                label=_("Interview %(number)s") % {"number": number},
                queryset=by_name,
                required=False,
                empty_label=_("No candidate"),
                initial=waiting[number - 1].pk if number <= len(waiting) else None,
            )
            # The options from the list loaded above: one query for every slot, not one each.
            field.choices = options
            self.fields[f"candidate_{number}"] = field

    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith("candidate_")
            and (name != "plan_anyway" or self.shows_plan_anyway())
        ]

    def candidate_fields(self) -> list[forms.BoundField]:
        return [self[f"candidate_{n}"] for n in range(1, self.slot_count + 1)]

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        _refuse_past_day(day)
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        day, first_start = cleaned.get("day"), cleaned.get("first_start")
        if day == timezone.localdate() and first_start and first_start < _now_time():
            self.add_error("first_start", _("That time has passed today."))
        if isinstance(day, date):
            self.warn_unless_working_days([day])
        return cleaned

    def plan_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``services.interview_day_plan``."""
        data = self.cleaned_data
        return {
            "day": data["day"],
            "first_start": data["first_start"],
            "minutes": data["minutes"],
            "break_minutes": data["break_minutes"],
            "count": data["count"],
            "day_ends": data["day_ends"],
            "location": data["location"],
            "video_url": data["video_url"],
            "candidates": [data.get(f"candidate_{n}") for n in range(1, self.slot_count + 1)],
        }


class InterviewMoveForm(WorkingDayWarning):
    """A new local date and time for one interview; prefixed by the interview's id so that
    every interview on the round page has a form with its own ids."""

    day = forms.DateField(label=_("New date"), widget=_date_input())
    starts_at = forms.TimeField(label=_("Starts"), widget=_time_input())
    ends_at = forms.TimeField(label=_("Ends"), widget=_time_input())

    def __init__(self, *args: Any, interview: Interview, **kwargs: Any) -> None:
        starts, ends = (
            timezone.localtime(interview.starts_at),
            timezone.localtime(interview.ends_at),
        )
        kwargs.setdefault(
            "initial", {"day": starts.date(), "starts_at": starts.time(), "ends_at": ends.time()}
        )
        kwargs["prefix"] = f"move-{interview.pk}"
        super().__init__(*args, **kwargs)
        self.interview = interview

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        _refuse_past_day(day)
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The interview must end after it starts."))
        day = cleaned.get("day")
        if isinstance(day, date) and day != timezone.localdate(self.interview.starts_at):
            # Only a new day: one already on a weekend was confirmed when it was planned.
            self.warn_unless_working_days([day])
        return cleaned

    def moments(self) -> tuple[datetime, datetime]:
        """The new start and end as aware datetimes in local time (Europe/Oslo)."""
        zone = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return (
            datetime.combine(day, self.cleaned_data["starts_at"], tzinfo=zone),
            datetime.combine(day, self.cleaned_data["ends_at"], tzinfo=zone),
        )


class RoundFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *RoundState.choices],
    )
