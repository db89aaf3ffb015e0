"""Email through Microsoft Graph's ``sendMail``, for NAIS, where no SMTP relay is documented.

``EMAIL_URL=graph://`` selects it. It signs in as the application with Entra ID's client
credentials (``AZURE_APP_CLIENT_ID``/``AZURE_APP_CLIENT_SECRET`` at
``AZURE_OPENID_CONFIG_TOKEN_ENDPOINT``, the variables NAIS injects) and posts each message as
MIME to ``/users/{GRAPH_SENDER}/sendMail``, so the email Graph sends is the one the outbox
rendered: the same ``Message-ID``, HTML part and calendar file as by SMTP.

Failures are sorted the way ``outbox.services.error_is_permanent`` sorts SMTP's: a refusal of
*this message* (400, 413 and other 4xx about the request) fails it for good; throttling (429),
the service's own errors (5xx), credentials or permissions (401, 403, 404 for the mailbox: the
settings are wrong, and once they are fixed the message should go), time-outs and lost
connections pass, and the outbox tries again later. A 429 whose ``Retry-After`` is short is
waited out within the attempt (Graph took nothing, so sending again cannot duplicate); a longer
one passes, and the outbox waits at least that long before the next attempt.
"""

import base64
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)

SCOPE = "https://graph.microsoft.com/.default"
# A Retry-After up to this long is waited out inside the attempt; a longer one ends it.
RETRY_AFTER_WAIT_MAX_SECONDS = 30
# Throttled answers waited out within one attempt before it is given up as passing.
THROTTLED_TRIES = 3
# Renew the token this long before Entra ID says it expires.
TOKEN_MARGIN_SECONDS = 120

_token_lock = threading.Lock()
_token: tuple[str, float] | None = None


class GraphSendError(Exception):
    """Graph did not take the message. ``permanent``: refused for good (the outbox marks the
    message failed); otherwise it passes and the outbox tries again, after ``retry_after``
    seconds at the earliest when Graph said so."""

    def __init__(
        self, message: str, *, status: int | None, permanent: bool, retry_after: float = 0.0
    ) -> None:
        super().__init__(message)
        self.status = status
        self.permanent = permanent
        self.retry_after = retry_after


def _post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """POST and return (status, headers, body) for every HTTP answer, error statuses included."""
    if not url.startswith(("https://", "http://")):
        raise GraphSendError("not an http URL", status=None, permanent=False)
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(  # noqa: S310  # nosec B310: checked to be http(s) above
            request, timeout=settings.EMAIL_TIMEOUT
        ) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers or {}), error.read()
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as error:
        raise GraphSendError(
            f"no answer from {urllib.parse.urlsplit(url).netloc}: {error!r}",
            status=None,
            permanent=False,
        ) from error


def _access_token() -> str:
    """The application's token for Graph (client credentials), kept until shortly before it
    expires; one request for it at a time per process."""
    global _token
    with _token_lock:
        if _token is not None and _token[1] > time.monotonic():
            return _token[0]
        status, _headers, body = _post(
            settings.AZURE_OPENID_CONFIG_TOKEN_ENDPOINT,
            urllib.parse.urlencode(
                {
                    "grant_type": "client_credentials",
                    "client_id": settings.AZURE_APP_CLIENT_ID,
                    "client_secret": settings.AZURE_APP_CLIENT_SECRET,
                    "scope": SCOPE,
                }
            ).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 200:
            raise GraphSendError(
                f"Entra ID gave no token: {status} {_error_code(body)}",
                status=status,
                permanent=False,
            )
        answer = json.loads(body)
        lifetime = max(int(answer.get("expires_in", 3600)) - TOKEN_MARGIN_SECONDS, 0)
        _token = (answer["access_token"], time.monotonic() + lifetime)
        return _token[0]


def token_forget() -> None:
    """Drop the kept token (after a 401, or between tests)."""
    global _token
    with _token_lock:
        _token = None


def _error_code(body: bytes) -> str:
    """Graph's error code and message, e.g. ``ErrorInvalidRecipients: …`` (no addresses are
    added here; the outbox masks any the text holds)."""
    try:
        error = json.loads(body).get("error", {})
    except (ValueError, AttributeError):
        return body[:200].decode("utf-8", "replace")
    if isinstance(error, str):
        return error
    return f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")


def _retry_after(headers: dict[str, str]) -> float:
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), "")
    try:
        return max(float(value), 0.0)
    except ValueError:
        return 0.0


def _is_permanent(status: int) -> bool:
    if status in (401, 403, 404, 408, 429):
        return False
    return 400 <= status < 500


def sender() -> str:
    """The mailbox Graph sends from: GRAPH_SENDER, else the address of DEFAULT_FROM_EMAIL."""
    return settings.GRAPH_SENDER or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def message_send(message: EmailMessage) -> None:
    """Hand one message to Graph; returns once Graph accepted it (202), else GraphSendError."""
    url = f"{settings.GRAPH_API_URL.rstrip('/')}/users/{urllib.parse.quote(sender())}/sendMail"
    # django-stubs 6.1 types message() as Django 6's stdlib EmailMessage; Django 5.2 returns a
    # SafeMIME* message, whose as_bytes takes the line separator.
    mime = base64.b64encode(message.message().as_bytes(linesep="\r\n"))  # type: ignore[call-arg]
    for _try in range(THROTTLED_TRIES):
        status, headers, body = _post(
            url,
            mime,
            {"Authorization": f"Bearer {_access_token()}", "Content-Type": "text/plain"},
        )
        if status in (200, 202):
            return
        if status == 401:
            token_forget()
        retry_after = _retry_after(headers) if status in (429, 503) else 0.0
        if status == 429 and retry_after <= RETRY_AFTER_WAIT_MAX_SECONDS:
            logger.info("outbox: Graph throttles; waiting %s s as it asks", retry_after)
            time.sleep(retry_after)
            continue
        raise GraphSendError(
            f"Graph answered {status} {_error_code(body)}",
            status=status,
            permanent=_is_permanent(status),
            retry_after=retry_after,
        )
    raise GraphSendError(
        "Graph kept throttling", status=429, permanent=False, retry_after=retry_after
    )


class GraphEmailBackend(BaseEmailBackend):
    """Django's mail backend interface over ``message_send``: a failure raises, so that the
    outbox records the attempt (``fail_silently`` is honoured for callers outside it)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                message_send(message)
            except GraphSendError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent
