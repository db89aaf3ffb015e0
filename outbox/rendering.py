from django.template.loader import render_to_string
from django.utils import translation


def render_message(name: str, context: dict[str, object], language: str) -> tuple[str, str, str]:
    """Render ``emails/<name>_subject.txt``, ``_body.txt`` and ``_body.html`` in ``language``."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    return subject, text, html
