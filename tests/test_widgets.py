"""The project's form widgets write the same HTML as Django's templates would."""

from django import forms
from django.test.html import parse_html
from django.utils.safestring import mark_safe

from navpanel.widgets import LongSelect


def test_long_select_escapes_labels_and_values_and_marks_the_chosen_one():
    widget = LongSelect(
        choices=[("", "Alle"), (1, "NAV <Rana> & «Mo»"), ('2"', mark_safe("<b>Trygt</b>"))]
    )

    html = widget.render("office", 1)

    assert '<option value="">Alle</option>' in html
    assert '<option value="1" selected>NAV &lt;Rana&gt; &amp; «Mo»</option>' in html
    assert '<option value="2&quot;"><b>Trygt</b></option>' in html


def test_long_select_renders_what_django_select_renders_for_plain_choices():
    choices = [("", "---------"), (7, "NAV Asker"), (12, "NAV Bærum & Co")]

    ours = LongSelect(choices=choices).render("office", 12)
    theirs = forms.Select(choices=choices).render("office", 12)

    assert parse_html(ours) == parse_html(theirs)
