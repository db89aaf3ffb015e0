from datetime import datetime

from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from navpanel.cache_versions import OFFICES, cached

from .selectors import offices_for_user, user_is_hr, user_is_leader, user_roles_scope


def _switcher_options(offices: list[tuple[int, str]], chosen_id: object) -> SafeString:
    """The switcher's ``<option>`` elements, written in Python: through the template each of
    national HR's 250 offices cost a few variable lookups, ~4 ms on every page."""
    return format_html(
        '<option value="">{}</option>{}',
        gettext("All my offices"),
        format_html_join(
            "",
            '\n            <option value="{}"{}>{}</option>',
            ((pk, " selected" if pk == chosen_id else "", name) for pk, name in offices),
        ),
    )


def offices(request: HttpRequest) -> dict[str, object]:
    """What the header shows of the user's offices: whether there are any (the HR links), the
    office switcher's options with the one chosen in this session marked, and whether the
    audit log is in the menu.

    The options are cached by the user's scope (their roles decide which offices they see), the
    chosen office, the language and the data version (an office or role saved bumps it); the
    form around them, with its CSRF token, is rendered by the template on every page.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    chosen_id = request.session.get("office_id")

    def compute() -> tuple[dict[str, object], datetime | None]:
        visible = list(offices_for_user(user).values_list("pk", "name"))
        options = _switcher_options(visible, chosen_id) if len(visible) > 1 else ""
        return {"count": len(visible), "options": options}, None

    header = cached(
        "header-offices", (user_roles_scope(user), chosen_id), compute, scopes=[OFFICES]
    )
    return {
        "user_office_count": header["count"],
        "office_switcher_options": header["options"],
        # HR and administrators read the audit log (audit.views.audit_log): it is in their menu.
        "user_reads_audit_log": user.is_superuser or user_is_hr(user),
        # Leaders have the agenda of their coming interview days in the menu (issue 18).
        "user_leads_offices": user_is_leader(user),
    }
