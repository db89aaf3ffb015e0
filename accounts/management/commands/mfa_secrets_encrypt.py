"""Re-encrypt every two-factor secret with the first key of ``MFA_ENCRYPTION_KEYS``."""

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.mfa import authenticators_encrypt


class Command(BaseCommand):
    help = (
        "Re-encrypt every two-factor secret with the first key in MFA_ENCRYPTION_KEYS "
        "(after a new key was put first), and encrypt any stored in plain text."
    )

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            written = authenticators_encrypt(Authenticator.objects.select_for_update())
        self.stdout.write(f"{written} authenticator(s) re-encrypted with the first key.")
