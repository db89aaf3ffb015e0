from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Connects the sign-in receiver that starts the staff session clocks, and the notice
        # of an added email address.
        from . import middleware, notifications  # noqa: F401
