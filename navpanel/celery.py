"""The Celery app: configured from Django settings (``CELERY_*``), tasks found in each app."""

import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging, task_postrun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "navpanel.settings")

app = Celery("navpanel")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def logging_from_django_settings(**_signal: Any) -> None:
    """Worker and beat log as web does (``LOGGING``: JSON on NAIS), not in Celery's own format."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


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
