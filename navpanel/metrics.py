"""Prometheus metrics: what each request cost, and the state of navpanel's own work.

Request, latency and database metrics are counted in the process that served the request. Under
gunicorn each worker is its own process, so ``PROMETHEUS_MULTIPROC_DIR`` (set by
``navpanel.entrypoint`` under ``NAVPANEL_VAR_DIR``) makes prometheus-client write them to files
that any worker adds up when scraped. navpanel's own figures (the outbox, seats waiting for an
answer, export jobs, the last run of each beat job) are read from PostgreSQL and the cache at
scrape time by :class:`NavpanelCollector`, so every pod reports the same shared truth.
"""

import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from celery.signals import task_success
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "navpanel_http_requests",
    "HTTP requests served, by method, view and status.",
    ["method", "view", "status"],
)
LATENCY = Histogram(
    "navpanel_http_request_duration_seconds",
    "Time from the first middleware to the response, by method and view.",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DB_QUERIES = Histogram(
    "navpanel_db_query_duration_seconds",
    "Time each database query of a request took.",
    ["vendor"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0),
)
DB_ERRORS = Counter(
    "navpanel_db_query_errors", "Database queries of a request that raised.", ["vendor"]
)
CACHE_ERRORS = Counter(
    "navpanel_cache_check_errors", "Scrapes at which the cache did not answer a round trip."
)

BEAT_LAST_RUN_KEY = "metrics:beat-last-run:{}"


def _view_name(request: HttpRequest) -> str:
    """The URL pattern's name (never the path: it holds ids and signed tokens)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "<unresolved>"
    return match.view_name or "<unnamed>"


class RequestMetricsMiddleware:
    """Count every request, its latency, and the time of each query it ran."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        with connection.execute_wrapper(_timed_query):
            response = self.get_response(request)
        view = _view_name(request)
        LATENCY.labels(request.method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, view, str(response.status_code)).inc()
        return response


def _timed_query(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    except Exception:
        DB_ERRORS.labels(connection.vendor).inc()
        raise
    finally:
        DB_QUERIES.labels(connection.vendor).observe(time.perf_counter() - started)


@task_success.connect
def beat_job_record_run(sender: Any = None, **_signal: Any) -> None:
    """Remember when each periodic job last finished, in the cache every pod shares."""
    name = getattr(sender, "name", "")
    if name in beat_task_names():
        try:
            cache.set(BEAT_LAST_RUN_KEY.format(name), time.time(), timeout=None)
        except Exception:  # noqa: BLE001, S110  # nosec B110: a metric must never fail a task
            pass


def beat_task_names() -> set[str]:
    return {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}


class NavpanelCollector(Collector):
    """navpanel's own gauges, read at scrape time from the shared database and cache."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        outbox = apps.get_model("outbox", "OutboxMessage").objects
        by_status = GaugeMetricFamily(
            "navpanel_outbox_messages", "Outbox messages by status.", labels=["status"]
        )
        counts = dict(outbox.values_list("status").annotate(n=Count("id")).order_by())
        for status in ("queued", "sending", "sent", "failed"):
            by_status.add_metric([status], counts.get(status, 0))
        yield by_status

        oldest = outbox.filter(status__in=["queued", "sending"]).aggregate(at=Min("created_at"))
        age = (now - oldest["at"]).total_seconds() if oldest["at"] else 0.0
        yield GaugeMetricFamily(
            "navpanel_outbox_oldest_unsent_age_seconds",
            "Age of the oldest outbox message not yet sent (0 when none waits).",
            value=age,
        )
        yield GaugeMetricFamily(
            "navpanel_outbox_failed_last_hour",
            "Outbox messages that ended failed after their last attempt in the past hour.",
            value=outbox.filter(status="failed", claimed_at__gte=now - timedelta(hours=1)).count(),
        )
        yield GaugeMetricFamily(
            "navpanel_seats_awaiting_answer",
            "Seats invited and not yet answered.",
            value=apps.get_model("panels", "Seat").objects.filter(status="invited").count(),
        )
        exports = GaugeMetricFamily(
            "navpanel_export_jobs", "Roster export jobs by status.", labels=["status"]
        )
        jobs = apps.get_model("rosters", "ExportJob").objects
        counts = dict(jobs.values_list("status").annotate(n=Count("id")).order_by())
        for status in ("pending", "running", "done", "failed"):
            exports.add_metric([status], counts.get(status, 0))
        yield exports

        last_run = GaugeMetricFamily(
            "navpanel_beat_job_last_success_timestamp_seconds",
            "When each periodic job last finished without error (Unix time; absent if never).",
            labels=["job"],
        )
        names = sorted(beat_task_names())
        try:
            runs = cache.get_many([BEAT_LAST_RUN_KEY.format(name) for name in names])
        except Exception:  # noqa: BLE001 - the cache down: report what is known, count it
            CACHE_ERRORS.inc()
            runs = {}
        for name in names:
            at = runs.get(BEAT_LAST_RUN_KEY.format(name))
            if at is not None:
                last_run.add_metric([name], at)
        yield last_run
        yield _cache_round_trip()


def _cache_round_trip() -> GaugeMetricFamily:
    """How long one write and read of the shared cache takes (-1 when it failed)."""
    started = time.perf_counter()
    try:
        cache.set("metrics:probe", 1, timeout=60)
        cache.get("metrics:probe")
        seconds = time.perf_counter() - started
    except Exception:  # noqa: BLE001
        CACHE_ERRORS.inc()
        seconds = -1.0
    return GaugeMetricFamily(
        "navpanel_cache_round_trip_seconds",
        "Time of one set and get on the shared cache at scrape time (-1 when it failed).",
        value=seconds,
    )


def exposition() -> tuple[bytes, str]:
    """The text a Prometheus scrape gets: this pod's processes, then navpanel's own gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    own = CollectorRegistry()
    own.register(NavpanelCollector())
    return generate_latest(processes) + generate_latest(own), CONTENT_TYPE_PLAIN_0_0_4
