from django.db import models
from django.utils.translation import gettext_lazy as _


class County(models.TextChoices):
    """Norway's counties (fylker) from 2024."""

    OSTFOLD = "ostfold", "Østfold"
    AKERSHUS = "akershus", "Akershus"
    OSLO = "oslo", "Oslo"
    BUSKERUD = "buskerud", "Buskerud"
    INNLANDET = "innlandet", "Innlandet"
    VESTFOLD = "vestfold", "Vestfold"
    TELEMARK = "telemark", "Telemark"
    AGDER = "agder", "Agder"
    ROGALAND = "rogaland", "Rogaland"
    VESTLAND = "vestland", "Vestland"
    MORE_OG_ROMSDAL = "more_og_romsdal", "Møre og Romsdal"
    TRONDELAG = "trondelag", "Trøndelag"
    NORDLAND = "nordland", "Nordland"
    TROMS = "troms", "Troms"
    FINNMARK = "finnmark", "Finnmark"


class RoleKind(models.TextChoices):
    LEADER = "leader", _("Office leader")
    HR = "hr", _("HR adviser")


class RoleScope(models.TextChoices):
    OFFICE = "office", _("One office")
    COUNTY = "county", _("A county")
    NATIONAL = "national", _("All offices")


class RoundState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


ROUND_TRANSITIONS: dict[str, frozenset[str]] = {
    RoundState.DRAFT: frozenset({RoundState.OPEN}),
    RoundState.OPEN: frozenset({RoundState.CLOSED}),
    RoundState.CLOSED: frozenset(),
}


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
