"""Liveness, readiness and metrics, as NAV's platform (NAIS) reaches them.

The kubelet probes ``/internal/isalive`` and ``/internal/isready`` over plain http on the pod's
own address (``Host: 10.0.0.7:8080``), and Prometheus scrapes ``/internal/metrics`` the same way.
Neither host is in ``ALLOWED_HOSTS`` and neither speaks https, so :class:`ProbeMiddleware`, first
in ``MIDDLEWARE``, answers these paths itself: before host validation, the https redirect,
sessions and logging. It answers them only to a request that came straight to the pod: one that
carries ``X-Forwarded-For`` came through an ingress or a reverse proxy, and gets 404 (README,
"Production"; docs/decisions.md, "Probes and metrics reach the pod, never the public").
"""

from collections.abc import Callable

from csp.utils import build_policy
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse

from navpanel.celery import app as celery_app

PROBE_PATHS = ("/internal/isalive", "/internal/isready", "/internal/metrics")


def isalive(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "alive"})


def isready(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer; 503 naming what does not."""
    problems: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        problems["database"] = type(error).__name__
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # noqa: BLE001
        problems["broker"] = type(error).__name__
    if problems:
        return JsonResponse({"status": "not ready", "problems": problems}, status=503)
    return JsonResponse({"status": "ready", "database": "ok", "broker": "ok"})


def metrics(request: HttpRequest) -> HttpResponse:
    from navpanel.metrics import exposition

    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/internal/isalive": isalive,
    "/internal/isready": isready,
    "/internal/metrics": metrics,
}


def came_through_a_proxy(request: HttpRequest) -> bool:
    """Whether an ingress or a reverse proxy forwarded the request (the kubelet never does)."""
    return "HTTP_X_FORWARDED_FOR" in request.META


class ProbeMiddleware:
    """Answer the platform's probes and scrapes before anything else looks at the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        if settings.PROBES_REFUSE_FORWARDED and came_through_a_proxy(request):
            return HttpResponseNotFound(b"", content_type="text/plain")
        response = probe(request)
        # The headers every other answer gets from SecurityMiddleware and django-csp, which a
        # probe never reaches.
        response["Cache-Control"] = "no-store, private"
        response["Content-Security-Policy"] = build_policy()
        response["X-Content-Type-Options"] = "nosniff"
        response["X-Frame-Options"] = "DENY"
        response["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
        response["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
        return response
