"""The roster's rows as HTML, written in Python rather than by a template.

A page of the roster is 50 rows of ten cells, written afresh whenever national HR's roster is
computed again, i.e. after a write in any office (issue 20); by the template language that was
a tenth of the page's time then (47 → 42 ms at 250 offices). The cells are those of
``templates/rosters/roster.html``'s header, escaped by ``format_html`` as the template escaped
them.
"""

from collections.abc import Sequence

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from panels.models import Seat

_CELL = '<td class="aksel-table__data-cell aksel-body-short">{}</td>'
_ROW = (
    '<tr class="aksel-table__row">'
    + _CELL * 3
    + '<td class="aksel-table__data-cell aksel-body-short"><a class="aksel-link" href="{}">'
    "{}–{}</a></td>"
    + _CELL
    * 4
    + '<td class="aksel-table__data-cell aksel-body-short roster-table__number">{}</td>'
    "{}</tr>\n"
)


def _person(seat: Seat) -> SafeString | str:
    if seat.representative is None:
        return format_html('<span class="muted">{}</span>', gettext("(erased)"))
    return seat.representative.name


def _attended(seat: Seat) -> str:
    if seat.attended is True:
        return gettext("Yes")
    if seat.attended is False:
        return gettext("No")
    return ""


def roster_rows_html(seats: Sequence[Seat], *, show_backgrounds: bool) -> SafeString:
    """One ``<tr>`` per seat, each seat as ``rosters.selectors.roster_page`` prepared it."""

    def cells(seat: Seat) -> tuple[object, ...]:
        panel = seat.panel
        backgrounds = (
            format_html(_CELL, ", ".join(seat.background_labels)) if show_backgrounds else ""
        )
        return (
            date_format(seat.local_date, "DATE_FORMAT"),
            panel.round.office.name,
            panel.round.position_title,
            reverse("panel_detail", args=[seat.panel_id]),
            time_format(timezone.localtime(panel.starts_at), "H:i"),
            time_format(timezone.localtime(panel.ends_at), "H:i"),
            _person(seat),
            seat.representative.organisation if seat.representative else "",
            seat.get_status_display(),
            _attended(seat),
            floatformat(seat.honorarium, "2g") if seat.honorarium is not None else "",
            backgrounds,
        )

    return format_html_join("", _ROW, (cells(seat) for seat in seats))
