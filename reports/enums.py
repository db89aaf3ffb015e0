from django.db import models
from django.utils.translation import gettext_lazy as _


class LineKind(models.TextChoices):
    DAY = "day", _("Interview day")
    TRAVEL = "travel", _("Travel")
