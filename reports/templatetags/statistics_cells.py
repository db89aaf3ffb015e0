"""Statistics tables for the templates: ``{% count_table %}`` writes one (``reports.tables``).

A tag rather than an included template: the national overview has a thousand cells, and the
template language was half the time to compute it again after a change (issue 20).
"""

from django import template
from django.utils.safestring import SafeString

from reports.statistics import ShownTable
from reports.tables import count_table_html

register = template.Library()


@register.simple_tag
def count_table(shown: ShownTable, table_id: str, caption: str, row_heading: str) -> SafeString:
    return count_table_html(shown, table_id=table_id, caption=caption, row_heading=row_heading)
