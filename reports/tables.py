"""A statistics table as HTML, written in Python rather than by a template.

The national overview has four tables of 60 rows (15 counties × 4 quarters) and a thousand
cells; by the template language they were half the time to compute the overview again after a
change (issue 20). The markup is that of the template this replaced. Every text is escaped
here, by ``html.escape`` as Django's ``escape`` does it, but without its lazy-text wrapper,
which cost more than the cells themselves at a thousand calls a table.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .statistics import ShownTable
from .suppression import PROTECT, Entry

_HEADER = '<th scope="col" class="aksel-table__header-cell aksel-label number">{}</th>'
_CELL = '<td class="aksel-table__data-cell aksel-body-short number">{}</td>'
_TOTAL = '<td class="aksel-table__data-cell aksel-label number">{}</td>'


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def entry_html(entry: Entry) -> str:
    """A count as its cell shows it; one hidden by secondary suppression reads "hidden" to a
    screen reader, not "×"."""
    if entry.hidden == PROTECT:
        return (
            '<span aria-hidden="true">×</span>'
            f'<span class="aksel-sr-only">{_text(gettext("hidden"))}</span>'
        )
    return _text(entry.shown)


def _cells(template: str, texts: list[str]) -> str:
    return "".join(template.format(text) for text in texts)


def count_table_html(
    shown: ShownTable, *, table_id: str, caption: str, row_heading: str
) -> SafeString:
    """The table ``shown``: a caption, a header row, a row per group and the totals."""
    table = shown.table
    derived_columns = [_text(column) for column in shown.derived_columns or []]
    row_total = _HEADER.format(_text(gettext("Total"))) if table.row_totals else ""
    parts = [
        f'<div class="table-scroll" role="region" aria-labelledby="{_text(table_id)}-caption" '
        'tabindex="0">\n  <table class="aksel-table aksel-table--small stats-table">\n'
        f'    <caption id="{_text(table_id)}-caption" class="aksel-body-short '
        f'stats-table__caption">{_text(caption)}</caption>\n'
        '    <thead class="aksel-table__header">\n      <tr class="aksel-table__row">\n'
        '        <th scope="col" class="aksel-table__header-cell aksel-label">'
        f"{_text(row_heading)}</th>\n"
        f"        {_cells(_HEADER, [_text(column) for column in shown.columns])}\n"
        f"        {row_total}\n        {_cells(_HEADER, derived_columns)}\n      </tr>\n"
        '    </thead>\n    <tbody class="aksel-table__body">\n      '
    ]
    for row, cells, total, derived in shown.body:
        parts.append(
            '\n        <tr class="aksel-table__row">\n'
            '          <th scope="row" class="aksel-table__data-cell aksel-body-short">'
            f"{_text(row.label)}</th>\n"
            f"          {_cells(_CELL, [entry_html(entry) for entry in cells])}\n"
            f"          {_TOTAL.format(entry_html(total)) if total else ''}\n"
            f"          {_cells(_CELL, [_text(value) for value in derived])}\n"
            "        </tr>\n      "
        )
    parts.append("\n    </tbody>")
    if table.column_totals:
        derived_totals = [_text(value) for value in shown.derived_totals or []]
        grand_total = _TOTAL.format(entry_html(table.grand_total)) if table.grand_total else ""
        parts.append(
            "\n    <tfoot>\n"
            '        <tr class="aksel-table__row">\n'
            '          <th scope="row" class="aksel-table__data-cell aksel-label">'
            f"{_text(gettext('Total'))}</th>\n"
            f"          {_cells(_TOTAL, [entry_html(e) for e in table.column_totals])}\n"
            f"          {grand_total}\n          {_cells(_TOTAL, derived_totals)}\n"
            f"          {'' if derived_totals else _cells(_TOTAL, ['–'] * len(derived_columns))}\n"
            "        </tr>\n      </tfoot>\n  "
        )
    parts.append("\n  </table>\n</div>\n")
    # Every text above went through _text.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703
