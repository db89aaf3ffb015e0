"""allauth's mails (password reset, notices) through the outbox, like every other email.

``ACCOUNT_ADAPTER`` names this class: the accounts' adapter, plus ``send_mail``. It lives here
because the outbox sits above accounts (pyproject's layers): accounts never imports it.
"""

from typing import Any
from uuid import uuid4

from django.conf import settings

from accounts.adapters import AccountAdapter as StaffAccountAdapter

from .services import message_queue


class AccountAdapter(StaffAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Send allauth's mails (password reset, notices) through our outbox, like every other
        email, each ending with the one address that always works: the site itself."""
        message = self.render_mail(template_prefix, email, {**context, "site_url": _site_url()})
        html = next((content for content, mime in message.alternatives if mime == "text/html"), "")
        message_queue(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid4().hex}",
            kind="account",
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
        )


def _site_url() -> str:
    site_url: str = settings.SITE_URL
    return site_url.rstrip("/") + "/"
