"""The one error summary (issue 14, point 8): what it lists and links, and that it is the only one.

The browser side (focus after a failed submit, at 390 px, axe-core) is in
tests/e2e/test_error_summary.py.
"""

import re
from pathlib import Path

from django import forms
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


class Answer(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label="Name")
    colour = forms.ChoiceField(
        label="Colour", choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="I agree")

    def clean(self):
        raise forms.ValidationError("The text has changed.")


def summary(**context) -> str:
    return Template("{% load error_summary %}{% error_summary %}").render(Context(context))


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="aksel-link" href="#([^"]+)">([^<]+)</a>', html)


def test_each_error_links_to_its_field_and_a_whole_form_error_to_the_first_field():
    html = summary(answer_form=Answer({"version": "x"}))

    assert links(html) == [
        ("id_name", "The text has changed."),
        ("id_name", "Enter a whole number."),
        ("id_name", "This field is required."),
        ("id_colour_0", "This field is required."),
        ("id_agree", "This field is required."),
    ]
    assert "aksel-error-summary__heading" in html


def test_an_unbound_or_valid_form_gives_no_summary():
    class Plain(forms.Form):
        name = forms.CharField()

    assert summary(form=Plain()).strip() == ""
    assert summary(form=Plain({"name": "Kari"})).strip() == ""


def test_a_formsets_own_errors_and_its_forms_errors_are_listed():
    class Person(forms.Form):
        name = forms.CharField(max_length=2)

    class People(forms.BaseFormSet):
        def clean(self):
            raise forms.ValidationError("Add at least two people.")

    formset = forms.formset_factory(Person, formset=People, extra=0)(
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-name": "Kari"}
    )

    assert links(summary(staff=formset)) == [
        ("id_form-0-name", "Add at least two people."),
        ("id_form-0-name", "Ensure this value has at most 2 characters (it has 4)."),
    ]


def test_the_summary_is_written_once_and_every_page_has_it_with_its_script():
    writers = [
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if "aksel-error-summary" in path.read_text()
    ]
    bases = [TEMPLATES / "base.html", TEMPLATES / "panels" / "public_base.html"]
    # The error pages stand alone (a 500 must render without the database) and hold no form.
    error_page = TEMPLATES / "errors" / "error.html"
    # Every other page a browser shows starts in one of the two bases (emails are not pages).
    pages = [
        p for p in TEMPLATES.rglob("*.html") if "<html" in p.read_text() and "emails" not in p.parts
    ]

    assert writers == ["forms/error_summary.html"]
    assert sorted(pages) == sorted([*bases, error_page])
    assert "<form" not in error_page.read_text()
    for base in bases:
        text = base.read_text()
        assert "{% error_summary %}" in text
        assert "{% static 'js/error-summary.js' %}\" defer></script>" in text


def test_every_error_summary_class_exists_in_navs_design_system_css():
    css = (ROOT / "node_modules/@navikt/ds-css/dist/components.css").read_text()
    markup = (TEMPLATES / "forms" / "error_summary.html").read_text()
    classes = {c for attr in re.findall(r'class="([^"]+)"', markup) for c in attr.split()}

    missing = sorted(c for c in classes if not re.search(rf"\.{re.escape(c)}\b", css))

    assert classes >= {"aksel-error-summary", "aksel-error-summary__heading"}
    assert missing == []


def test_the_summary_speaks_the_pages_language():
    with translation.override("nb"):
        html = summary(form=Answer({}))

    assert "Du må rette disse feilene før du kan fortsette:" in html
