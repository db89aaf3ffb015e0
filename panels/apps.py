from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = _("Representatives and panels")

    def ready(self) -> None:
        from navpanel import cache_versions, warming

        from . import warming as _pages_warmed  # noqa: F401 - registers the panels' warmer

        cache_versions.connect()
        warming.connect()
