"""The published texts a representative agrees to: the consent text and the confidentiality
declaration, each the newest version published by now, and their layout on a page."""

import copy
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from navpanel.cache_versions import caching_enabled, data_version

from .models import ConfidentialityText, ConsentText

# The current texts as this process last read them: (database and data version, text, the next
# text's publication time). Checked against the shared data version on every read.
_CURRENT_TEXTS: dict[type, tuple[tuple[str, int], object, datetime | None]] = {}


def _text_current(model: type[ConsentText] | type[ConfidentialityText]) -> object:
    """The newest ``model`` text published by now, remembered in this process until the data
    version moves (saving a text in the admin bumps it) or the next text's publication time
    comes: read on every invitation page, changed a few times a year. Read from the database
    inside a transaction (its writes may yet be rolled back under the bumped version) and
    where no shared cache carries the version."""
    now = timezone.now()
    if not caching_enabled() or transaction.get_connection().in_atomic_block:
        return model.objects.filter(published_at__lte=now).order_by("-version").first()
    stamp = (transaction.get_connection().settings_dict["NAME"], data_version())
    remembered = _CURRENT_TEXTS.get(model)
    if remembered is not None and remembered[0] == stamp:
        _, text, valid_until = remembered
        if valid_until is None or now < valid_until:
            return copy.copy(text)
    text = model.objects.filter(published_at__lte=now).order_by("-version").first()
    upcoming = model.objects.filter(published_at__gt=now).order_by("published_at")
    _CURRENT_TEXTS[model] = (stamp, text, upcoming.values_list("published_at", flat=True).first())
    return copy.copy(text)


def consent_text_current() -> ConsentText | None:
    """The newest consent text published by now; None before the first is published."""
    return _text_current(ConsentText)


def confidentiality_text_current() -> ConfidentialityText | None:
    """The newest confidentiality declaration published by now."""
    return _text_current(ConfidentialityText)


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
