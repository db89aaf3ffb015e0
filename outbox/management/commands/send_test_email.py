"""Check the mail settings: send one email straight through the configured backend."""

import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.services import error_describe


def _backend_description() -> str:
    backend = settings.EMAIL_BACKEND
    if backend.endswith("smtp.EmailBackend"):
        security = "SSL" if settings.EMAIL_USE_SSL else "STARTTLS" if settings.EMAIL_USE_TLS else ""
        return f"SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT} {security}".strip()
    if backend.endswith("filebased.EmailBackend"):
        return _("files in %(path)s") % {"path": settings.EMAIL_FILE_PATH}
    return backend


class Command(BaseCommand):
    help = (
        "Send one test email to ADDRESS directly through the configured email backend, "
        "not through the outbox, and say whether the server took it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address", help="Where to send the test email.")

    def handle(self, *args: object, address: str, **options: object) -> None:
        try:
            validate_email(address)
        except ValidationError as error:
            raise CommandError(
                _("%(address)s is not an email address.") % {"address": address}
            ) from error
        backend = _backend_description()
        message = EmailMessage(
            subject=_("navpanel test email"),
            body=_("This test email was sent by navpanel at %(time)s through %(backend)s.")
            % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S %Z"), "backend": backend},
            to=[address],
            connection=get_connection(fail_silently=False),
        )
        message_id = message.message()["Message-ID"]
        message.extra_headers["Message-ID"] = message_id
        try:
            sent = message.send()
        except (smtplib.SMTPException, OSError) as error:
            raise CommandError(
                _("The test email to %(address)s was NOT sent through %(backend)s: %(error)s")
                % {"address": address, "backend": backend, "error": error_describe(error)}
            ) from error
        if sent != 1:
            raise CommandError(
                _("The test email to %(address)s was NOT sent through %(backend)s.")
                % {"address": address, "backend": backend}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("The test email to %(address)s was sent through %(backend)s (Message-ID %(id)s).")
                % {"address": address, "backend": backend, "id": message_id}
            )
        )
