from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by the administrator; nobody signs up on their own. Its mails
    go through the outbox: ``ACCOUNT_ADAPTER`` is ``outbox.adapters.AccountAdapter``, this
    class with ``send_mail``."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on connects to an existing staff account by email; it never creates one."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        return False
