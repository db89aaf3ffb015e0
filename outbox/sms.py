"""SMS backends, chosen by ``SMS_URL`` as ``EMAIL_URL`` chooses the mail backend.

- ``file://`` (the default; ``file:///some/dir`` elsewhere than ``SMS_FILE_PATH``): each SMS a
  JSON file in ``var/sms/``, for ``make run``; the development mail page shows them too.
- ``console://``: each SMS printed on standard output.
- ``locmem://``: kept in ``outbox.sms.sent`` (the test settings').
- ``gatewayapi://TOKEN@gatewayapi.eu``: GatewayAPI's REST API (``POST /rest/mtsms``,
  docs: gatewayapi.com/docs/apis/rest), from its EU platform, with the API token as the user
  of HTTP Basic authentication, as its documentation shows. ``gatewayapi+http://`` is the same
  over plain HTTP, for the suite's fake gateway on loopback only.

Failures are sorted as the mail backends' are (``outbox.services.error_is_permanent``): a
refusal of *this message* (400, 413, 422 and other 4xx about the request) fails it for good;
credentials and permissions (401, 403), a wrong URL (404), throttling (429, whose
``Retry-After`` is kept), the gateway's own errors (5xx), time-outs and refused connections
pass, and the outbox tries again later.
"""

import base64
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Sms:
    """One SMS as a backend sends it. ``reference`` names the outbox row (``outbox-42``) and is
    the same on every attempt, so that an SMS sent twice is recognisably the same one."""

    to: str
    sender: str
    text: str
    reference: str


class SmsSendError(Exception):
    """The gateway did not take the SMS. ``permanent``: refused for good; otherwise the outbox
    tries again, after ``retry_after`` seconds at the earliest when the gateway said so."""

    def __init__(
        self, message: str, *, status: int | None, permanent: bool, retry_after: float = 0.0
    ) -> None:
        super().__init__(message)
        self.status = status
        self.permanent = permanent
        self.retry_after = retry_after


class SmsBackend:
    def send(self, sms: Sms) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    def send(self, sms: Sms) -> None:
        sys.stdout.write(f"SMS {sms.reference} to {sms.to} from {sms.sender}:\n{sms.text}\n\n")
        sys.stdout.flush()


class FileSmsBackend(SmsBackend):
    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def send(self, sms: Sms) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self.path / f"{stamp}-{sms.reference}.json"
        target.write_text(json.dumps(asdict(sms), ensure_ascii=False, indent=2), "utf-8")


# What the locmem backend sent, in order (tests read and empty it).
sent: list[Sms] = []
_sent_lock = threading.Lock()


class LocmemSmsBackend(SmsBackend):
    def send(self, sms: Sms) -> None:
        with _sent_lock:
            sent.append(sms)


# Statuses that are about the request itself, not about us or the gateway: refused for good.
_PASSING_CLIENT_ERRORS = {401, 403, 404, 408, 409, 425, 429}


class GatewayApiBackend(SmsBackend):
    """GatewayAPI's ``POST /rest/mtsms``: one message, one recipient, JSON."""

    def __init__(self, *, base_url: str, token: str, timeout: float) -> None:
        self.url = base_url.rstrip("/") + "/rest/mtsms"
        self.token = token
        self.timeout = timeout

    def send(self, sms: Sms) -> None:
        body = json.dumps(
            {
                "sender": sms.sender,
                "message": sms.text,
                "recipients": [{"msisdn": int(sms.to.lstrip("+"))}],
                "userref": sms.reference,
            }
        ).encode()
        credentials = base64.b64encode(f"{self.token}:".encode()).decode("ascii")
        request = urllib.request.Request(  # noqa: S310 - the scheme is fixed by sms_backend
            self.url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        host = urllib.parse.urlsplit(self.url).netloc
        try:
            with urllib.request.urlopen(  # noqa: S310  # nosec B310: http(s) only, see sms_backend
                request, timeout=self.timeout
            ) as response:
                response.read()
                return
        except urllib.error.HTTPError as error:
            status = error.code
            detail = _detail(error.read())
            retry_after = _seconds(error.headers.get("Retry-After") if error.headers else None)
        except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as error:
            raise SmsSendError(
                f"no answer from {host}: {error!r}", status=None, permanent=False
            ) from error
        permanent = 400 <= status < 500 and status not in _PASSING_CLIENT_ERRORS
        raise SmsSendError(
            f"{host} answered {status}: {detail}",
            status=status,
            permanent=permanent,
            retry_after=retry_after,
        )


def _detail(body: bytes) -> str:
    """The gateway's own words (its JSON ``code`` and ``message``), short."""
    try:
        answer = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace")
    if isinstance(answer, dict):
        return " ".join(str(answer[k]) for k in ("code", "message") if answer.get(k))[:300]
    return str(answer)[:300]


def _seconds(value: str | None) -> float:
    try:
        return max(float(value or 0), 0.0)
    except ValueError:
        return 0.0


def sms_backend() -> SmsBackend:
    """The backend ``SMS_URL`` names."""
    url = urllib.parse.urlsplit(settings.SMS_URL)
    scheme = url.scheme
    if scheme == "console":
        return ConsoleSmsBackend()
    if scheme == "locmem":
        return LocmemSmsBackend()
    if scheme == "file":
        if not settings.DEBUG:
            # The default, left by mistake in production: the SMS would be "sent" into a file in
            # the pod. It passes instead, and fails for good (on the leaders' dashboard) if
            # SMS_URL is never set.
            raise SmsSendError(
                "SMS_URL is not set: the file backend is for development (DEBUG) only",
                status=None,
                permanent=False,
            )
        return FileSmsBackend(url.path or settings.SMS_FILE_PATH)
    if scheme in {"gatewayapi", "gatewayapi+http"}:
        protocol = "http" if scheme == "gatewayapi+http" else "https"
        host = url.hostname or "gatewayapi.eu"
        port = f":{url.port}" if url.port else ""
        return GatewayApiBackend(
            base_url=f"{protocol}://{host}{port}{url.path}",
            token=urllib.parse.unquote(url.username or ""),
            timeout=settings.SMS_TIMEOUT,
        )
    raise ValueError(f"SMS_URL: unknown scheme {scheme!r}")
