"""The sender of an outbox message, built when it is sent (RFC 5322 addresses, never strings
glued together).

``From`` is the configured address (``DEFAULT_FROM_EMAIL``) under the name of the office the
email is about, or the configured name (for messages about no office, e.g. allauth's). An
office name is any text ("NAV Tromsø, Karlsøy og Balsfjord"): ``email.utils.formataddr``
quotes or encodes it, so the header holds one address whatever the name holds. ``Reply-To``
is the office's own address, else the addresses the message was queued with (its leaders), so
that a reply reaches people and not the no-reply mailbox.
"""

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
