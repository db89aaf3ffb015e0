"""``make prod``: navpanel's production topology on this machine, as NAIS would run it.

Steps, in order, each as its own process:

1. build: ``collectstatic`` into the tree (the image's build step; later processes only read);
2. the migration job: ``migrate`` once, before any new process starts (the Naisjob);
3. the demo data (``seed_demo``), unless ``--no-seed``;
4. the pods: two web instances (gunicorn) on two ports, two Celery workers and two beat
   processes (one leads; the other stands by, navpanel/beat.py), and a mail sink unless
   ``EMAIL_URL`` is set;
5. the ingress: a TLS reverse proxy (ops/proxy.py) in front of both web instances.

Every process runs on production settings, on PostgreSQL and Redis, with its own
``NAVPANEL_VAR_DIR`` under the base directory (``/tmp/navpanel-prod``), and shares only the
database, Redis and the export "bucket" (one directory standing in for the GCS bucket). Run as
root, every process after the build runs as uid/gid 1069 (NAIS's), so the project tree, owned
Every process after the build sees the project tree (and its virtualenv) read-only: it runs in
its own mount namespace where they are bind-mounted read-only (``unshare``, as root, as CI
runs); its own directory under /tmp is where it may write. Where that is not allowed (not
root), make prod says so and runs the processes without it.

``state.json`` in the base directory names every process with its pid, port, log and
directory (tests/topology reads it). Ctrl-C or SIGTERM stops them all with SIGTERM, as a
rollout does, and waits for them to finish their work.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Mount the paths before "--" read-only in this mount namespace, then run the command.
READ_ONLY_SCRIPT = (
    'for p in "$@"; do [ "$p" = "--" ] && break; '
    'mount --bind "$p" "$p" && mount -o remount,bind,ro "$p" || exit 97; shift; done; '
    'shift; exec "$@"'
)
PYTHON = sys.executable


@dataclass
class Process:
    name: str
    command: list[str]
    var_dir: str
    log: str
    port: int | None = None
    pid: int | None = None
    extra_env: dict[str, str] = field(default_factory=dict)


def _database_ensure(url: str) -> None:
    """Create the database if it does not exist yet (a newcomer's first ``make prod``)."""
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


class Topology:
    def __init__(self, arguments: argparse.Namespace) -> None:
        self.base: Path = arguments.base_dir
        self.arguments = arguments
        self.read_only = self._read_only_possible()
        self.processes: list[Process] = []
        self.popen: dict[str, subprocess.Popen[bytes]] = {}
        self.site = f"https://127.0.0.1:{arguments.port}"
        self.env = self._environment()

    def _secret_key(self) -> str:
        """One key for every run on this machine, kept beside the base directory: sessions and
        the two-factor secrets seed_demo encrypted (keys derived from it) outlive a restart and
        ``--fresh``."""
        path = self.base.parent / f".{self.base.name}-secret-key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/navpanel_prod")
        env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
        env.setdefault("SECRET_KEY", self._secret_key())
        env.setdefault(
            "EMAIL_URL", f"smtp://127.0.0.1:{self.arguments.mail_port}"
        )  # the sink below, unless told otherwise
        env.update(
            DJANGO_SETTINGS_MODULE="navpanel.settings_production",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CSRF_TRUSTED_ORIGINS=f"{self.site},https://localhost:{self.arguments.port}",
            SITE_URL=self.site,
            MEDIA_ROOT=str(self.base / "bucket"),
            # One proxy (ours, as the ingress) sets X-Forwarded-For in front of the instances.
            NAVPANEL_TRUSTED_PROXIES=env.get("NAVPANEL_TRUSTED_PROXIES", "1"),
            LOG_FORMAT=env.get("LOG_FORMAT", "json"),
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONUNBUFFERED="1",
        )
        env.pop("DEBUG", None)
        return env

    # --- steps -------------------------------------------------------------------------------

    def _dir(self, name: str) -> str:
        path = self.base / name
        path.mkdir(parents=True, exist_ok=True)
        return str(path)

    @staticmethod
    def _read_only_paths() -> list[str]:
        paths = [str(ROOT)]
        for linked in (ROOT / ".venv", ROOT / "node_modules"):
            real = linked.resolve()
            if real.exists() and not real.is_relative_to(ROOT):
                paths.append(str(real))
        return paths

    def _read_only_possible(self) -> bool:
        probe = subprocess.run(self._wrap(["true"]), capture_output=True, check=False, cwd=ROOT)
        if probe.returncode != 0:
            print(
                "make prod: cannot mount the project tree read-only here (needs root and "
                "unshare); the processes run without that guard",
                flush=True,
            )
        return probe.returncode == 0

    def _wrap(self, command: list[str]) -> list[str]:
        return [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            READ_ONLY_SCRIPT,
            "sh",
            *self._read_only_paths(),
            "--",
            *command,
        ]

    def _command(self, command: list[str]) -> list[str]:
        return self._wrap(command) if self.read_only else command

    def _run_once(self, name: str, command: list[str], *, as_build: bool = False) -> None:
        """A job: run to the end, fail loudly."""
        var_dir = self._dir(name)
        log = self.base / "logs" / f"{name}.log"
        print(f"make prod: {name} …", flush=True)
        with log.open("w") as out:
            result = subprocess.run(
                command if as_build else self._command(command),
                cwd=ROOT,
                env={**self.env, "NAVPANEL_VAR_DIR": var_dir, "HOME": var_dir},
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if result.returncode != 0:
            sys.exit(f"make prod: {name} failed; see {log}\n{log.read_text()[-3000:]}")

    def plan(self) -> None:
        """The pods, each started as the image starts it (``navpanel.entrypoint``)."""
        entrypoint = [PYTHON, "-m", "navpanel.entrypoint"]
        for number, port in enumerate(self.arguments.web_ports, start=1):
            self.processes.append(
                Process(
                    name=f"web-{number}",
                    port=port,
                    command=[*entrypoint, "web"],
                    var_dir="",
                    log="",
                    extra_env={
                        "BIND_ADDRESS": "127.0.0.1",
                        "PORT": str(port),
                        "GUNICORN_WORKERS": str(self.arguments.web_workers),
                    },
                )
            )
        for role in ("worker", "beat"):
            for number in (1, 2):
                self.processes.append(
                    Process(
                        name=f"{role}-{number}",
                        command=[*entrypoint, role],
                        var_dir="",
                        log="",
                        extra_env={
                            "CELERY_WORKER_CONCURRENCY": str(self.arguments.worker_concurrency),
                            "CELERY_WORKER_NODE_NAME": f"{role}-{number}@%h",
                        },
                    )
                )
        if self.env["EMAIL_URL"] == f"smtp://127.0.0.1:{self.arguments.mail_port}":
            self.processes.append(
                Process(
                    name="mail",
                    port=self.arguments.mail_port,
                    command=[
                        PYTHON,
                        "-m",
                        "aiosmtpd",
                        "-n",
                        "-l",
                        f"127.0.0.1:{self.arguments.mail_port}",
                        "-c",
                        "aiosmtpd.handlers.Mailbox",
                        str(self.base / "mail" / "mailbox"),
                    ],
                    var_dir="",
                    log="",
                )
            )
        self.processes.append(
            Process(
                name="proxy",
                port=self.arguments.port,
                command=[
                    PYTHON,
                    "-m",
                    "ops.proxy",
                    f"--listen=127.0.0.1:{self.arguments.port}",
                    f"--tls-dir={self.base / 'proxy'}",
                    *[f"--upstream=127.0.0.1:{port}" for port in self.arguments.web_ports],
                ],
                var_dir="",
                log="",
            )
        )

    def start(self, process: Process) -> None:
        process.var_dir = self._dir(process.name)
        process.log = str(self.base / "logs" / f"{process.name}.log")
        out = open(process.log, "ab")
        popen = subprocess.Popen(
            self._command(process.command),
            cwd=ROOT,
            env={
                **self.env,
                "NAVPANEL_VAR_DIR": process.var_dir,
                "HOME": process.var_dir,
                **process.extra_env,
            },
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a "pod" killed as a whole
        )
        out.close()
        process.pid = popen.pid
        self.popen[process.name] = popen

    def state_write(self, *, ready: bool) -> None:
        state = {
            "ready": ready,
            "site": self.site,
            "launcher_pid": os.getpid(),
            "read_only_tree": self.read_only,
            "bucket": str(self.base / "bucket"),
            "processes": {process.name: asdict(process) for process in self.processes},
        }
        path = self.base / "state.json"
        path.with_suffix(".tmp").write_text(json.dumps(state, indent=2))
        path.with_suffix(".tmp").replace(path)

    def wait_ready(self, timeout: float = 90) -> None:
        """Until every web instance answers on its port, the workers say ready, and the proxy
        listens."""
        import socket

        deadline = time.monotonic() + timeout
        pending = {p.name for p in self.processes if p.port or p.name.startswith("worker")}
        while pending and time.monotonic() < deadline:
            for process in self.processes:
                if process.name not in pending:
                    continue
                if self.popen[process.name].poll() is not None:
                    sys.exit(
                        f"make prod: {process.name} stopped; see {process.log}\n"
                        + Path(process.log).read_text()[-3000:]
                    )
                if process.name.startswith("worker"):
                    if " ready." in Path(process.log).read_text():
                        pending.discard(process.name)
                    continue
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", process.port)) == 0:
                        pending.discard(process.name)
            time.sleep(0.3)
        if pending:
            sys.exit(f"make prod: not ready after {timeout} s: {sorted(pending)}")

    def stop(self, *_signal: object) -> None:
        print("make prod: stopping (SIGTERM, as a rollout does) …", flush=True)
        for process in reversed(self.processes):
            popen = self.popen.get(process.name)
            if popen is not None and popen.poll() is None:
                try:
                    os.killpg(popen.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 35
        for popen in self.popen.values():
            try:
                popen.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(popen.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.state_write(ready=False)
        sys.exit(0)

    def run(self) -> None:
        if self.arguments.fresh and self.base.exists():
            shutil.rmtree(self.base)
        (self.base / "logs").mkdir(parents=True, exist_ok=True)
        self._dir("bucket")
        self._dir("mail")
        _database_ensure(self.env["DATABASE_URL"])
        if not self.arguments.no_build:
            self._run_once(
                "build",
                [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
                as_build=True,
            )
        self._run_once("migrate", [PYTHON, "-m", "navpanel.entrypoint", "migrate"])
        if not self.arguments.no_seed:
            self._run_once("seed", [PYTHON, "manage.py", "seed_demo"])
        self.plan()
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        for process in self.processes:
            self.start(process)
        self.state_write(ready=False)
        self.wait_ready()
        self.state_write(ready=True)
        print(
            f"\nnavpanel (production topology) at {self.site}/  "
            f"(self-signed certificate; logs and state in {self.base}; Ctrl-C stops all)\n"
            + "\n".join(
                f"  {p.name:9} pid {p.pid:<7} {p.log}" + (f"  port {p.port}" if p.port else "")
                for p in self.processes
            ),
            flush=True,
        )
        while True:
            for process in self.processes:
                popen = self.popen[process.name]
                if popen.poll() is not None and not getattr(popen, "_reported", False):
                    popen._reported = True  # type: ignore[attr-defined]
                    print(f"make prod: {process.name} exited ({popen.returncode})", flush=True)
            time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(description="navpanel's production topology, locally")
    parser.add_argument("--base-dir", type=Path, default=Path("/tmp/navpanel-prod"))
    parser.add_argument("--port", type=int, default=8443, help="the proxy's (https) port")
    parser.add_argument("--web-ports", type=int, nargs=2, default=[8001, 8002])
    parser.add_argument("--mail-port", type=int, default=8025)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--no-seed", action="store_true", help="skip the demo data")
    parser.add_argument("--no-build", action="store_true", help="skip collectstatic")
    parser.add_argument("--fresh", action="store_true", help="empty the base directory first")
    Topology(parser.parse_args()).run()


if __name__ == "__main__":
    main()
