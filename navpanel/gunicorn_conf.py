"""gunicorn's configuration for the ``web`` role (``python -m navpanel.entrypoint web``).

Read by ``gunicorn -c python:navpanel.gunicorn_conf``; every value can be changed through the
environment. Workers default to 2 per CPU the container may use, plus one; on SIGTERM gunicorn
stops accepting, lets running requests finish for ``GUNICORN_GRACEFUL_TIMEOUT`` seconds (below
NAIS's 30 s grace period) and then exits. The access log is one JSON object per request, and
names no probe that answered well.
"""

import math
import os
from pathlib import Path
from typing import Any

from gunicorn import glogging

from navpanel.logs import redact_tokens, trace_id_from


def cpus(cgroup_cpu_max: Path = Path("/sys/fs/cgroup/cpu.max")) -> int:
    """CPUs this container may use: its cgroup's CPU limit when it has one, else the CPUs the
    process may run on. (A pod without a CPU limit sees the node's CPUs: NAIS manifests set
    GUNICORN_WORKERS for that reason.)"""
    try:
        quota, period = cgroup_cpu_max.read_text().split()
        if quota != "max":
            return max(1, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


bind = f"{os.environ.get('BIND_ADDRESS', '0.0.0.0')}:{os.environ.get('PORT', '8080')}"  # noqa: S104  # nosec B104: a pod listens on its own address
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * cpus() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 25))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 200))
# The kubelet and the ingress are the only peers; X-Forwarded-* is read by Django
# (navpanel.client_address), not by gunicorn.
forwarded_allow_ips = ""
# The read-only root: gunicorn's heartbeat files go to the one writable place.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = "navpanel.gunicorn_conf.JsonAccessLogger"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "navpanel.logs.JsonFormatter"}},
    "filters": {"tokens": {"()": "navpanel.logs.TokenFilter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["tokens"],
            "stream": "ext://sys.stdout",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["stdout"], "level": loglevel.upper()},
}

_PROBES = ("/internal/isalive", "/internal/isready", "/internal/metrics")


def loggable_path(path: str) -> str:
    """The path with a signed link's token replaced, so that the log holds no credential."""
    return redact_tokens(path)


class JsonAccessLogger(glogging.Logger):
    """One JSON object per request, with no query string, no token and no client address."""

    def access(self, resp: Any, req: Any, environ: dict, request_time: Any) -> None:
        path = environ.get("PATH_INFO", "")
        status = int(str(resp.status).split(None, 1)[0])
        if path in _PROBES and status < 400:
            return
        headers = dict((name.lower(), value) for name, value in resp.headers)
        self.access_log.info(
            "request",
            extra={
                "method": environ.get("REQUEST_METHOD"),
                "path": loggable_path(path),
                "status": status,
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "bytes": getattr(resp, "sent", None),
                "request_id": headers.get("x-request-id"),
                "trace_id": trace_id_from(environ.get("HTTP_TRACEPARENT")),
            },
        )


def on_starting(server: Any) -> None:
    """Start every run with empty metric files: the last run's workers are gone."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(server: Any, worker: Any) -> None:
    """A worker that ended leaves its live gauges behind; prometheus-client drops them."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
