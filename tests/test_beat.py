"""Beat in many pods (navpanel/beat.py): one leader acts, the others stand by, the state is in
Redis, and a killed leader is replaced."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis

from navpanel.beat import LAST_RUN_KEY, LOCK_KEY, LeaderScheduler, Leadership
from navpanel.celery import app as celery_app
from tests.outbox.conftest import RedisServer, wait_for

ROOT = Path(__file__).resolve().parent.parent
SENT = "Sending due task outbox-sweep"


@pytest.fixture
def own_redis(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class Elector:
    """The NAIS elector sidecar's simple API: ``GET`` answers the leader's name as JSON."""

    def __init__(self) -> None:
        self.leader = ""
        elector = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps({"name": elector.leader, "last_update": "2026-12-06T05:00:00Z"})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def elector() -> Iterator[Elector]:
    server = Elector()
    yield server
    server.close()


def test_the_pod_the_elector_names_leads_and_another_does_not(elector, own_redis):
    here = Leadership(elector_url=elector.url, redis_url=own_redis.url)

    elector.leader = socket.gethostname()
    leads_when_named = here.leads()
    elector.leader = "navpanel-beat-7d9f-other"
    leads_when_other = here.leads()

    assert leads_when_named is True
    assert leads_when_other is False


def test_no_pod_acts_while_the_elector_does_not_answer(elector):
    url = elector.url
    elector.close()

    assert Leadership(elector_url=url).leads() is False


def test_without_an_elector_one_of_two_beats_holds_the_redis_lock(own_redis, settings):
    settings.BEAT_LOCK_SECONDS = 2
    first = Leadership(redis_url=own_redis.url, identity="beat-a")
    second = Leadership(redis_url=own_redis.url, identity="beat-b")

    both_at_first = (first.leads(), second.leads())
    renewed = [first.leads() for _ in range(3)]
    time.sleep(2.5)  # beat-a stops renewing, as a killed leader does
    after_lapse = (second.leads(), first.leads())

    assert both_at_first == (True, False)
    assert renewed == [True, True, True]
    assert after_lapse == (True, False)
    assert second.leader_name() == "beat-b"


def test_a_leader_that_stops_hands_the_lock_over_at_once(own_redis):
    first = Leadership(redis_url=own_redis.url, identity="beat-a")
    second = Leadership(redis_url=own_redis.url, identity="beat-b")
    first.leads()

    first.release()

    assert second.leads() is True


def test_a_beat_that_cannot_reach_redis_does_not_act(own_redis):
    beat = Leadership(redis_url=own_redis.url, identity="beat-a")
    own_redis.stop()

    assert beat.leads() is False


def test_a_new_leader_takes_the_last_runs_from_redis_and_does_not_repeat_a_job(own_redis, settings):
    settings.BEAT_REDIS_URL = own_redis.url
    first = LeaderScheduler(app=celery_app, lazy=True)
    first.setup_schedule()
    sweep = first.schedule["outbox-sweep"]
    sweep.last_run_at -= timedelta(hours=1)
    first.reserve(sweep)  # the leader records the run as it sends
    first.leadership.release()

    second = LeaderScheduler(app=celery_app, lazy=True)
    second.setup_schedule()
    second.schedule["outbox-sweep"].last_run_at -= timedelta(hours=1)  # due, by its own memory

    delay = second.tick()  # it leads now, and reads the last runs before anything is sent

    stored = redis.Redis.from_url(own_redis.url).hget(LAST_RUN_KEY, "outbox-sweep")
    assert stored is not None
    assert second.schedule["outbox-sweep"].last_run_at.isoformat() == stored.decode()
    assert second.schedule["outbox-sweep"].is_due()[0] is False
    assert delay > 0


def _beat(log: Path, redis_url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "navpanel", "beat", "--loglevel=INFO"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.beat_settings",
            "REDIS_URL": redis_url,
        },
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _stop(beat: subprocess.Popen, log: Path) -> None:
    """SIGTERM, as Kubernetes stops a pod; a beat that has not stopped within 10 s fails the test
    with its log (a pod gets 30 s before SIGKILL)."""
    if beat.poll() is not None:
        return
    beat.terminate()
    try:
        beat.wait(timeout=10)
    except subprocess.TimeoutExpired:
        beat.kill()
        beat.wait()
        pytest.fail(f"beat did not stop within 10 s of SIGTERM:\n{log.read_text()}")


def test_a_leading_beat_stopped_amid_its_work_exits_at_once_and_frees_the_lock(own_redis, tmp_path):
    """Stopped at any moment of its ticks (renewing the lock, sending the job every second),
    the leader exits within seconds and releases the lock, so another pod leads at once."""
    for attempt, after in enumerate((0.1, 0.35, 0.6)):
        log = tmp_path / f"beat-{attempt}.log"
        beat = _beat(log, own_redis.url)
        assert wait_for(lambda log=log: SENT in log.read_text(), timeout=60), log.read_text()
        time.sleep(after)
        _stop(beat, log)
        assert redis.Redis.from_url(own_redis.url).get(LOCK_KEY) is None, log.read_text()


def test_of_two_beat_processes_exactly_one_sends_and_the_other_takes_over_when_it_is_killed(
    own_redis, tmp_path
):
    logs = [tmp_path / "beat-1.log", tmp_path / "beat-2.log"]
    beats = [_beat(logs[0], own_redis.url), _beat(logs[1], own_redis.url)]
    try:
        assert wait_for(lambda: any(SENT in log.read_text() for log in logs), timeout=60)
        time.sleep(4)  # both run: the one job is due every second
        sent = [log.read_text().count(SENT) for log in logs]
        leader = 0 if sent[0] else 1
        standby = 1 - leader

        beats[leader].send_signal(signal.SIGKILL)
        beats[leader].wait()
        took_over = wait_for(lambda: SENT in logs[standby].read_text(), timeout=20)

        assert sent[standby] == 0, sent
        assert sent[leader] >= 3, sent
        assert took_over, logs[standby].read_text()
        holder = redis.Redis.from_url(own_redis.url).get(LOCK_KEY).decode()
        assert holder.endswith(f"/{beats[standby].pid}")
    finally:
        for beat, log in zip(beats, logs, strict=True):
            _stop(beat, log)
