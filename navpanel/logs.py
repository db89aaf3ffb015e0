"""Logs as NAIS reads them: one JSON object per line on stdout, or plain text for the demo.

Every line carries ``level``, ``logger``, ``message``, a ``timestamp``, and — inside a request or
a Celery task — ``request_id`` and ``trace_id``, so that Loki can gather one request's lines
across web, worker and the access log. Messages never name a person: code logs ids only (the
log test of a whole journey, tests/test_logs_json.py, holds it to that).
"""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
trace_id: ContextVar[str | None] = ContextVar("trace_id", default=None)

# Link tokens (panels.links) are values signed by django.core.signing: payload, base62 time and
# signature joined by ":" ("%3A" in a raw request line). No route of ours has a ":" otherwise,
# so a path segment holding one is a token; a signed value elsewhere in a text is one too.
_TOKEN_SEGMENT = re.compile(r"(?<=/)[\w.\-]*(?::|%3[Aa])[^/\s\"'?#]*")
_SIGNED_VALUE = re.compile(r"[\w.\-]+(?::|%3[Aa])[0-9A-Za-z]+(?::|%3[Aa])[\w\-]{20,}")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")


def trace_id_from(traceparent: str | None) -> str | None:
    """The trace id of a W3C ``traceparent`` header (what OpenTelemetry and NAIS propagate)."""
    match = _TRACEPARENT.match((traceparent or "").strip().lower())
    if match is None or match.group(1) == "0" * 32:
        return None
    return match.group(1)


def request_id_from(header: str | None) -> str:
    """The ``X-Request-Id`` the ingress set, when it looks like an id; a new one otherwise."""
    if header and _SAFE_ID.match(header):
        return header
    return uuid.uuid4().hex


def redact_tokens(text: str) -> str:
    """``text`` with every signed token replaced by ``<token>``: a log shows the route only."""
    return _SIGNED_VALUE.sub("<token>", _TOKEN_SEGMENT.sub("<token>", text))


class TokenFilter(logging.Filter):
    """Take link tokens out of every record a handler writes (issue 15).

    A signed link carries its token in the path, and runserver's request lines, Django's
    "Not Found: /r/plass/…" warnings and their ``request`` attribute would otherwise write it
    to the log, where anyone who reads the log could open the person's page.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        for name, value in list(vars(record).items()):
            if name == "request" and value is not None and not isinstance(value, str):
                # Django's request loggers attach the HttpRequest; its repr holds the path.
                setattr(record, name, redact_tokens(repr(value)))
            elif isinstance(value, str) and name not in ("msg", "message"):
                setattr(record, name, redact_tokens(value))
        return True


def _current_trace_id() -> str | None:
    """The active OpenTelemetry span's trace id, when auto-instrumentation runs; else ours."""
    try:
        from opentelemetry import trace
    except ImportError:
        return trace_id.get()
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        return f"{context.trace_id:032x}"
    return trace_id.get()


class JsonFormatter(_JsonFormatter):
    """python-json-logger with the field names NAIS's log views expect."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("timestamp", "timestamp")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(self, log_record: dict, record: Any, message_dict: dict) -> None:
        super().add_fields(log_record, record, message_dict)
        log_record.setdefault("request_id", request_id.get() or _celery_task_id())
        log_record.setdefault("trace_id", _current_trace_id())


def _celery_task_id() -> str | None:
    """Inside a Celery task, its id stands for the request id."""
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover - Celery is a runtime dependency
        return None
    task = current_task
    return getattr(getattr(task, "request", None), "id", None) if task else None


class RequestContextMiddleware:
    """Give every log line of a request its request id and trace id; echo the request id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_from(request.headers.get("X-Request-Id"))
        tokens = (
            request_id.set(rid),
            trace_id.set(trace_id_from(request.headers.get("traceparent"))),
        )
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(tokens[0])
            trace_id.reset(tokens[1])
        response["X-Request-Id"] = rid
        return response


def logging_config(*, log_format: str, level: str) -> dict:
    """Django's ``LOGGING``: JSON or plain text on stdout, one handler for every logger."""
    formatter = (
        {"()": "navpanel.logs.JsonFormatter"}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "filters": {"tokens": {"()": "navpanel.logs.TokenFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["tokens"],
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own request and server loggers log to their handlers and propagate;
            # with the root handler above they would print twice, and in Django's format.
            "django": {"handlers": [], "propagate": True},
            "django.server": {"handlers": [], "propagate": True},
            "celery": {"handlers": [], "propagate": True},
        },
    }
