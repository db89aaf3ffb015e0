from django.db import models
from django.utils.translation import gettext_lazy as _


class RepresentativeStatus(models.TextChoices):
    AWAITING_CONSENT = "awaiting_consent", _("Awaiting consent")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    WITHDRAWN = "withdrawn", _("Consent withdrawn")


class Language(models.TextChoices):
    """The representative's own choice: the pages, emails, SMS and calendar text they get."""

    NB = "nb", _("Norwegian Bokmål")
    NN = "nn", _("Norwegian Nynorsk")
    EN = "en", _("English")


class Contact(models.TextChoices):
    """How a representative wants to hear from NAV (issue 19): email, SMS or both."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    BOTH = "both", _("Email and SMS")

    @property
    def by_email(self) -> bool:
        return self in (Contact.EMAIL, Contact.BOTH)

    @property
    def by_sms(self) -> bool:
        return self in (Contact.SMS, Contact.BOTH)


class SeatStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("No answer")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


# The life of a seat (docs/domain.md, "A seat's life"). Anything not listed is refused. A seat
# begins *invited*: a suggestion is shown on the panel page, never stored as a seat.
SEAT_TRANSITIONS: dict[str, frozenset[str]] = {
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

# Corrections of a mistake after the day (issue 18, point 1): the leader marked the wrong one of
# "came" and "did not come". Only ``services.seat_attendance_correct`` takes these edges, and
# only until the honoraria of the day are exported (``panels.exported``).
SEAT_CORRECTIONS: dict[str, frozenset[str]] = {
    SeatStatus.ATTENDED: frozenset({SeatStatus.NO_SHOW}),
    SeatStatus.NO_SHOW: frozenset({SeatStatus.ATTENDED}),
}

# Staff interviewers on one panel, those ticked from the office's list and those typed together
# (issue 18, point 3): the panel form's rows and ``services.panel_create`` both hold to it.
MAX_STAFF_INTERVIEWERS = 4

# The status groups, each stated once; code asks by group rather than listing statuses.
# Seats that hold the representative's time and are part of the panel (shown, counted against
# the wanted number): one person cannot be in two of them at once, nor twice on one panel.
BOOKING_STATUSES = (SeatStatus.INVITED, SeatStatus.ACCEPTED, SeatStatus.ATTENDED)
# Seats still ahead of an answer or of the day: the holder may still be told of a change,
# withdraw, or update their support needs.
OPEN_STATUSES = (SeatStatus.INVITED, SeatStatus.ACCEPTED)
# Seats whose holder sat, or is to sit, on the panel: a seat's load, feedback after the day.
SAT_STATUSES = (SeatStatus.ACCEPTED, SeatStatus.ATTENDED)
# Seats whose holder said yes (and so carry a backgrounds snapshot), whether they came or not.
SAID_YES_STATUSES = (SeatStatus.ACCEPTED, SeatStatus.ATTENDED, SeatStatus.NO_SHOW)
# Seats whose holder said no, or did not answer, in time: not invited again in the same round.
SAID_NO_STATUSES = (SeatStatus.DECLINED, SeatStatus.EXPIRED)
# How an open seat can end before the day; each frees it for the next suggestion
# (``services.seat_transition``).
FREEING_STATUSES = (
    SeatStatus.DECLINED,
    SeatStatus.EXPIRED,
    SeatStatus.WITHDRAWN,
    SeatStatus.CANCELLED,
)


class PanelStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")


class PoolImportStatus(models.TextChoices):
    """A large pool import's progress (``panels.pool.importing``)."""

    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being imported")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")
