"""Signed links for representatives and staff interviewers, who never sign in.

This module makes the tokens and is the only one that reads them. A token names one seat (or
one representative, or one staff interviewer) and nothing else: no name, no email. It is
signed with the project's secret and carries its issue time:

- a seat link (and a staff interviewer's feedback link) works until its panel is over plus
  ``SEAT_LINK_GRACE_DAYS`` for the feedback, and answers 410 after that (issue 15): it is
  measured from the panel's end, not from the email, so it survives a move of the interview,
  and the seat's own ``answer_by`` decides until when it can be answered;
- a consent link (and "my page") expires ``REPRESENTATIVE_LINK_MAX_AGE`` after it was issued;
- a consent link issued before the person withdrew never brings them back: only a link sent
  after the withdrawal can record a new consent.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from interviews.models import Office

from .enums import RepresentativeStatus
from .models import ConsentGiven, Panel, Representative, Seat, StaffInterviewer

SEAT_SALT = "navpanel.seat"
REPRESENTATIVE_SALT = "navpanel.representative"
MY_PAGE_SALT = "navpanel.my_page"
STAFF_SALT = "navpanel.staff_interviewer"
REPRESENTATIVE_LINK_MAX_AGE = timedelta(days=30)


class LinkNotValid(Exception):
    """The token was altered, or names something that no longer exists."""


class LinkExpired(Exception):
    """The token is genuine but too old; ``offices`` are whom the person can ask.

    ``panel_over``: a seat or staff link whose panel is over (no new link will be sent).
    """

    def __init__(self, offices: list[Office], *, panel_over: bool = False) -> None:
        super().__init__("link expired")
        self.offices = offices
        self.panel_over = panel_over


def seat_link_ends_at(panel: Panel) -> datetime:
    """When the links of a panel's seats and staff stop working: its end plus the grace."""
    return panel.ends_at + timedelta(days=settings.SEAT_LINK_GRACE_DAYS)


def _refuse_when_panel_over(panel: Panel, now: datetime | None = None) -> None:
    if (now or timezone.now()) > seat_link_ends_at(panel):
        raise LinkExpired([panel.round.office], panel_over=True)


# Making tokens and links --------------------------------------------------------------------------


def seat_token(seat_id: int) -> str:
    return signing.dumps(seat_id, salt=SEAT_SALT, compress=True)


def representative_token(representative_id: int) -> str:
    return signing.dumps(representative_id, salt=REPRESENTATIVE_SALT, compress=True)


def my_page_token(representative_id: int) -> str:
    return signing.dumps(representative_id, salt=MY_PAGE_SALT, compress=True)


def staff_token(staff_interviewer_id: int) -> str:
    return signing.dumps(staff_interviewer_id, salt=STAFF_SALT, compress=True)


def absolute(path: str) -> str:
    site_url: str = settings.SITE_URL
    return site_url.rstrip("/") + path


def seat_url(seat_id: int) -> str:
    return absolute(reverse("seat_link", args=[seat_token(seat_id)]))


def consent_url(representative_id: int) -> str:
    return absolute(reverse("consent_link", args=[representative_token(representative_id)]))


def my_page_url(representative_id: int) -> str:
    """ "My page"; valid for 30 days from the email that carries it."""
    return absolute(reverse("my_page", args=[my_page_token(representative_id)]))


def feedback_url(seat_id: int) -> str:
    """The representative's feedback form for the interview day of one seat."""
    return absolute(reverse("feedback_link", args=[seat_token(seat_id)]))


def staff_feedback_url(staff_interviewer_id: int) -> str:
    """A staff interviewer's feedback form for the interview day of their panel."""
    return absolute(reverse("staff_feedback_link", args=[staff_token(staff_interviewer_id)]))


# Reading tokens -----------------------------------------------------------------------------------


