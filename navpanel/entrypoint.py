"""The image's one entrypoint: ``python -m navpanel.entrypoint web|worker|beat|migrate|all``.

- ``web``: gunicorn on ``$BIND_ADDRESS:$PORT`` (0.0.0.0:8080) with ``navpanel.gunicorn_conf``.
- ``worker``: a Celery worker. ``beat``: Celery beat.
- ``migrate``: ``manage.py migrate``, holding a PostgreSQL advisory lock so that two at once
  run one after the other (the second finds nothing to do).
- ``all``: web, worker and beat side by side in one container, as the NAIS Application runs
  them (docs/decisions.md, "web, worker and beat in one NAIS Application"); with
  ``NAVPANEL_MIGRATE_ON_START=1`` it migrates first. SIGTERM reaches every process; when one
  ends, the others are stopped and the container exits with its code, for Kubernetes to restart.

Every role writes only under ``NAVPANEL_VAR_DIR`` (default ``/tmp/navpanel``, inside the one
writable directory of a NAIS container): temporary files, gunicorn's heartbeat files,
prometheus-client's metric files, the demo's SQLite and mail. Production settings are the
default (``DJANGO_SETTINGS_MODULE=navpanel.settings_production``).
"""

import os
import signal
import subprocess  # nosec B404: starts the pod's own roles, no shell, fixed arguments
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROLES = ("web", "worker", "beat", "migrate", "all")
MIGRATION_LOCK_ID = 0x6E617670  # "navp": one advisory lock id for every migrate of navpanel


def prepare_environment(environ: dict[str, str], *, role: str) -> dict[str, str]:
    """The environment a role runs in: every writable path under ``NAVPANEL_VAR_DIR``."""
    env = dict(environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "navpanel.settings_production")
    env.setdefault("NAVPANEL_VAR_DIR", "/tmp/navpanel")  # noqa: S108 - NAIS's writable /tmp  # nosec B108
    var_dir = Path(env["NAVPANEL_VAR_DIR"])
    tmp = var_dir / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env["TMPDIR"] = str(tmp)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("LOG_FORMAT", "json")
    if role == "web":
        env.setdefault("GUNICORN_WORKER_TMP_DIR", str(tmp))
        env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(tmp / "prometheus"))
        Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
    else:
        # Only gunicorn's workers share metric files; a worker or beat counts in its process.
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env


def command_for(role: str) -> list[str]:
    python = sys.executable
    log_level = os.environ.get("LOG_LEVEL", "INFO").upper()
    if role == "web":
        return [
            python,
            "-m",
            "gunicorn",
            "-c",
            "python:navpanel.gunicorn_conf",
            "navpanel.wsgi:application",
        ]
    if role == "worker":
        concurrency = os.environ.get("CELERY_WORKER_CONCURRENCY", "2")
        # A pod's host name is its own; processes sharing one host (make prod) name themselves,
        # so that remote control (celery inspect, cancel_consumer) can tell them apart.
        node = os.environ.get("CELERY_WORKER_NODE_NAME", "celery@%h")
        return [
            python,
            "-m",
            "celery",
            "--quiet",  # no ASCII banner on stdout: every line is a JSON log line
            "-A",
            "navpanel",
            "worker",
            f"--loglevel={log_level}",
            f"--concurrency={concurrency}",
            f"--hostname={node}",
            "--without-gossip",
            "--without-mingle",
        ]
    if role == "beat":
        return [
            python,
            "-m",
            "celery",
            "--quiet",
            "-A",
            "navpanel",
            "beat",
            f"--loglevel={log_level}",
        ]
    if role == "migrate":
        return [python, "-m", "navpanel.entrypoint", "migrate"]
    raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")


def migrate() -> int:
    """Apply migrations once, however many pods start at the same moment."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        call_command("migrate", interactive=False, verbosity=1)
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
        try:
            call_command("migrate", interactive=False, verbosity=1)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])
    return 0


def run_all(env: dict[str, str]) -> int:
    """Web, worker and beat as children; a signal goes to all, the first to end ends all.

    After a SIGTERM or SIGINT the container exits 0 when every child stopped as asked; a child
    that ends on its own ends the others, and its exit code is the container's.
    """
    if env.get("NAVPANEL_MIGRATE_ON_START", "") in {"1", "true", "True"}:
        done = subprocess.run(command_for("migrate"), env=env, check=False)  # noqa: S603  # nosec B603
        if done.returncode != 0:
            return done.returncode
    children = [
        subprocess.Popen(command_for(role), env=prepare_environment(env, role=role))  # noqa: S603  # nosec B603
        for role in ("web", "worker", "beat")
    ]
    asked: list[int] = []

    def stop(signum: int) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    def on_signal(signum: int, _frame: object) -> None:
        asked.append(signum)
        stop(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    while all(child.poll() is None for child in children):
        time.sleep(0.5)
    first = next(child.returncode for child in children if child.returncode is not None)
    stop(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=float(env.get("NAVPANEL_STOP_SECONDS", "28")))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    stopped_as_asked = all(
        child.returncode in (0, -signal.SIGTERM, -signal.SIGINT) for child in children
    )
    if asked and first in (0, -asked[0]) and stopped_as_asked:
        return 0
    return first if first > 0 else 128 - first if first < 0 else 1


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1 or argv[0] not in ROLES:
        print(f"usage: python -m navpanel.entrypoint {{{'|'.join(ROLES)}}}", file=sys.stderr)
        return 2
    role = argv[0]
    env = prepare_environment(dict(os.environ), role=role)
    if role == "migrate":
        os.environ.update(env)
        return migrate()
    if role == "all":
        return run_all(env)
    command = command_for(role)
    os.execvpe(command[0], command, env)  # noqa: S606  # nosec B606: replaces this process, as a shell's exec


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
