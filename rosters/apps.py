from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rosters"
    verbose_name = _("Rosters and API")

    def ready(self) -> None:
        from panels.erasure import representative_erasing

        from . import warming  # noqa: F401 - registers what a change makes it compute again
        from .services import export_files_forget

        representative_erasing.connect(export_files_forget, dispatch_uid="rosters-export-files")
