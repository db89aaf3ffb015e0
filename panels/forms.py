from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from interviews.enums import InterviewStatus
from interviews.models import Interview

from .day.plan import WorkingDayWarning
from .enums import MAX_STAFF_INTERVIEWERS
from .models import Panel


# Generic only in the stubs (subscripting it needs django-stubs-ext's monkeypatch).
class InterviewChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Interview) -> str:
        starts = timezone.localtime(obj.starts_at)
        ends = timezone.localtime(obj.ends_at)
        when = f"{formats.date_format(starts, 'DATE_FORMAT')}, {starts:%H:%M}–{ends:%H:%M}"
        candidate = obj.candidate.name if obj.candidate else gettext("no candidate yet")
        return f"{when}: {candidate}"


def _staff_label(person: dict[str, str]) -> str:
    role = f" ({person['role']})" if person["role"] else ""
    return f"{person['name']}{role}, {person['email']}"


class PanelForm(forms.Form):
    interviews = InterviewChoiceField(
        label=_("Interviews"),
        queryset=Interview.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The panel sits on every interview you choose, usually one day's."),
        error_messages={"required": _("Choose at least one interview.")},
    )
    seats_wanted = forms.IntegerField(
        label=_("Representative seats"), min_value=1, max_value=5, help_text=_("Between 1 and 5.")
    )
    location = forms.CharField(
        label=_("Room or address"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the room of the first interview."),
    )

    known_staff = forms.MultipleChoiceField(
        label=_("Staff interviewers the office has had before"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick to add them; anyone new goes in the rows below. At most four in all, ticked "
            "and typed together."
        ),
    )

    def __init__(
        self,
        *args: Any,
        interviews: QuerySet[Interview],
        seats_per_panel: int,
        day: date | None = None,
        known_staff: list[dict[str, str]] | None = None,
        copy_from: Panel | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The stubs type every form field as Field; this one is declared above.
        cast(InterviewChoiceField, self.fields["interviews"]).queryset = interviews
        self.fields["seats_wanted"].initial = seats_per_panel
        self.known = {person["email"].casefold(): person for person in known_staff or []}
        cast(forms.MultipleChoiceField, self.fields["known_staff"]).choices = [
            (key, _staff_label(person)) for key, person in self.known.items()
        ]
        if copy_from is not None:
            # A new panel that starts as a copy of an earlier one: seats, room and staff.
            self.fields["seats_wanted"].initial = copy_from.seats_wanted
            self.fields["location"].initial = copy_from.location
            self.fields["known_staff"].initial = [
                email.casefold()
                for email in copy_from.staff.values_list("email", flat=True)
                if email.casefold() in self.known
            ]
        if day is not None:
            self.fields["interviews"].initial = [
                i.pk for i in interviews if timezone.localdate(i.starts_at) == day
            ]

    def staff_chosen(self) -> list[dict[str, str]]:
        """The ticked staff interviewers the office has had before, as the service takes them."""
        return [
            {key: self.known[chosen][key] for key in ("name", "role", "email")}
            for chosen in self.cleaned_data["known_staff"]
        ]


class StaffInterviewerForm(forms.Form):
    """One staff interviewer; a row left empty is skipped."""

    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(
        label=_("Role"), max_length=200, required=False, help_text=_("E.g. union representative.")
    )
    email = forms.EmailField(label=_("Email"))


StaffFormSet = forms.formset_factory(
    StaffInterviewerForm,
    extra=MAX_STAFF_INTERVIEWERS,
    max_num=MAX_STAFF_INTERVIEWERS,
    absolute_max=MAX_STAFF_INTERVIEWERS,
)


def day_from_query(value: str) -> date | None:
    """The ``?day=YYYY-MM-DD`` of a link from the round page; anything else is ignored."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class PhoneAnswerForm(forms.Form):
    """The answer a representative gave by phone, recorded by a leader on their behalf."""

    answer = forms.ChoiceField(
        label=_("Their answer"),
        choices=[("accepted", _("Yes, they will come")), ("declined", _("No, they cannot"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason they gave (optional)"), required=False, max_length=300)


class PanelMoveForm(WorkingDayWarning):
    """A new local day and start for the whole panel: its interviews keep their order and
    the time between them."""

    day = forms.DateField(
        label=_("New date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    starts_at = forms.TimeField(
        label=_("First interview starts"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        starts = timezone.localtime(panel.starts_at)
        kwargs.setdefault("initial", {"day": starts.date(), "starts_at": starts.time()})
        kwargs["prefix"] = "move"
        super().__init__(*args, **kwargs)
        self.panel = panel

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The date has passed. Choose today or a later day."))
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        day = cleaned.get("day")
        if isinstance(day, date):
            # Every day an interview lands on: the interviews keep their places, so a panel
            # over two days moved to a Friday also sits on the Saturday.
            first = timezone.localdate(self.panel.starts_at)
            shift = timedelta(days=(day - first).days)
            current = {
                timezone.localdate(starts)
                for starts in self.panel.interviews.filter(
                    status=InterviewStatus.SCHEDULED
                ).values_list("starts_at", flat=True)
            }
            self.warn_unless_working_days({d + shift for d in current} - current)
        return cleaned