def seat_id_from_token(token: str) -> int:
    """The id of the seat a genuine seat link names; the seat is not read. Raises
    ``LinkNotValid``."""
    try:
        seat_id = signing.loads(token, salt=SEAT_SALT)
    except signing.BadSignature as error:
        raise LinkNotValid from error
    if not isinstance(seat_id, int):
        raise LinkNotValid
    return seat_id


def seat_for_link(seat_id: int) -> Seat:
    """The seat a genuine link names, with what its page shows. Raises ``LinkNotValid`` (no
    such seat, or its person was erased) or ``LinkExpired`` (its panel is over)."""
    # get(), not first(): first() orders by the panel's ordering. A seat whose person was
    # erased is asked for by its id alone and refused here: the filter cost the statement's
    # planning more than the check.
    try:
        seat = Seat.objects.select_related("panel__round__office", "representative").get(pk=seat_id)
    except Seat.DoesNotExist as error:
        raise LinkNotValid from error
    if seat.representative is None:
        raise LinkNotValid
    _refuse_when_panel_over(seat.panel)
    return seat


def seat_from_token(token: str) -> Seat:
    """The seat a seat link names, with what its page shows (``seat_for_link``)."""
    return seat_for_link(seat_id_from_token(token))


def representative_from_token(token: str, *, salt: str = REPRESENTATIVE_SALT) -> Representative:
    """The representative a consent link names. Raises ``LinkNotValid`` or ``LinkExpired``."""
    try:
        representative_id = signing.loads(token, salt=salt, max_age=REPRESENTATIVE_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        # The signature is genuine, only old: find the person to say which office to ask.
        representative_id = signing.loads(token, salt=salt)
        representative = Representative.objects.filter(pk=representative_id).first()
        if representative is None:
            raise LinkNotValid from error
        raise LinkExpired(list(representative.offices.all())) from error
    except signing.BadSignature as error:
        raise LinkNotValid from error
    representative = Representative.objects.filter(pk=representative_id).first()
    if representative is None:
        raise LinkNotValid
    if salt == REPRESENTATIVE_SALT and _issued_before_withdrawal(token, representative):
        raise LinkExpired(list(representative.offices.all()))
    return representative


def _issued_at(token: str) -> datetime:
    """The issue time a genuine token carries (``signing.dumps`` puts it before the signature)."""
    timestamp = token.rsplit(":", 2)[-2]
    return datetime.fromtimestamp(signing.b62_decode(timestamp), tz=UTC)


def _issued_before_withdrawal(token: str, representative: Representative) -> bool:
    """True for a consent link of a withdrawn person that was sent before they withdrew.

    Such a link must not make them active again (issue 15): someone who reads an old email,
    or anyone who has it, would undo the person's own decision. A withdrawal with no recorded
    moment (a person made active before consents were recorded) refuses every link: there is
    no moment to tell an old link from a new one.
    """
    if representative.status != RepresentativeStatus.WITHDRAWN:
        return False
    withdrawn = (
        ConsentGiven.objects.filter(representative=representative, withdrawn_at__isnull=False)
        .order_by("-withdrawn_at")
        .values_list("withdrawn_at", flat=True)
        .first()
    )
    # Signed times have whole seconds: a link sent in the second of the withdrawal is old.
    return withdrawn is None or _issued_at(token) <= withdrawn


def my_page_representative_from_token(token: str) -> Representative:
    """The representative a "my page" link names (30 days). Raises like a consent link."""
    return representative_from_token(token, salt=MY_PAGE_SALT)


def staff_interviewer_from_token(token: str) -> StaffInterviewer:
    """The staff interviewer a staff feedback link names. Raises ``LinkNotValid``."""
    try:
        staff_id = signing.loads(token, salt=STAFF_SALT)
    except signing.BadSignature as error:
        raise LinkNotValid from error
    staff = (
        StaffInterviewer.objects.select_related("panel__round__office").filter(pk=staff_id).first()
    )
    if staff is None:
        raise LinkNotValid
    _refuse_when_panel_over(staff.panel)
    return staff
