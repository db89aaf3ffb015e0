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


class SeatStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("No answer")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


# The life of a seat (DOMAIN.md, "A seat's life"). Anything not listed is refused.
SEAT_TRANSITIONS: dict[str, frozenset[str]] = {
    SeatStatus.SUGGESTED: frozenset({SeatStatus.INVITED, SeatStatus.WITHDRAWN}),
    SeatStatus.INVITED: frozenset(
        {
            SeatStatus.ACCEPTED,
            SeatStatus.DECLINED,
            SeatStatus.EXPIRED,
            SeatStatus.WITHDRAWN,
            SeatStatus.CANCELLED,
        }
    ),
    SeatStatus.ACCEPTED: frozenset(
        {SeatStatus.ATTENDED, SeatStatus.NO_SHOW, SeatStatus.CANCELLED, SeatStatus.WITHDRAWN}
    ),
    SeatStatus.DECLINED: frozenset(),
    SeatStatus.EXPIRED: frozenset(),
    SeatStatus.WITHDRAWN: frozenset(),
    SeatStatus.CANCELLED: frozenset(),
    SeatStatus.ATTENDED: frozenset(),
    SeatStatus.NO_SHOW: frozenset(),
}

# Seats that hold the representative's time: one person cannot be in two of them at once.
BOOKING_STATUSES = (SeatStatus.INVITED, SeatStatus.ACCEPTED, SeatStatus.ATTENDED)
# Seats whose holder said no, or did not answer, in time: not invited again in the same round.
SAID_NO_STATUSES = (SeatStatus.DECLINED, SeatStatus.EXPIRED)
# Seats that are still part of the panel (shown, counted against the wanted number).
LIVE_STATUSES = (SeatStatus.SUGGESTED, *BOOKING_STATUSES)


class PanelStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")
