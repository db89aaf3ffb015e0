"""Form widgets that the project's templates cannot render fast enough."""

from typing import Any

from django import forms
from django.utils.html import format_html_join


class LongSelect(forms.Select):
    """A ``<select>`` with the project's markup whose options are written in Python.

    Through the template (``django/forms/widgets/select.html``) every option costs a few
    variable lookups; HR's lists of 250 offices made that a few milliseconds of every filter
    form. Same HTML, no option groups (the lists that use it have none).
    """

    template_name = "forms/widgets/long_select.html"

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = {str(v) for v in context["widget"]["value"]}
        context["widget"]["options_html"] = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (value, " selected" if value in chosen else "", label)
                for value, label in ((str(v), label) for v, label in self.choices)
            ),
        )
        return context

    def optgroups(self, name: str, value: Any, attrs: dict | None = None) -> list:
        # The options are written by get_context; building Django's option dicts is the cost
        # this widget avoids.
        return []
