from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rosters"
    verbose_name = _("Rosters and API")
