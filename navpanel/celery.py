"""The Celery app: configured from Django settings (``CELERY_*``), tasks found in each app."""

import logging
import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging, task_postrun, worker_ready, worker_shutting_down

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "navpanel.settings")

app = Celery("navpanel")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("celery.worker")


@setup_logging.connect
def logging_from_django_settings(**_signal: Any) -> None:
    """Worker and beat log as web does (``LOGGING``: JSON on NAIS), not in Celery's own format."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@worker_ready.connect
def shutdown_told_in_the_log(*, sender: Any = None, **_signal: Any) -> None:
    """Celery's SIGTERM handler prints "worker: Warm shutdown (MainProcess)" straight to
    stdout, the one line of a pod that is not JSON. Install the same handler again without its
    print; ``shutdown_logged`` says it through logging instead (JSON on NAIS)."""
    # celery-types leaves out this module-level function of celery.apps.worker.
    from celery.apps.worker import install_worker_term_handler  # type: ignore[attr-defined]

    install_worker_term_handler(sender.controller, verbose=False)


@worker_shutting_down.connect
def shutdown_logged(*, sig: str = "", how: str = "", **_signal: Any) -> None:
    logger.info("worker: %s shutdown on %s", how.lower(), sig)


@app.on_after_finalize.connect
def metrics_connect(**_signal: Any) -> None:
    """Record each periodic job's last success for /internal/metrics (navpanel.metrics)."""
    import navpanel.metrics  # noqa: F401 - connects its task_success receiver


@task_postrun.connect
def database_connections_tidy(*, task: Any = None, **_signal: Any) -> None:
    """After each task, what Django does after each request: close a database connection that
    is too old or broke (``CONN_MAX_AGE``; the next task checks it with ``CONN_HEALTH_CHECKS``).

    ``CELERY_DB_REUSE_MAX`` stops Celery from closing the connection after every task; this
    keeps a connection that a restart of the database broke from failing task after task.
    Not for tasks run eagerly, inside someone else's transaction.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
