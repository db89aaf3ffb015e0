"""NAV's error summary above every form that failed (issue 14, point 8): one rule, one place.

``{% error_summary %}`` sits at the top of ``<main>`` in both base templates and gathers the
errors of every bound form and formset in the page's context, so no page can forget it and no
form needs its own copy. Each error links to the field it is about; an error about the whole
form (or a hidden field) links to the form's first field. ``static/js/error-summary.js`` moves
focus to the summary when the page loads with one, as Aksel's ``ErrorSummary`` does after a
failed submit.
"""

from dataclasses import dataclass

from django import forms, template
from django.forms.formsets import BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    message: str
    field_id: str | None


def _target(bound: forms.BoundField) -> str | None:
    """The id of the element a link to ``bound`` should move to: its first option for a group
    of radios or checkboxes (whose own id names no element), else the input itself."""
    if isinstance(bound.field.widget, forms.RadioSelect):
        options = bound.subwidgets
        return options[0].id_for_label if options else None
    return bound.id_for_label or None


def _first_field(form: forms.BaseForm) -> str | None:
    visible = form.visible_fields()
    return _target(visible[0]) if visible else None


def form_errors(form: forms.BaseForm) -> list[SummaryError]:
    """The errors of one bound form, in the order its fields appear."""
    if not form.is_bound or not form.errors:
        return []
    first = _first_field(form)
    found = []
    for message in form.non_field_errors():
        found.append(SummaryError(str(message), first))
    for name in form.fields:
        bound = form[name]
        target = first if bound.is_hidden else _target(bound)
        found.extend(SummaryError(str(message), target) for message in bound.errors)
    return found


def _errors_of(value: object) -> list[SummaryError]:
    if isinstance(value, forms.BaseForm):
        return form_errors(value)
    if isinstance(value, BaseFormSet) and value.is_bound:
        first = _first_field(value.forms[0]) if value.forms else None
        found = [SummaryError(str(message), first) for message in value.non_form_errors()]
        for form in value.forms:
            found.extend(form_errors(form))
        return found
    return []


@register.inclusion_tag("forms/error_summary.html", takes_context=True)
def error_summary(context: template.Context) -> dict[str, object]:
    """Every error of every bound form or formset the page was given, once each."""
    errors: list[SummaryError] = []
    seen: set[int] = set()
    for value in context.flatten().values():
        if id(value) in seen:
            continue
        seen.add(id(value))
        errors.extend(_errors_of(value))
    return {"errors": errors}
