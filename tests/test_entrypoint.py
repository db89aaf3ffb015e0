"""The image's contract, shown without a container engine (none runs on this machine).

The Dockerfile's build steps are repeated on a copy of the tree (collectstatic with production
settings), and the entrypoint then runs as NAIS runs a container: as uid/gid 1069, with the
tree mounted read-only in a private mount namespace and only /tmp writable, production
settings, listening on $PORT. The kubelet's probes and a Prometheus scrape reach it with the
pod's address as Host, over plain http.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
NAIS_UID = 1069
POD_HOST = "10.0.0.7:8080"

pytestmark = [pytest.mark.xdist_group("image"), pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _build_copy(target: Path) -> None:
    """What the Dockerfile's builder stage does: the tracked files, then collectstatic."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        relative = Path(name.decode())
        if relative.parts[0] in {"tests", "bench", "docs", ".ci"}:
            continue
        if not (ROOT / relative).is_file():
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, target / relative)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=target,
        env={
            **_clean_environ(),
            "DJANGO_SETTINGS_MODULE": "navpanel.settings_production",
            "SECRET_KEY": "collectstatic-at-build-time-only",
            "NAVPANEL_VAR_DIR": str(target.parent / "build-var"),
        },
        check=True,
        timeout=300,
    )
    (target / "node_modules").unlink()
    for directory, _dirs, names in os.walk(target):
        os.chmod(directory, 0o555)  # noqa: S103 - readable by all and writable by none
        for name in names:
            os.chmod(Path(directory) / name, 0o444)


def _clean_environ() -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL")
    return {name: os.environ[name] for name in keep if name in os.environ}


def _tree_snapshot(tree: Path) -> dict[str, tuple[int, float]]:
    return {
        str(path.relative_to(tree)): (path.stat().st_size, path.stat().st_mtime)
        for path in tree.rglob("*")
    }


def _interpreter_reachable(view: Path) -> str:
    """Shell lines that let uid 1069 reach this Python inside the private mount namespace.

    pyenv's Python may live under a directory only root may enter (/root/.pyenv); an image
    has its Python in a readable place. Here the closed directory is covered, in that namespace
    only, by one that holds nothing but the way to the interpreter.
    """
    real = Path(os.path.realpath(sys.executable))
    for closed in real.parents:
        if closed.parent != closed and not closed.stat().st_mode & 0o001:
            break
    else:
        return ""
    way = real.relative_to(closed).parts[0]
    (view / way).mkdir(parents=True)
    view.chmod(0o755)
    return f'mount --bind "{closed / way}" "{view / way}" && mount --rbind "{view}" "{closed}" && '


class Pod:
    def __init__(self, process: subprocess.Popen, port: int, log: Path, tree: Path, var: Path):
        self.process, self.port, self.log, self.tree, self.var = process, port, log, tree, var

    def get(self, path: str, **headers: str) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers={"Host": POD_HOST, **headers})
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        return response.status, response.getheader("Content-Type", ""), body

    def log_lines(self) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def pod(django_db_setup, django_db_blocker) -> Iterator[Pod]:
    if os.geteuid() != 0:
        pytest.skip("running as uid 1069 in a private mount namespace needs root")
    # Not under pytest's own temporary directory: uid 1069 may not enter that one.
    base = Path(tempfile.mkdtemp(prefix="navpanel-image-", dir="/tmp"))
    base.chmod(0o755)
    tree = base / "app"
    tree.mkdir()
    _build_copy(tree)
    var = base / "run" / "navpanel"
    var.parent.mkdir()
    os.chown(var.parent, NAIS_UID, NAIS_UID)
    port = _free_port()
    db = settings.DATABASES["default"]
    env = {
        **_clean_environ(),
        "HOME": str(var.parent),
        "PORT": str(port),
        "BIND_ADDRESS": "127.0.0.1",
        "SECRET_KEY": "a-production-like-secret-key-for-the-entrypoint-test-" + "x" * 20,
        "ALLOWED_HOSTS": "navpanel.intern.nav.no",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "NAVPANEL_VAR_DIR": str(var),
        "GUNICORN_WORKERS": "2",
        "NAVPANEL_TRUSTED_PROXIES": "1",
    }
    # The tree read-only for everyone, as a container's root file system, then uid 1069.
    script = (
        _interpreter_reachable(base / "interpreter-view")
        + f'mount --bind "{tree}" "{tree}" && mount -o remount,ro,bind "{tree}" && '
        f"exec setpriv --reuid {NAIS_UID} --regid {NAIS_UID} --clear-groups -- "
        f'"{sys.executable}" -m navpanel.entrypoint web'
    )
    log = base / "pod.log"
    before = _tree_snapshot(tree)
    with log.open("w") as out:
        process = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            cwd=tree,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    the_pod = Pod(process, port, log, tree, var)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the entrypoint stopped:\n{log.read_text()}")
        try:
            if the_pod.get("/internal/isalive")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        pytest.fail(f"no answer from isalive in 60 s:\n{log.read_text()}")
    the_pod.tree_before = before
    yield the_pod
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    for directory, _dirs, _names in os.walk(base):
        os.chmod(directory, 0o755)  # noqa: S103 - writable again, to be removed
    shutil.rmtree(base, ignore_errors=True)


