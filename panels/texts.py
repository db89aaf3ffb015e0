"""The published texts a representative agrees to: the consent text and the confidentiality
declaration, each the newest version published by now, and their layout on a page.

Read from the database on every call: one indexed query. A per-process memo of them saved about
0.4 ms a page and needed the shared data version to stay right; it was dropped (issue 16).
"""

from dataclasses import dataclass, field

from django.utils import timezone

from .models import ConfidentialityText, ConsentText


def consent_text_current() -> ConsentText | None:
    """The newest consent text published by now; None before the first is published."""
    return ConsentText.objects.filter(published_at__lte=timezone.now()).order_by("-version").first()


def confidentiality_text_current() -> ConfidentialityText | None:
    """The newest confidentiality declaration published by now."""
    return (
        ConfidentialityText.objects.filter(published_at__lte=timezone.now())
        .order_by("-version")
        .first()
    )


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
