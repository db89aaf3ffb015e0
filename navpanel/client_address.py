"""The address of the person at the other end, behind the proxies we run.

On NAIS a request passes the ingress (and, with the login sidecar, Wonderwall) before it reaches
gunicorn, so ``REMOTE_ADDR`` is the last proxy's address for everyone. Each proxy appends the
address it was called from to ``X-Forwarded-For``; with ``NAVPANEL_TRUSTED_PROXIES`` = N the
real client is the N-th address from the right — the one our outermost proxy saw. Addresses
further left were written by the client and can be anything, so they are never trusted.

:class:`ClientAddressMiddleware` puts that address in ``REMOTE_ADDR`` (the proxy's stays in
``PROXY_REMOTE_ADDR``) before anything reads it, so allauth's rate limits, the audit log and the
API's refusal cap all count the same, real address (docs/decisions.md, "The real client
address").
"""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def client_address(*, remote_addr: str | None, forwarded_for: str | None, trusted: int) -> str:
    """The client's address, given the peer's address, ``X-Forwarded-For`` and the proxy count.

    With fewer forwarded addresses than trusted proxies (a request that bypassed a proxy) the
    leftmost, which one of ours wrote, is taken; an entry that is not an address is ignored
    in favour of the peer.
    """
    peer = remote_addr or ""
    if trusted <= 0 or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if not hops:
        return peer
    candidate = hops[-min(trusted, len(hops))]
    if candidate.startswith("[") and "]" in candidate:  # "[2001:db8::1]:443"
        candidate = candidate[1 : candidate.index("]")]
    elif candidate.count(":") == 1:  # "192.0.2.1:51234"
        candidate = candidate.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer


class ClientAddressMiddleware:
    """Replace the proxy's address in ``REMOTE_ADDR`` with the real client's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = settings.NAVPANEL_TRUSTED_PROXIES
        if trusted > 0:
            meta = request.META
            meta["PROXY_REMOTE_ADDR"] = meta.get("REMOTE_ADDR", "")
            meta["REMOTE_ADDR"] = client_address(
                remote_addr=meta.get("REMOTE_ADDR"),
                forwarded_for=meta.get("HTTP_X_FORWARDED_FOR"),
                trusted=trusted,
            )
        return self.get_response(request)
