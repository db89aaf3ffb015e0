"""One version number for the data the leaders' and HR's pages read, so their costly parts can
be cached in Redis under keys that carry it (``versioned_key``) and never be served stale.

Every save, delete and many-to-many change of a model of ``panels``, ``interviews`` or
``reports`` bumps the version, whoever makes it (a service, a Celery task, the admin site):
immediately, so a later read in the same transaction (or request) recomputes, and again when the
transaction commits, so a page computed by another request from the data before the commit is
not kept under the new number. Writes that bypass ``save()`` (``QuerySet.update``) must call
``data_version_bump`` themselves; none of those paths changes what the cached pages show today
(erasure scrubs free-text notes, retention renames candidates, the outbox marks messages, which
the dashboard always reads fresh).

Inside a transaction of the application's own nothing is read from or stored in the cache
(``_in_transaction``): what is computed there may yet be rolled back.

Caching needs a cache every process shares: with the local-memory cache of ``make run`` (one per
process, so a worker's change would not reach the web process) nothing is cached.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

KEY = "data-version"
WATCHED_APPS = ("panels", "interviews", "reports")
# A safety net only: entries are exact while the version holds.
TIMEOUT = 15 * 60

T = TypeVar("T")


def caching_enabled() -> bool:
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _database() -> str:
    """The database the data lives in: two databases sharing a Redis (the benchmarks' sizes, a
    test run beside a demo) keep their versions and entries apart."""
    return str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])


def _version_key() -> str:
    return f"{KEY}:{_database()}"


def data_version() -> int:
    key = _version_key()
    version = cache.get(key)
    if version is None:
        # Never restart from a number used before (a flushed cache, a new test run): entries
        # stored under an old number must not be found again.
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
    if version is None:
        # No cache answers (navpanel.cache): a number nobody has used, so nothing cached is
        # found and nothing remembered against the version is trusted.
        return time.time_ns()
    return int(version)


def _bump() -> None:
    key = _version_key()
    try:
        try:
            cache.incr(key)
        except ValueError:
            cache.add(key, time.time_ns(), timeout=None)
    except Exception:  # a cache that does not answer must not fail a write
        logger.warning("could not bump the data version", exc_info=True)


def data_version_bump() -> None:
    """Now and again on commit (see the module docstring)."""
    if not caching_enabled():
        return
    _bump()
    transaction.on_commit(_bump, robust=True)


def cached_entries_forget() -> int:
    """Bump the version and delete every cached entry of this database; how many.

    A bump alone makes old entries unreachable, but they stay in Redis until their time-out
    (``TIMEOUT``). An erasure (``panels.erasure``) must leave no copy of the person anywhere,
    so it deletes them. Entries are keyed ``<name>:<database>:<version>:…``.
    """
    if not caching_enabled():
        return 0
    _bump()
    delete_matching = getattr(cache, "delete_matching", None)
    if delete_matching is None:  # a cache without key patterns: the bump must do
        return 0
    return delete_matching(f"*:{_database()}:*")


def versioned_key(name: str, *parts: Any) -> str:
    """``name``, the database, its data version, the active language and a digest of
    ``parts``."""
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    version = data_version()
    return f"{name}:{_database()}:{version}:{translation.get_language()}:{digest}"


def _in_transaction() -> bool:
    """Inside a transaction of the application's own (a test case's wrapper does not count).

    The version is bumped at the first write, before the commit, so what is computed in there
    would be stored under the new number; if the transaction then rolled back, no commit would
    bump again and the entry would show what never happened. So it is neither read nor stored.
    Django itself tells a test case's block apart by ``_from_testcase`` (for ``durable``).
    """
    blocks = connections[DEFAULT_DB_ALIAS].atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def cached(
    name: str,
    parts: Iterable[Any],
    compute: Callable[[], tuple[T, datetime | None]],
    *,
    now: datetime | None = None,
) -> T:
    """``compute()``'s value, cached under ``versioned_key(name, *parts)``.

    ``compute`` returns the value and the moment it expires by the clock alone (an interview
    that moves into the past, a deadline passing), or None when time does not change it.
    """
    if not caching_enabled() or _in_transaction():
        return compute()[0]
    now = now or timezone.now()
    try:
        key = versioned_key(name, *parts)
        found = cache.get(key)
    except Exception:  # without a cache the page is computed, not refused
        logger.warning("cache unavailable for %s", name, exc_info=True)
        return compute()[0]
    if found is not None:
        value, valid_until = found
        if valid_until is None or now < valid_until:
            return value
    value, valid_until = compute()
    try:
        cache.set(key, (value, valid_until), timeout=TIMEOUT)
    except Exception:  # likewise
        logger.warning("cache unavailable for %s", name, exc_info=True)
    return value


def _changed(sender: type, **kwargs: Any) -> None:
    data_version_bump()


def connect() -> None:
    """Bump on every change of a watched app's models (called from ``PanelsConfig.ready``)."""
    for label in WATCHED_APPS:
        if not apps.is_installed(label):
            continue
        for model in apps.get_app_config(label).get_models():
            post_save.connect(_changed, sender=model, dispatch_uid=f"data-version-save-{model}")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"data-version-delete-{model}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"data-version-m2m-{model}-{field.name}",
                )
