from django.db import models
from django.utils.translation import gettext_lazy as _


class RepresentativeStatus(models.TextChoices):
    AWAITING_CONSENT = "awaiting_consent", _("Awaiting consent")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    WITHDRAWN = "withdrawn", _("Consent withdrawn")


class Language(models.TextChoices):
    NB = "nb", _("Norwegian Bokmål")
    EN = "en", _("English")
