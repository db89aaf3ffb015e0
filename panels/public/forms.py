"""Forms on the pages representatives reach by signed links."""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import Contact, Language
from ..models import Background, CandidateAnswer

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SUPPORT_NEEDS_HELP = _(
    "For example step-free access, an interpreter, breaks or a quiet room. "
    "Only the office's leaders see this."
)


class SeatAcceptForm(forms.Form):
    """Yes, I'll come; with the declaration's checkbox when the current version is unsigned.

    ``declaration`` carries the version the person was shown, so a text published between
    showing and answering is never signed unread.
    """

    declaration = forms.IntegerField(widget=forms.HiddenInput, required=False)
    consent_text = forms.IntegerField(widget=forms.HiddenInput, required=False)
    agree_consent = forms.BooleanField(
        label=_("I have read the new text about consent and agree"),
        error_messages={"required": _("Tick the box to accept the new text about consent.")},
    )
    sign_declaration = forms.BooleanField(
        label=_("I have read the confidentiality declaration and will keep it"),
        error_messages={
            "required": _("Tick the box to sign the confidentiality declaration."),
        },
    )
    support_needs = forms.CharField(
        label=_("Do you need anything to take part? (optional)"),
        help_text=SUPPORT_NEEDS_HELP,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, needs_signature: bool, needs_consent: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not needs_signature:
            del self.fields["sign_declaration"]
        if not needs_consent:
            # The standing consent is to the current text (or there is none to renew).
            del self.fields["agree_consent"]


class SeatDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not? (optional)"),
        help_text=_("The office reads this. You do not have to give a reason."),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SupportNeedsForm(forms.Form):
    support_needs = forms.CharField(
        label=_("Do you need anything to take part?"),
        help_text=SUPPORT_NEEDS_HELP,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclarationSignForm(forms.Form):
    """Sign a new version of the declaration on a seat already accepted."""

    declaration = forms.IntegerField(widget=forms.HiddenInput)
    sign_declaration = SeatAcceptForm.base_fields["sign_declaration"]


class ConflictForm(forms.Form):
    candidate = forms.IntegerField(widget=forms.HiddenInput)


class ConsentForm(forms.Form):
    """Consent to the current text, with the backgrounds the person confirms themself."""

    consent_text = forms.IntegerField(widget=forms.HiddenInput)
    backgrounds = forms.ModelMultipleChoiceField(
        label=_("My backgrounds and experience"),
        help_text=_(
            "Tick what fits you, and untick what does not. You decide what we store. "
            "You can leave all of them empty."
        ),
        queryset=Background.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(
        label=_("I have read the text about consent and agree"),
        error_messages={"required": _("Tick the box to give your consent.")},
    )

    def __init__(self, *args: Any, needs_agreement: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_agreement:
            # Consent to this version is already given; the form now only corrects backgrounds.
            del self.fields["agree"]


class LanguageForm(forms.Form):
    """The representative's own language (the page renders the choices in their own words)."""

    language = forms.ChoiceField(choices=Language.choices)


class MyPageActionForm(forms.Form):
    """Which button on "my page" was pressed."""

    action = forms.ChoiceField(
        choices=[
            ("withdraw", "withdraw"),
            ("download", "download"),
            ("delete", "delete"),
            ("contact", "contact"),
        ]
    )


class ContactForm(forms.Form):
    """How the person wants to hear from us (issue 19)."""

    contact = forms.ChoiceField(
        label=_("How do you want to hear from us?"),
        choices=Contact.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose email, SMS or both.")},
    )


RATING_CHOICES = [
    (1, _("1 – disagree")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – agree")),
]


def _rating(label: "StrOrPromise") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 1 to 5.")},
    )


class FeedbackForm(forms.Form):
    """A few ratings from 1 (disagree) to 5 (agree), and anything else in the person's words."""

    well_prepared = _rating(_("I was well prepared"))
    full_member = _rating(_("I was treated as a full member of the panel"))
    practical = _rating(_("The practical arrangements worked"))
    again = _rating(_("I would take part again"))
    comment = forms.CharField(
        label=_("Anything else you want to tell us? (optional)"),
        help_text=_(
            "The office's leaders read this without your name. "
            "Please do not write the candidates' names."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _candidate_question(field: str) -> forms.ChoiceField:
    # The questions are the model's char fields: their labels and choices, stated once.
    model_field = cast("models.CharField[str, str]", CandidateAnswer._meta.get_field(field))
    return forms.ChoiceField(
        label=model_field.verbose_name,
        choices=list(model_field.choices or []),
        required=False,
        widget=forms.RadioSelect,
    )


class CandidateAnswerForm(forms.Form):
    """The candidates' questionnaire: three questions, every one optional."""

    meeting = _candidate_question("meeting")
    helped = _candidate_question("helped")
    keep = _candidate_question("keep")
