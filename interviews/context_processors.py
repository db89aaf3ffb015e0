from django.http import HttpRequest

from .selectors import offices_for_user


def offices(request: HttpRequest) -> dict[str, object]:
    """The offices for the header's office switcher, and the one chosen in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    visible = list(offices_for_user(user))
    chosen_id = request.session.get("office_id")
    current = next((o for o in visible if o.pk == chosen_id), None)
    return {"user_offices": visible, "current_office": current}
