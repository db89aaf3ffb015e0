"""The roster's filter form: every choice offered comes from the user's scope.

An office, county or round outside the scope is not among the choices, so it is refused with a
form error and the roster shows nothing; it never falls back to showing other offices' seats.
Choices are compared as strings, never looked up in the database, so any input is safe.
"""

from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews.enums import County
from interviews.models import HiringRound
from interviews.selectors import offices_for_user, rounds_for_user
from navpanel.widgets import LongSelect
from panels.enums import SeatStatus
from panels.models import Background

from .selectors import DEFAULT_SORT, SORTS, RosterFilters, user_may_see_backgrounds

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
FILTER_FIELDS = ("office", "county", "round", "date_from", "date_to", "status", "background")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class RosterFilterForm(forms.Form):
    office = forms.TypedChoiceField(
        label=_("Office"),
        widget=LongSelect,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the offices you have access to.")},
    )
    county = forms.ChoiceField(
        label=_("County"),
        widget=LongSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the counties you have access to.")},
    )
    round = forms.TypedChoiceField(
        label=_("Hiring round"),
        help_text=_("Choose an office and filter to see its rounds."),
        widget=LongSelect,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the rounds you have access to.")},
    )
    date_from = forms.DateField(
        label=_("From date"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date as dd.mm.yyyy.")},
    )
    date_to = forms.DateField(
        label=_("To date"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date as dd.mm.yyyy.")},
    )
    status = forms.ChoiceField(
        label=_("Seat status"),
        widget=LongSelect,
        required=False,
        choices=[("", _("All statuses")), *SeatStatus.choices],
        error_messages={"invalid_choice": _("Choose one of the statuses in the list.")},
    )
    background = forms.ChoiceField(
        label=_("Background"),
        widget=LongSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the backgrounds in the list.")},
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )
    backgrounds = forms.BooleanField(label=_("Show backgrounds"), required=False)

    def __init__(self, data: Any, *, user: User) -> None:
        data = data.copy() if data is not None else {}
        if data.get("sort") not in SORTS:
            # An unknown sort key is not the user's mistake to fix: use the default order.
            data["sort"] = DEFAULT_SORT
        super().__init__(data)
        self.user = user
        offices = list(offices_for_user(user).order_by("name").values_list("pk", "name", "county"))
        # The user's scope, for the roster's cache key (rosters.selectors.roster_page).
        self.office_ids = sorted(pk for pk, _name, _county in offices)
        self._counties = {pk: county for pk, _name, county in offices}
        cast(forms.ChoiceField, self.fields["office"]).choices = [("", _("All offices"))] + [
            (pk, name) for pk, name, _county in offices
        ]
        counties = {county for _pk, _name, county in offices}
        cast(forms.ChoiceField, self.fields["county"]).choices = [("", _("All counties"))] + [
            (value, label) for value, label in County.choices if value in counties
        ]
        cast(forms.ChoiceField, self.fields["round"]).choices = [("", _("All rounds"))] + [
            (hiring_round.pk, f"{hiring_round.office.name} – {hiring_round.position_title}")
            for hiring_round in self._offered_rounds(user, data, offices)
        ]
        self.may_see_backgrounds = user_may_see_backgrounds(user)
        if self.may_see_backgrounds:
            cast(forms.ChoiceField, self.fields["background"]).choices = [
                ("", _("All backgrounds"))
            ] + [(background.slug, background.label) for background in Background.objects.all()]
        else:
            del self.fields["background"]
            del self.fields["backgrounds"]

    @staticmethod
    def _offered_rounds(
        user: User, data: Any, offices: list[tuple[int, str, str]]
    ) -> QuerySet[HiringRound]:
        """The rounds of the chosen office only: national HR has some 15,000 rounds in scope,
        too many to render as options on every view of the roster. Without an office, a round
        already asked for (a link with ``?round=``) is offered alone so it still validates;
        otherwise there is no round to choose until an office is chosen."""
        rounds = (
            rounds_for_user(user)
            .only("pk", "position_title", "office__name")
            .order_by("office__name", "-created_at", "-pk")
        )
        office = str(data.get("office") or "")
        asked = str(data.get("round") or "")
        if office and office in {str(pk) for pk, _name, _county in offices}:
            return rounds.filter(office_id=int(office))
        if asked.isdigit() and len(asked) < 12:
            return rounds.filter(pk=int(asked))
        return rounds.none()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for name in ("date_from", "date_to"):
            day = cleaned.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Choose a date between the years 2000 and 2100."))
                cleaned[name] = None
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The to date must be on or after the from date."))
        return cleaned

    def filters(self) -> RosterFilters:
        """The validated filters; call only when the form is valid."""
        data = self.cleaned_data
        return RosterFilters(
            office_id=data.get("office"),
            county=data.get("county") or "",
            round_id=data.get("round"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            status=data.get("status") or "",
            background=data.get("background") or "",
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def offices_concerned(self) -> list[int]:
        """The offices whose seats the filters can reach, for the audit log (issue 18, point 6):
        the chosen office, the round's office, the county's offices in scope, or the scope."""
        data = self.cleaned_data
        if data.get("office"):
            return [int(data["office"])]
        if data.get("round"):
            rounds = rounds_for_user(self.user).filter(pk=data["round"])
            return list(rounds.values_list("office_id", flat=True))
        if data.get("county"):
            return [pk for pk, county in self._counties.items() if county == data["county"]]
        return list(self.office_ids)

    @property
    def show_backgrounds(self) -> bool:
        return bool(self.may_see_backgrounds and self.cleaned_data.get("backgrounds"))

    @property
    def filtered(self) -> bool:
        return any(self.data.get(name) for name in FILTER_FIELDS)
