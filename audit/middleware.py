"""Remember the address of the request being served, for audit events written by services."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .services import current_remote_addr


class AuditAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_remote_addr.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            current_remote_addr.reset(token)
