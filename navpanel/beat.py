"""Celery beat for many pods: only the leader sends, and the schedule's state lives in Redis.

Every pod of the beat deployment runs ``celery beat`` with this scheduler
(``CELERY_BEAT_SCHEDULER``); before each tick it asks whether it leads:

- on NAIS, with ``leaderElection: true``, the elector sidecar names the leader at
  ``ELECTOR_GET_URL``; this pod leads when that name is its host name (the pod's name), as the
  platform documents (nais/doc ``docs/services/leader-election/how-to/enable.md``);
- without an elector, when Redis is configured, the pod that holds a Redis lock leads; the lock
  expires ``BEAT_LOCK_SECONDS`` after its holder last renewed it, so a killed leader is replaced;
- with neither (the demo's one beat on the embedded broker), the one beat always leads.

A pod that does not lead sends nothing and asks again after ``BEAT_LEADER_CHECK_SECONDS``. When a
pod becomes the leader it reads each job's last run from Redis, where the leader writes it as
it sends, so a new leader neither repeats a job that just ran nor waits a whole interval
afresh. Nothing is written to the local disk. If two pods ever acted at once (an elector that
changes its mind mid-tick), the jobs are safe to run twice
(``tests/outbox/test_periodic_tasks.py``).
"""

import json
import logging
import os
import socket
import threading
import urllib.request
from datetime import datetime
from types import FrameType
from typing import Any

import redis
from celery import platforms
from celery.beat import ScheduleEntry, Scheduler
from celery.signals import beat_init
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "navpanel:beat:leader"
LAST_RUN_KEY = "navpanel:beat:last-run"
ELECTOR_TIMEOUT_SECONDS = 2.0


def beat_identity() -> str:
    """The name this process leads under: the host name (the pod's name on NAIS), plus the
    process id, since two beats on one machine share a host name."""
    return f"{socket.gethostname()}/{os.getpid()}"


class Leadership:
    """Answers "does this process lead now?", from the elector, a Redis lock, or neither."""

    def __init__(
        self, *, elector_url: str = "", redis_url: str = "", identity: str | None = None
    ) -> None:
        self.elector_url = elector_url
        self.identity = identity or beat_identity()
        self.redis = redis.Redis.from_url(redis_url, socket_timeout=3) if redis_url else None
        self.lock = (
            self.redis.lock(LOCK_KEY, timeout=settings.BEAT_LOCK_SECONDS, thread_local=False)
            if self.redis is not None
            else None
        )
        self._held = False

    @property
    def mode(self) -> str:
        if self.elector_url:
            return "elector"
        return "redis-lock" if self.lock is not None else "single"

    def leads(self) -> bool:
        if self.elector_url:
            return self._elector_names_us()
        if self.lock is None:
            return True
        return self._lock_held()

    def _elector_names_us(self) -> bool:
        if not self.elector_url.startswith(("http://", "https://")):
            logger.warning("beat: ELECTOR_GET_URL is not an http URL; not acting")
            return False
        try:
            with urllib.request.urlopen(  # noqa: S310  # nosec B310: checked to be http(s) above
                self.elector_url, timeout=ELECTOR_TIMEOUT_SECONDS
            ) as response:
                leader = json.loads(response.read())["name"]
        except Exception as error:  # noqa: BLE001 - no answer means: do not act
            logger.warning("beat: the elector did not answer (%r); not acting", error)
            return False
        return leader == socket.gethostname()

    def _lock_held(self) -> bool:
        """Renew the lock if this process holds it, else try to take it; False on any error."""
        if self.lock is None:
            return False
        try:
            if self._held:
                self.lock.reacquire()
                return True
            self._held = bool(self.lock.acquire(blocking=False, token=self.identity))
        except redis.exceptions.LockError:
            self._held = False
        except redis.RedisError as error:
            logger.warning("beat: Redis did not answer (%r); not acting", error)
            self._held = False
        return self._held

    def leader_name(self) -> str | None:
        """Who holds the Redis lock now (for logs and tests)."""
        if self.redis is None:
            return None
        value = self.redis.get(LOCK_KEY)
        # Without decode_responses, Redis answers bytes; the stubs allow for both.
        return value.decode() if value else None  # type: ignore[union-attr]

    def release(self) -> None:
        if self._held and self.lock is not None:
            try:
                self.lock.release()
            except redis.RedisError:
                pass
            self._held = False


class LeaderScheduler(Scheduler):
    """Celery's in-memory scheduler that acts only while it leads (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.leadership = Leadership(
            elector_url=os.environ.get("ELECTOR_GET_URL", ""),
            redis_url=settings.BEAT_REDIS_URL,
        )
        self.leading = False
        super().__init__(*args, **kwargs)
        logger.info(
            "beat: %s decides who acts (this is %s)",
            self.leadership.mode,
            self.leadership.identity,
        )

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if not self.leadership.leads():
            if self.leading:
                logger.warning("beat: %s no longer leads; standing by", self.leadership.identity)
            self.leading = False
            return settings.BEAT_LEADER_CHECK_SECONDS
        if not self.leading:
            self.leading = True
            self._last_runs_load()
            logger.info("beat: %s leads and acts", self.leadership.identity)
        return min(super().tick(*args, **kwargs), settings.BEAT_LEADER_CHECK_SECONDS)

    # celery-types says reserve returns the heap's event_t; Celery returns the next entry.
    def reserve(self, entry: ScheduleEntry) -> ScheduleEntry:  # type: ignore[override]
        next_entry: ScheduleEntry = super().reserve(entry)  # type: ignore[assignment]
        if self.leadership.redis is not None:
            try:
                self.leadership.redis.hset(
                    LAST_RUN_KEY,
                    entry.name,
                    # Set by the next(entry) of reserve; the stubs' entry may have none.
                    next_entry.last_run_at.isoformat(),  # type: ignore[union-attr]
                )
            except redis.RedisError as error:
                logger.warning("beat: could not record the run of %s (%r)", entry.name, error)
        return next_entry

    def _last_runs_load(self) -> None:
        """Take each job's last run from Redis, as the previous leader recorded it."""
        if self.leadership.redis is None:
            return
        try:
            stored = self.leadership.redis.hgetall(LAST_RUN_KEY)
        except redis.RedisError as error:
            logger.warning("beat: could not read the last runs (%r)", error)
            return
        for raw_name, raw_at in stored.items():
            # Without decode_responses, Redis answers bytes; the stubs allow for both.
            entry = self.schedule.get(raw_name.decode())  # type: ignore[union-attr]
            if entry is not None:
                entry.last_run_at = datetime.fromisoformat(raw_at.decode())  # type: ignore[union-attr]
        self._heap = None

    def close(self) -> None:
        super().close()
        self.leadership.release()


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit()


@beat_init.connect
def _stop_outside_the_signal_handler(**_signal: object) -> None:
    """Make SIGTERM and SIGINT only end beat's loop; beat's ``finally`` then closes the scheduler.

    ``celery beat``'s own handler closes the scheduler (its broker connection, and here the
    Redis lock's release) inside the signal handler, that is, in the middle of whatever the main
    thread was doing with those same clients when the signal came: a renewal of the lock, a
    publish. Raised from the handler, SystemExit unwinds that work first, and the loop's
    ``finally`` closes everything once (``celery.beat.Service.start``), so a pod stops within
    its grace period and hands the lock over at once. Only the main thread may set handlers
    (a beat embedded in a worker runs in another).
    """
    if threading.current_thread() is threading.main_thread():
        platforms.signals.update(SIGTERM=_exit, SIGINT=_exit)
