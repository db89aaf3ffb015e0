"""Redis as a cache, never a dependency (issue 15, point 2).

With Redis stopped, every cache call failed and every page with it (the session, the data
version, the login rate limits); with Redis frozen, each call waited for the operating system.
``RedisFallbackCache`` is Django's Redis cache with three changes:

- **Short waits**: connecting and each reply wait at most ``socket_timeout`` (0.25 s), without
  redis-py's retries.
- **A miss, not an error**: a call that fails answers as a miss (``get`` gives the default,
  ``add`` gives False, writes do nothing), and this process then leaves Redis alone for
  ``RETRY_AFTER`` seconds, so a page pays for one time-out at most, not one per call. What is
  cached is computed again: sessions are read from the database (``cached_db``), pages from
  PostgreSQL, the data version is a fresh number nobody used (``navpanel.cache_versions``).
- **Rate limits in the process's memory**: allauth counts sign-in attempts in the cache and
  refuses everyone when it cannot (its lock is never granted). Its keys (``allauth:rl:``) go to a
  local-memory cache while Redis is away: each process keeps counting, so the limits hold per
  process (with N processes, at most N times the configured rate) instead of failing open for an
  attacker or closed for every user.

When Redis answers again after this process failed to write to it, what Redis holds may be out of
date (a session ended, a change whose version bump was lost while Redis was frozen): the process
deletes the cached sessions and the data version, so both are read again from the database. A
Redis that was restarted has lost its data anyway (no persistence).
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_AFTER = 5.0
LOCAL_PREFIXES = ("allauth:rl:",)
# What a stale Redis may hold that the database has since changed (see the module docstring).
STALE_PATTERNS = ("*django.contrib.sessions.cached_db*", "*data-version:*")
FAILURES = (redis.RedisError, OSError)


class _Outage:
    """This process's view of Redis, shared by its threads' cache objects."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.missed_writes = False

    def failed(self, *, write: bool) -> None:
        with self.lock:
            if self.down_until == 0.0:
                logger.warning("Redis does not answer; the cache falls back (navpanel.cache)")
            self.down_until = time.monotonic() + RETRY_AFTER
            self.missed_writes = self.missed_writes or write

    def resting(self) -> bool:
        return time.monotonic() < self.down_until


_outage = _Outage()


class RedisFallbackCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = {
            "socket_connect_timeout": 0.25,
            "socket_timeout": 0.25,
            "retry": Retry(NoBackoff(), 0),
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._local = LocMemCache("navpanel-redis-fallback", {"OPTIONS": {"MAX_ENTRIES": 10000}})

    def _call(
        self,
        key: str | None,
        redis_call: Callable[[], T],
        local_call: Callable[[LocMemCache], T],
        miss: T,
        *,
        write: bool,
    ) -> T:
        local = key is not None and key.startswith(LOCAL_PREFIXES)
        if not _outage.resting():
            try:
                if _outage.down_until:
                    self._recovered()
                return redis_call()
            except FAILURES:
                _outage.failed(write=write and not local)
        elif write and not local:
            _outage.missed_writes = True
        return local_call(self._local) if local else miss

    def _recovered(self) -> None:
        """Redis answers again: first forget what it may hold stale, then use it."""
        if _outage.missed_writes:
            client = self._cache.get_client(write=True)
            for pattern in STALE_PATTERNS:
                for key in client.scan_iter(match=f"{self.key_prefix}{pattern}", count=1000):
                    client.delete(key)
        with _outage.lock:
            _outage.down_until = 0.0
            _outage.missed_writes = False
        logger.warning("Redis answers again (navpanel.cache)")

    def delete_matching(self, pattern: str) -> int:
        """Delete every key of this cache whose name (after the prefix) matches ``pattern``,
        a Redis glob; how many. A Redis that does not answer has nothing to delete."""

        def scan_and_delete() -> int:
            client = self._cache.get_client(write=True)
            deleted = 0
            for key in client.scan_iter(match=f"{self.key_prefix}{pattern}", count=1000):
                deleted += client.delete(key)
            return deleted

        return self._call(None, scan_and_delete, lambda local: 0, 0, write=True)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            key,
            lambda: super(RedisFallbackCache, self).add(key, value, timeout, version),
            lambda local: local.add(key, value, timeout, version),
            False,
            write=True,
        )

    def get(self, key, default=None, version=None):
        return self._call(
            key,
            lambda: super(RedisFallbackCache, self).get(key, default, version),
            lambda local: local.get(key, default, version),
            default,
            write=False,
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            key,
            lambda: super(RedisFallbackCache, self).set(key, value, timeout, version),
            lambda local: local.set(key, value, timeout, version),
            None,
            write=True,
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            key,
            lambda: super(RedisFallbackCache, self).touch(key, timeout, version),
            lambda local: local.touch(key, timeout, version),
            False,
            write=True,
        )

    def delete(self, key, version=None):
        return self._call(
            key,
            lambda: super(RedisFallbackCache, self).delete(key, version),
            lambda local: local.delete(key, version),
            False,
            write=True,
        )

    def has_key(self, key, version=None):
        return self._call(
            key,
            lambda: super(RedisFallbackCache, self).has_key(key, version),
            lambda local: local.has_key(key, version),
            False,
            write=False,
        )

    def incr(self, key, delta=1, version=None):
        def missing(local: LocMemCache) -> int:
            return local.incr(key, delta, version)

        result = self._call(
            key,
            lambda: super(RedisFallbackCache, self).incr(key, delta, version),
            missing,
            None,
            write=True,
        )
        if result is None:
            raise ValueError(f"Key '{key}' not found.")
        return result

    def get_many(self, keys, version=None):
        return self._call(
            None,
            lambda: super(RedisFallbackCache, self).get_many(keys, version),
            lambda local: {},
            {},
            write=False,
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            None,
            lambda: super(RedisFallbackCache, self).set_many(data, timeout, version),
            lambda local: list(data),
            list(data),
            write=True,
        )

    def delete_many(self, keys, version=None):
        return self._call(
            None,
            lambda: super(RedisFallbackCache, self).delete_many(keys, version),
            lambda local: None,
            None,
            write=True,
        )

    def clear(self):
        self._local.clear()
        return self._call(
            None,
            # RedisCache.clear answers FLUSHDB's bool; the stubs say None.
            lambda: super(RedisFallbackCache, self).clear(),  # type: ignore[arg-type,return-value]
            lambda local: False,
            False,
            write=True,
        )
