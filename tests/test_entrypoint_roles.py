"""The entrypoint's ``migrate`` and ``all`` roles, as the NAIS job and pods run them."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.xdist_group("image")


def _environment(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "HOME")}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "navpanel.settings_production",
        "SECRET_KEY": "a-production-like-secret-key-for-the-roles-test-" + "y" * 20,
        "ALLOWED_HOSTS": "navpanel.intern.nav.no",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "NAVPANEL_VAR_DIR": str(tmp_path / "var"),
        **extra,
    }


@pytest.fixture
def empty_database():
    db = settings.DATABASES["default"]
    name = f"np_migrate_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.close()


def test_two_migrate_jobs_at_once_both_succeed_and_migrate_once(tmp_path, empty_database):
    env = _environment(tmp_path, empty_database)
    command = [sys.executable, "-m", "navpanel.entrypoint", "migrate"]

    jobs = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    outputs = [job.communicate(timeout=300)[0] for job in jobs]

    assert [job.returncode for job in jobs] == [0, 0], outputs
    applied = [output.count("Applying ") for output in outputs]
    assert min(applied) == 0 and max(applied) > 10, applied
    plan = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert plan.returncode == 0, plan.stdout + plan.stderr


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


def _start_all(tmp_path: Path) -> tuple[subprocess.Popen, int]:
    """``entrypoint all`` on the test database; returns once isalive answers 200."""
    db = settings.DATABASES["default"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = _environment(
        tmp_path,
        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        PORT=str(port),
        BIND_ADDRESS="127.0.0.1",
        GUNICORN_WORKERS="1",
        CELERY_WORKER_CONCURRENCY="1",
    )
    with (tmp_path / "pod.log").open("w") as log:
        pod = subprocess.Popen(
            [sys.executable, "-m", "navpanel.entrypoint", "all"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/internal/isalive", headers={"Host": "10.0.0.7:8080"})
            if connection.getresponse().status == 200:
                # The worker and beat start beside gunicorn; give them their moment.
                time.sleep(3)
                return pod, port
        except OSError:
            time.sleep(0.5)
    pod.kill()
    pytest.fail("isalive did not answer:\n" + (tmp_path / "pod.log").read_text())


@pytest.mark.django_db(transaction=True)
def test_the_all_role_runs_web_worker_and_beat_and_stops_them_all_on_sigterm(tmp_path):
    pod, _port = _start_all(tmp_path)
    try:
        children = _children(pod.pid)
        commands = [Path(f"/proc/{child}/cmdline").read_bytes() for child in children]
        started = time.monotonic()

        pod.send_signal(signal.SIGTERM)
        code = pod.wait(timeout=40)
    finally:
        if pod.poll() is None:
            pod.kill()

    assert len(children) == 3
    assert sum(b"gunicorn" in c for c in commands) == 1
    assert sum(b"worker" in c and b"celery" in c for c in commands) == 1
    assert sum(b"beat" in c and b"celery" in c for c in commands) == 1
    assert time.monotonic() - started < 35
    assert code == 0
    assert not any(Path(f"/proc/{child}").exists() for child in children)
    lines = (tmp_path / "pod.log").read_text().splitlines()
    loggers = set()
    for line in filter(None, lines):
        record = json.loads(line)
        loggers.add(record["logger"].split(".")[0])
    # Every line of the three processes is JSON (no Celery banner); gunicorn's are among them.
    assert "gunicorn" in loggers


@pytest.mark.django_db(transaction=True)
def test_when_one_process_of_the_pod_dies_the_others_stop_and_the_container_fails(tmp_path):
    pod, _port = _start_all(tmp_path)
    try:
        children = _children(pod.pid)
        worker = next(
            child for child in children if b"worker" in Path(f"/proc/{child}/cmdline").read_bytes()
        )

        os.kill(worker, signal.SIGKILL)
        code = pod.wait(timeout=40)
    finally:
        if pod.poll() is None:
            pod.kill()

    assert code == 128 + signal.SIGKILL
    assert not any(Path(f"/proc/{child}").exists() for child in children)
