"""A statistics table's count as its cell shows it: the figure, or a mark for a hidden one.

A tag rather than an included template: the national overview has hundreds of cells, and an
``{% include %}`` per cell was a third of the time to render it after a change (issue 20).
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from reports.suppression import PROTECT, Entry

register = template.Library()


@register.simple_tag
def statistics_entry(entry: Entry) -> SafeString:
    """A count protected by secondary suppression reads "hidden" to a screen reader, not "×"."""
    if entry.hidden == PROTECT:
        return format_html(
            '<span aria-hidden="true">×</span><span class="aksel-sr-only">{}</span>',
            gettext("hidden"),
        )
    return conditional_escape(entry.shown)
