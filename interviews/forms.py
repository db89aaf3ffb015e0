from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import HiringRound, Office


class RoundForm(forms.ModelForm):
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
        self, *args: object, offices: QuerySet[Office] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        if offices is None:
            # A round never moves to another office.
            del self.fields["office"]
        else:
            self.fields["office"].queryset = offices
