"""The sender of an outbox message, built when it is sent (RFC 5322 addresses, never strings
glued together).

``From`` is the configured address (``DEFAULT_FROM_EMAIL``) under the name of the office the
email is about, or the configured name (for messages about no office, e.g. allauth's). An
office name is any text ("NAV Tromsø, Karlsøy og Balsfjord"): ``email.utils.formataddr``
quotes or encodes it, so the header holds one address whatever the name holds. ``Reply-To``
is the office's own address, else the addresses the message was queued with (its leaders), so
that a reply reaches people and not the no-reply mailbox.
"""

import re
import unicodedata
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from .models import OutboxMessage

# The display name of messages about no office when DEFAULT_FROM_EMAIL names none.
FALLBACK_NAME = "NAV"


def sender_address() -> str:
    """The bare address every message is sent from."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def message_senders(message: "OutboxMessage") -> tuple[str, list[str]]:
    """``From`` and the ``Reply-To`` addresses of ``message``, as headers ready to send."""
    default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    office = message.office
    name = " ".join(office.name.split()) if office is not None else default_name or FALLBACK_NAME
    if office is not None and office.email:
        reply_to = [formataddr((name, office.email))]
    else:
        reply_to = [formataddr(("", reply)) for reply in message.reply_to]
    return formataddr((name, address)), reply_to


# An alphanumeric SMS sender: at most 11 characters, ASCII letters, digits and spaces
# (GatewayAPI, like every gateway, refuses or mangles anything else).
SMS_SENDER_MAX = 11
_NOT_SENDER = re.compile(r"[^A-Za-z0-9 ]+")
_FOLDED = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A", "ß": "ss"})


def sms_sender_name(name: str) -> str:
    """An office's name as an SMS sender: ``NAV Tromsø, Karlsøy og Balsfjord`` → ``NAV Tromso``.

    Letters are folded to ASCII (ø → o, á → a), everything else but digits and spaces goes,
    and whole words are kept while they fit in 11 characters; a first word longer than that is
    cut. Empty when nothing is left.
    """
    ascii_name = (
        unicodedata.normalize("NFKD", name.translate(_FOLDED))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    words = _NOT_SENDER.sub(" ", ascii_name).split()
    sender = ""
    for word in words:
        candidate = f"{sender} {word}".strip()
        if len(candidate) > SMS_SENDER_MAX:
            break
        sender = candidate
    if not sender and words:
        sender = words[0][:SMS_SENDER_MAX]
    return sender


def sms_sender(message: "OutboxMessage") -> str:
    """The sender an SMS shows: its office's name where it fits, else ``SMS_SENDER``."""
    name = sms_sender_name(message.office.name) if message.office is not None else ""
    return name or sms_sender_name(settings.SMS_SENDER) or "NAV"
