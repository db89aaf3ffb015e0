from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    STAFF = "staff", _("Staff user")
    REPRESENTATIVE = "representative", _("Representative (by link)")
    API = "api", _("API token")
    SYSTEM = "system", _("System")


class AuditAction(models.TextChoices):
    """What was done. Add a member when a new sensitive action is audited."""

    REPRESENTATIVE_VIEWED = "representative_viewed", _("Viewed a representative's backgrounds")
    REPRESENTATIVE_CREATED = "representative_created", _("Added a representative")
    REPRESENTATIVE_CHANGED = "representative_changed", _("Changed a representative")
    REPRESENTATIVE_ERASED = "representative_erased", _("Erased a representative")
    REPRESENTATIVE_LINK_SENT = "representative_link_sent", _("Sent a representative a new link")
    POOL_EXPORTED = "pool_exported", _("Exported the pool")
    POOL_IMPORTED = "pool_imported", _("Imported representatives")
    SEAT_CHANGED = "seat_changed", _("Changed a seat")
    CONSENT_GIVEN = "consent_given", _("Consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    CONFIDENTIALITY_SIGNED = "confidentiality_signed", _("Confidentiality declaration signed")
    DELETION_REQUESTED = "deletion_requested", _("Deletion requested")
    DATA_DOWNLOADED = "data_downloaded", _("Representative downloaded their data")
    ROSTER_VIEWED = "roster_viewed", _("Viewed the roster")
    ROSTER_EXPORTED = "roster_exported", _("Exported the roster")
    HONORARIA_EXPORTED = "honoraria_exported", _("Exported honoraria")
    API_CALLED = "api_called", _("Called the API")
    API_REFUSED = "api_refused", _("API call refused: no valid token")
    CANDIDATES_ERASED = "candidates_erased", _("Erased candidates' names")
    CANDIDATE_REMOVED = "candidate_removed", _("Removed a candidate")
    TRAVEL_CLAIM_ENTERED = "travel_claim_entered", _("Entered a travel claim")
    TRAVEL_CLAIM_CHANGED = "travel_claim_changed", _("Changed a travel claim")
    TRAVEL_CLAIM_DELETED = "travel_claim_deleted", _("Deleted a travel claim")
    DAY_PLAN_VIEWED = "day_plan_viewed", _("Viewed a panel's day plan")
    ROUND_DELETED = "round_deleted", _("Deleted a draft round")
