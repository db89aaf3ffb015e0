"""Signed links for representatives, who never sign in.

A token names one seat (or one representative, for "my page") and nothing else: no name, no
email. It is signed with the project's secret and carries its issue time; the page checks its
age against the seat's own deadline, so a link keeps working when the interview moves.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SEAT_SALT = "navpanel.seat"
REPRESENTATIVE_SALT = "navpanel.representative"
MY_PAGE_SALT = "navpanel.my_page"
STAFF_SALT = "navpanel.staff_interviewer"


def seat_token(seat_id: int) -> str:
    return signing.dumps(seat_id, salt=SEAT_SALT, compress=True)


def representative_token(representative_id: int) -> str:
    return signing.dumps(representative_id, salt=REPRESENTATIVE_SALT, compress=True)


def my_page_token(representative_id: int) -> str:
    return signing.dumps(representative_id, salt=MY_PAGE_SALT, compress=True)


def staff_token(staff_interviewer_id: int) -> str:
    return signing.dumps(staff_interviewer_id, salt=STAFF_SALT, compress=True)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


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
