"""The SMS of the panels app (issue 19): a kind each, beside the emails' ``EmailKind``.

An SMS goes to a representative who chose SMS (or both), for the messages the issue names: the
consent request (and its renewal and resending, and a new link to "my page", without which a
person without email could not answer at all), the invitation and its answer reminder, the
reminders before the day, a move, the end of a seat (cancelled, taken off, can't come) and the
feedback request, and the confirmation of a withdrawal (the only SMS without a link: the person is
gone when it arrives). Each is at most ``MAX_SEGMENTS`` SMS long: written short, with a short link
(``panels.short_links``) instead of the signed link, in GSM-7 where the names allow, and with
the office's and position's names shortened when the text would not fit otherwise.

A kind's value is its email's (``invitation``): the outbox row's ``channel`` tells them apart,
so that asking the outbox "was the consent renewal delivered" counts an SMS as delivered too.
Its key is the email's with ``sms:`` before it, so each goes once, as the email does.
"""

import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.template import Context, Engine
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outbox.models import Channel
from outbox.segments import gsm_friendly, is_gsm7, segments
from outbox.services import message_enqueue

from ..models import Representative, Seat, ShortLink
from ..short_links import short_link_create, short_url
from .kinds import _ABOUT, EmailKind

if TYPE_CHECKING:
    from interviews.models import Office

MAX_SEGMENTS = 2
# The fields an SMS may shorten to fit, longest first; never below this many characters.
SHORTENED = ("position", "office", "offices", "location", "name")
SHORTEST = 12


class SmsKind(models.TextChoices):
    CONSENT_REQUEST = EmailKind.CONSENT_REQUEST.value, gettext_lazy("Consent request")
    CONSENT_REQUEST_RESENT = (
        EmailKind.CONSENT_REQUEST_RESENT.value,
        gettext_lazy("Consent request, sent again"),
    )
    CONSENT_RENEWAL = EmailKind.CONSENT_RENEWAL.value, gettext_lazy("Consent renewal")
    MY_PAGE_LINK = EmailKind.MY_PAGE_LINK.value, gettext_lazy("Link to my page")
    INVITATION = EmailKind.INVITATION.value, gettext_lazy("Invitation")
    ANSWER_REMINDER = EmailKind.ANSWER_REMINDER.value, gettext_lazy("Reminder to answer")
    REMINDER = EmailKind.REMINDER.value, gettext_lazy("Reminder")
    MOVED = EmailKind.MOVED.value, gettext_lazy("New time")
    CANCELLED = EmailKind.CANCELLED.value, gettext_lazy("Cancellation")
    TAKEN_OFF = EmailKind.TAKEN_OFF.value, gettext_lazy("Taken off the panel")
    CANT_COME = EmailKind.CANT_COME.value, gettext_lazy("Cannot come after all")
    FEEDBACK_REQUEST = EmailKind.FEEDBACK_REQUEST.value, gettext_lazy("Feedback request")
    ERASED_CONFIRMATION = EmailKind.ERASED_CONFIRMATION.value, gettext_lazy("Erasure confirmed")

    @property
    def template(self) -> str:
        name = "consent_request" if self == SmsKind.CONSENT_REQUEST_RESENT else self.value
        return f"sms/{name}.txt"

    @property
    def about_type(self) -> str:
        return _ABOUT[self.value]

    def key(self, about_id: int, *parts: object) -> str:
        return "sms:" + EmailKind(self.value).key(about_id, *parts)


def sms_render(template: str, context: dict[str, object], language: str) -> str:
    """The SMS text of ``template`` in ``language``, within ``MAX_SEGMENTS`` SMS.

    Rendered as plain text on one paragraph, typography in its GSM-7 twin. If it is too long,
    the longest of the ``SHORTENED`` fields is cut (with "...") a little at a time, and if that
    is not enough, letters outside GSM-7 (a Sámi office name) are written without their marks.
    """
    fitted = dict(context)
    text = _render(template, fitted, language)
    while segments(text) > MAX_SEGMENTS:
        field = max(
            (name for name in SHORTENED if isinstance(fitted.get(name), str)),
            key=lambda name: len(str(fitted[name])),
            default=None,
        )
        if field is None or len(str(fitted[field])) <= SHORTEST:
            break
        value = str(fitted[field])
        fitted[field] = value[: max(len(value) - 8, SHORTEST - 3)].rstrip(" ,-") + "..."
        text = _render(template, fitted, language)
    if segments(text) > MAX_SEGMENTS and not is_gsm7(text):
        text = _gsm_fold(text)
    return text


def _render(template: str, context: dict[str, object], language: str) -> str:
    with translation.override(language):
        raw = Engine.get_default().get_template(template).render(Context(context, autoescape=False))
    return gsm_friendly(" ".join(raw.split()))


def _gsm_fold(text: str) -> str:
    """Each letter outside GSM-7 as its base letter (á → a, š → s), where that is in GSM-7."""
    folded = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)[0]
        folded.append(char if is_gsm7(char) or not is_gsm7(base) else base)
    return "".join(folded)


def sms_when(starts_at: datetime, ends_at: datetime | None, language: str) -> str:
    """``12.10.2026 kl. 09:00-15:00``: the short date and time of an SMS (Oslo time)."""
    start = timezone.localtime(starts_at)
    with translation.override(language):
        time = formats.time_format(start.time(), "H:i")
        if ends_at is not None:
            end = timezone.localtime(ends_at)
            if end.date() == start.date():
                time = f"{time}-{formats.time_format(end.time(), 'H:i')}"
        return _("%(date)s at %(time)s") % {"date": f"{start:%d.%m.%Y}", "time": time}


def sms_date(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y}"


def send_sms(
    kind: SmsKind,
    *,
    representative: Representative,
    about_id: int,
    key_parts: tuple[object, ...] = (),
    context: dict[str, object],
    link: str | None,
    seat: Seat | None = None,
    office: "Office | None",
    supersede: bool = False,
) -> bool:
    """Render ``kind`` for ``representative`` and queue it as an SMS; True if this call
    queued it. ``link`` is the signed link the SMS points to, sent as a short link."""
    short: ShortLink | None = None
    if link is not None:
        short = short_link_create(url=link, representative=representative, seat=seat)
        context = {**context, "link": short_url(short)}
    text = sms_render(kind.template, context, representative.language)
    _message, queued = message_enqueue(
        key=kind.key(about_id, *key_parts),
        kind=kind.value,
        channel=Channel.SMS,
        about=(kind.about_type, about_id),
        to=representative.phone,
        subject="",
        body_text=text,
        office=office,
        representative_id=representative.pk,
        supersede=supersede,
    )
    if not queued and short is not None:
        # This SMS was queued before, with its own short link: this one points nowhere.
        short.delete()
    return queued
