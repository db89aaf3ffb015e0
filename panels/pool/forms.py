from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.models import Office

from ..enums import Contact, RepresentativeStatus
from ..models import Background, Representative
from ..phones import phone_normalise
from .csv_import import (
    MAX_FILE_BYTES,
    OLDEST_BIRTH_YEAR,
    YOUNGEST_AGE,
    csv_text_decode,
)
from .services import ADDRESS_NOT_USABLE, NUMBER_NOT_USABLE


class AkselCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in NAV's design-system markup, each with its own label."""

    option_template_name = "panels/pool/_checkbox_option.html"


# ModelForm is generic only in the stubs (subscripting it needs django-stubs-ext's monkeypatch).
class RepresentativeForm(forms.ModelForm):  # type: ignore[type-arg]
    """A representative's facts; the offices offered are those the leader leads."""

    offices = forms.ModelMultipleChoiceField(
        label=_("In the pool of"),
        queryset=Office.objects.none(),
        widget=AkselCheckboxes,
        error_messages={"required": _("Choose at least one office.")},
    )
    backgrounds = forms.ModelMultipleChoiceField(
        label=_("Backgrounds"),
        queryset=Background.objects.all(),
        widget=AkselCheckboxes,
        required=False,
        help_text=_(
            "Sensitive personal data. Only what the person has told you they want to share; "
            "they review it themselves when they give consent."
        ),
    )

    class Meta:
        model = Representative
        fields = [
            "name",
            "email",
            "phone",
            "contact",
            "birth_year",
            "organisation",
            "suggested_by",
            "language",
            "offices",
            "backgrounds",
            "support_needs",
            "note",
        ]
        widgets = {
            "support_needs": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "contact": forms.RadioSelect,
        }
        labels = {"language": _("Language"), "contact": _("Contact by")}
        help_texts = {
            "email": _("Needed when the person is contacted by email."),
            "phone": _("A Norwegian mobile number is needed for SMS, for example 912 34 567."),
            "language": _(
                "Their pages and every message to them are in this language. They can change "
                "it themselves on their consent page and on my page."
            ),
            "contact": _(
                "The consent request, invitations and reminders go this way. "
                "The person can change it on their page."
            ),
            "note": _("Seen by the office's leaders only; never exported."),
        }

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The stubs type every form field as Field; this is the model's many-to-many field.
        cast("forms.ModelMultipleChoiceField[Office]", self.fields["offices"]).queryset = offices
        latest = timezone.localdate().year - YOUNGEST_AGE
        self.fields["birth_year"] = forms.IntegerField(
            label=_("Birth year"),
            required=False,
            min_value=OLDEST_BIRTH_YEAR,
            max_value=latest,
            help_text=_("Between %(first)s and %(last)s; leave empty if unknown.")
            % {"first": OLDEST_BIRTH_YEAR, "last": latest},
        )
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        # Email unless chosen otherwise, as before SMS existed (a form without the radio
        # buttons, or a client that sends none, keeps what was there).
        self.fields["contact"].required = False
        if not self.instance.pk:
            self.initial.setdefault("contact", Contact.EMAIL)
        if self.instance.pk:
            # Only the user's own offices are offered; memberships elsewhere are kept as they are.
            self.initial["offices"] = [o.pk for o in self.instance.offices.all() if o in offices]

    def clean_contact(self) -> str:
        contact: str = self.cleaned_data.get("contact") or ""
        return contact or self.instance.contact or Contact.EMAIL

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if not email:
            return email
        taken = Representative.objects.annotate(email_lower=Lower("email")).filter(
            email_lower=email
        )
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(ADDRESS_NOT_USABLE, code="unique")
        return email

    def clean_phone(self) -> str:
        """The number in E.164; one already anyone's is refused as an address is."""
        phone = phone_normalise(self.cleaned_data["phone"])
        if not phone:
            return phone
        taken = Representative.objects.filter(phone=phone)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            # The model's own check then sees the number typed, and does not also say that a
            # number is missing (nothing is saved: the form is refused).
            self.instance.phone = phone
            raise ValidationError(NUMBER_NOT_USABLE, code="unique")
        return phone


class PoolFilterForm(forms.Form):
    background = forms.ModelChoiceField(
        label=_("Background"),
        queryset=Background.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All backgrounds"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *RepresentativeStatus.choices],
        required=False,
    )


class PoolImportForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Into the pool of"), queryset=Office.objects.none())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, separated by commas or semicolons, at most 1 MB."),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Office]", self.fields["office"]).queryset = offices

    def clean_file(self) -> str:
        """The file's decoded text, or a clear message for a big, non-UTF-8 or empty file."""
        # One byte more than allowed is enough to know a file is too big.
        return csv_text_decode(self.cleaned_data["file"].read(MAX_FILE_BYTES + 1))
