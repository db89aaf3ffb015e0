from typing import Any
from uuid import uuid4

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by the administrator; nobody signs up on their own."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Send allauth's mails (password reset, notices) through our outbox, like every other
        email, each ending with the one address that always works: the site itself."""
        from outbox.services import message_queue

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

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        """allauth tells the primary address; a removed address is told too, since after a
        takeover the primary is the intruder's (issue 15)."""
        super().send_notification_mail(template_prefix, user, context, email)
        removed = (context or {}).get("deleted_email")
        if template_prefix == "account/email/email_deleted" and removed and removed != email:
            super().send_notification_mail(template_prefix, user, context, removed)


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on connects to an existing staff account by email; it never creates one."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        return False
