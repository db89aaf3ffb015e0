from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import AuditAction


class AuditFilterForm(forms.Form):
    """Narrow the audit log by what was done and between which dates (both days included)."""

    action = forms.ChoiceField(
        label=_("What"), choices=[("", _("Everything")), *AuditAction.choices], required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first date must not be after the last."))
        return data
