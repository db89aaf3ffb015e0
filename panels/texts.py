"""The published texts a representative agrees to: the consent text and the confidentiality
declaration, each the newest version published by now, and their layout on a page.

Read from the database on every call: one indexed query. A per-process memo of them saved about
0.4 ms a page and needed the shared data version to stay right; it was dropped (issue 16).
Which version is current is written once, as SQL (``current_text_id_sql``): the ORM reads here
and a representative's agreements (``panels.agreements``, one statement for the seat page) use
the same words.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import ConfidentialityText, ConsentText
from .models.agreements import PublishedText


def current_text_id_sql(model: type[PublishedText]) -> str:
    """SQL for the id of ``model``'s current version, the newest published by the moment its
    one parameter gives (``current_text_moment``); no row before the first is published."""
    return (
        f'SELECT id FROM "{model._meta.db_table}" WHERE published_at <= %s '  # noqa: S608  # nosec B608: a model's table
        "ORDER BY version DESC LIMIT 1"
    )


def current_text_moment(now: datetime) -> datetime | str:
    """``now`` as the database compares it with ``published_at`` (on SQLite, a naive UTC
    string, as the ORM writes it)."""
    field = ConsentText._meta.get_field("published_at")
    return cast("datetime | str", field.get_db_prep_value(now, connection))


def consent_text_current() -> ConsentText | None:
    """The newest consent text published by now; None before the first is published."""
    moment = current_text_moment(timezone.now())
    current = RawSQL(current_text_id_sql(ConsentText), [moment])  # noqa: S611  # nosec B611
    return ConsentText.objects.filter(pk=current).first()


def confidentiality_text_current() -> ConfidentialityText | None:
    """The newest confidentiality declaration published by now."""
    moment = current_text_moment(timezone.now())
    current = RawSQL(current_text_id_sql(ConfidentialityText), [moment])  # noqa: S611  # nosec B611
    return ConfidentialityText.objects.filter(pk=current).first()


def texts_change_at(now: datetime) -> datetime | None:
    """When a text published ahead of time comes into force next, if one is waiting: a page
    that shows the current texts changes then by the clock alone. One query for both texts."""
    # Unordered: SQLite takes no ORDER BY inside a UNION (the texts' default is by version).
    coming = (
        ConsentText.objects.filter(published_at__gt=now)
        .order_by()
        .values_list("published_at", flat=True)
        .union(
            ConfidentialityText.objects.filter(published_at__gt=now)
            .order_by()
            .values_list("published_at", flat=True)
        )
    )
    return min((moment for moment in coming if moment is not None), default=None)


@dataclass
class TextBlock:
    """One block of a published text: a heading, a paragraph, or a list."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)


def text_blocks(body: str) -> list[TextBlock]:
    """Split a published text into headings, paragraphs and lists for the page.

    The administrator writes plain text: a blank line between paragraphs, "# " before a
    heading and "- " before a point in a list (the help text in the admin says so).
    """
    blocks: list[TextBlock] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        prose: list[str] = []
        for line in (line.strip() for line in chunk.split("\n")):
            if line.startswith("# "):
                blocks.extend(_paragraph(prose))
                blocks.append(TextBlock("heading", line[2:].strip()))
            elif line.startswith("- "):
                blocks.extend(_paragraph(prose))
                if not blocks or blocks[-1].kind != "list":
                    blocks.append(TextBlock("list"))
                blocks[-1].items.append(line[2:].strip())
            elif line:
                prose.append(line)
        blocks.extend(_paragraph(prose))
    return blocks


def _paragraph(lines: list[str]) -> list[TextBlock]:
    """The lines gathered so far as one paragraph (and the gathering emptied)."""
    if not lines:
        return []
    paragraph = TextBlock("paragraph", " ".join(lines))
    lines.clear()
    return [paragraph]