def test_isalive_answers_200_to_the_kubelet_over_plain_http_with_the_pods_address_as_host(pod):
    status, _type, body = pod.get("/internal/isalive")

    assert status == 200
    assert json.loads(body) == {"status": "alive"}


def test_isready_answers_200_when_the_database_and_the_broker_answer(pod):
    status, _type, body = pod.get("/internal/isready")

    assert status == 200
    assert json.loads(body)["status"] == "ready"


def test_metrics_answer_prometheus_text_with_navpanels_own_gauges(pod):
    pod.get("/konto/login/", Host="navpanel.intern.nav.no", **{"X-Forwarded-Proto": "https"})

    status, content_type, body = pod.get("/internal/metrics")

    assert status == 200
    assert content_type.startswith("text/plain; version=0.0.4")
    assert "navpanel_outbox_messages{status=" in body
    assert "navpanel_seats_awaiting_answer " in body
    assert 'navpanel_http_requests_total{method="GET",status="200",view="account_login"}' in body
    assert "navpanel_http_request_duration_seconds_bucket{" in body


def test_probes_that_answer_well_write_no_log_line(pod):
    before = len(pod.log_lines())

    for path in ("/internal/isalive", "/internal/isready", "/internal/metrics") * 3:
        assert pod.get(path)[0] == 200
    time.sleep(0.5)

    assert pod.log_lines()[before:] == []


def test_probe_paths_through_a_proxy_answer_404(pod):
    for path in ("/internal/isalive", "/internal/isready", "/internal/metrics"):
        status, _type, body = pod.get(path, **{"X-Forwarded-For": "198.51.100.20"})

        assert status == 404
        assert "navpanel" not in body


def test_a_page_from_the_pods_address_is_still_refused_by_host_validation(pod):
    status, _type, _body = pod.get("/")

    assert status == 400


def test_every_line_the_container_writes_is_json(pod):
    pod.get("/konto/login/", Host="navpanel.intern.nav.no", **{"X-Forwarded-Proto": "https"})
    time.sleep(0.5)

    lines = pod.log_lines()

    assert lines
    for line in lines:
        record = json.loads(line)
        assert {"level", "logger", "message", "timestamp"} <= record.keys()
    access = [json.loads(line) for line in lines if json.loads(line)["logger"] == "gunicorn.access"]
    assert any(record["path"] == "/konto/login/" and record["request_id"] for record in access)


def test_the_tree_stays_unchanged_and_the_run_writes_only_under_its_var_dir(pod):
    written = {path.name for path in pod.var.rglob("*")}

    assert _tree_snapshot(pod.tree) == pod.tree_before
    assert "prometheus" in written
    assert any(name.endswith(".db") for name in written)
    assert all(path.stat().st_uid == NAIS_UID for path in pod.var.rglob("*"))


def test_sigterm_stops_gunicorn_within_the_grace_period(pod):
    started = time.monotonic()

    pod.process.send_signal(signal.SIGTERM)
    code = pod.process.wait(timeout=30)

    assert code == 0
    assert time.monotonic() - started < 30
