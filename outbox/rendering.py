from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import translation


def render_message(name: str, context: dict[str, object], language: str) -> tuple[str, str, str]:
    """Render ``emails/<name>_subject.txt``, ``_body.txt`` and ``_body.html`` in ``language``.

    The subject and the text part are plain text, rendered without HTML escaping ("Åse O'Brien
    & Co" stays as it is); the HTML part is escaped as every HTML page is.
    """
    with translation.override(language):
        subject = " ".join(_render_text(f"emails/{name}_subject.txt", context).split())
        text = _render_text(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    return subject, text, html


def _render_text(template_name: str, context: dict[str, object]) -> str:
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))
