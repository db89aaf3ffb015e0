"""The Celery app: configured from Django settings (``CELERY_*``), tasks found in each app."""

import os
from typing import Any

from celery import Celery
from celery.signals import task_postrun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "navpanel.settings")

app = Celery("navpanel")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
