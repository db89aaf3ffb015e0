from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Honoraria and statistics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from panels.erasure import representative_erasing

        from . import warming  # noqa: F401 - registers what a change makes it compute again
        from .services import travel_claims_scrub

        representative_erasing.connect(travel_claims_scrub, dispatch_uid="reports-travel-claims")
