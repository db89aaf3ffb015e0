"""Notices to the owner of an account when its sign-in addresses change (issue 15).

allauth tells the old primary address when the primary changes, and the primary when an address
is removed (``ACCOUNT_EMAIL_NOTIFICATIONS``; ``AccountAdapter`` tells the removed one too). It
says nothing when an address is added, the first step of moving an account to someone else's
address, nor when the administrator changes a user's email in the admin site: both are here.
"""

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.signals import email_added
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .models import User


@receiver(email_added)
def _tell_the_primary_address_of_an_added_one(
    sender: object, request: HttpRequest, user: User, email_address: EmailAddress, **kwargs: object
) -> None:
    get_adapter(request).send_notification_mail(
        "account/email/email_added", user, {"added_email": email_address.email}
    )


def user_email_changed_by_administrator(
    *, request: HttpRequest, user: User, old_email: str
) -> None:
    """The administrator changed ``user.email`` in the admin site: the old address stops being
    a sign-in address (allauth signs in by its own address rows too) and is told of the change."""
    EmailAddress.objects.filter(user=user, email__iexact=old_email).delete()
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    get_adapter(request).send_notification_mail(
        "account/email/email_changed",
        user,
        {"from_email": old_email, "to_email": user.email},
        email=old_email,
    )


@receiver(user_logged_in)
def _sign_in_address_on_record(
    sender: object, request: HttpRequest, user: User, **kwargs: object
) -> None:
    """Make the address the user signed in with their primary, verified address in allauth's
    records, where none is yet (accounts the administrator or ``seed_demo`` created have none).

    allauth tells "the primary address" of changes; without one it tells nobody, and a newly
    added, unconfirmed address could be made primary at once.
    """
    if not EmailAddress.objects.filter(user=user, primary=True).exists():
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
