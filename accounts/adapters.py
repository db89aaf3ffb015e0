from typing import Any
from uuid import uuid4

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by the administrator; nobody signs up on their own."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Send allauth's mails (password reset) through our outbox, like every other email."""
        from outbox.services import message_queue

        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mime in message.alternatives if mime == "text/html"), "")
        message_queue(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid4().hex}",
            kind="account",
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on connects to an existing staff account by email; it never creates one."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        return False
