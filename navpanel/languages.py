"""The three languages of navpanel (issue 19): bokmål, nynorsk and English.

Each name is written in its own language, as a language switcher shows it: a reader finds
theirs whatever language the page is in (WCAG 3.1.2: each carries its own ``lang``).
"""

from django.http import HttpRequest

LANGUAGE_NAMES: tuple[tuple[str, str], ...] = (
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("en", "English"),
)


def language_names(request: HttpRequest) -> dict[str, object]:
    """Template context: ``language_names``, (code, own name) in the switcher's order."""
    return {"language_names": LANGUAGE_NAMES}
