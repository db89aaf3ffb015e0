from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.enums import County
from interviews.models import Office
from navpanel.widgets import LongSelect
from panels.pool.forms import AkselCheckboxes

from .periods import parse_quarter_key, quarter_bounds, quarter_key, recent_quarters

# A period longer than this is refused: honoraria are reported per quarter or per year.
MAX_PERIOD_DAYS = 366


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _quarter_label(year: int, quarter: int) -> str:
    return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}


class HonorariaForm(forms.Form):
    """A period (a quarter, or from–to) and the offices, within the user's scope."""

    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=_date_input())
    offices = forms.ModelMultipleChoiceField(
        label=_("Offices"),
        queryset=Office.objects.none(),
        required=False,
        widget=AkselCheckboxes,
        help_text=_("None ticked: every office you may see."),
    )
    separator = forms.ChoiceField(
        label=_("Separator in the CSV file"),
        choices=[(";", _("Semicolon (Norwegian Excel)")), (",", _("Comma"))],
        initial=";",
        required=False,
    )

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The stubs type every form field as Field; these are the ones declared above.
        cast("forms.ModelMultipleChoiceField[Office]", self.fields["offices"]).queryset = offices
        today = timezone.localdate()
        cast(forms.ChoiceField, self.fields["quarter"]).choices = [
            ("", _("Choose dates below"))
        ] + [
            (quarter_key(year, quarter), _quarter_label(year, quarter))
            for year, quarter in recent_quarters(today=today)
        ]
        if offices.count() <= 1:
            # One office needs no choice; the field stays for a URL that names it.
            self.fields["offices"].widget = forms.MultipleHiddenInput()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("quarter"):
            data["date_from"], data["date_to"] = quarter_bounds(*parse_quarter_key(data["quarter"]))
            return data
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if not date_from or not date_to:
            if not self.has_error("date_from") and not self.has_error("date_to"):
                raise ValidationError(_("Choose a quarter, or both a from and a to date."))
            return data
        if date_from > date_to:
            self.add_error("date_to", _("The to date must be on or after the from date."))
        elif (date_to - date_from).days >= MAX_PERIOD_DAYS:
            self.add_error("date_to", _("Choose a period of at most a year."))
        return data

    @property
    def period(self) -> tuple[date, date]:
        return self.cleaned_data["date_from"], self.cleaned_data["date_to"]


class TravelClaimForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (NOK)"), min_value=0, max_digits=9, decimal_places=2
    )
    description = forms.CharField(
        label=_("What the travel was"),
        max_length=200,
        help_text=_("For example “Bus Mo i Rana–Korgen, return”."),
    )


class StatisticsForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, widget=LongSelect)
    county = forms.ChoiceField(label=_("County"), required=False, widget=LongSelect)
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("All offices"),
        widget=LongSelect,
    )

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        # The stubs type every form field as Field; these are the ones declared above.
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            (y, str(y)) for y in range(this_year, this_year - 6, -1)
        ]
        cast("forms.ModelChoiceField[Office]", self.fields["office"]).queryset = offices
        counties = sorted(set(offices.values_list("county", flat=True)))
        self.county_choices = [("", _("All counties"))] + [
            (county, County(county).label) for county in counties
        ]
        cast(forms.ChoiceField, self.fields["county"]).choices = self.county_choices
        # Every office has a county: no county, no office (and no query more to ask).
        self.has_offices = bool(counties)
