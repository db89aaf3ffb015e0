"""Version numbers for the data the leaders' and HR's pages read, so their costly parts can be
cached in Redis under keys that carry them (``cached``) and never be served stale.

**Scopes.** There is a version per office (``office:<id>``), per county (``county:<code>``),
one for the whole country (``national``), one for the list of offices (``offices``, the header's
switcher) and one for what every page depends on (``all``: backgrounds, published texts, rates).
Every save, delete and many-to-many change of a model of ``panels``, ``interviews`` or
``reports`` bumps the versions of the offices it belongs to (``OFFICE_PATHS``: a seat belongs
to its panel's office and to every office of its representative, whose suggestions it changes),
their counties and ``national``; a model without an office bumps ``all``. So a write in Rana
leaves Hadeland's entries warm, and a page's key holds only the versions of what it shows
(``office_scopes``). Writes that bypass ``save()`` (``QuerySet.update``, ``COPY``) must call
``data_version_bump`` themselves.

**Per panel and person.** The representative's invitation page shows one panel and one person,
and is kept under their own versions (``panel:<id>``, ``representative:<id>``, bumped by the rows
``PANEL_AND_PERSON_PATHS`` ties to them) beside ``offices`` and ``all``: another seat's answer in
the same office leaves it, and the worker renders again only the pages a change touched.

**When.** A write outside a transaction bumps at once. A write inside one bumps at once (so a
read later in the same transaction misses) and once more when the transaction commits (so a
page that another request computed from the data before the commit is not kept): the first
write of a transaction registers one ``_Publish`` with ``transaction.on_commit(robust=True)``
and the later ones add their scopes to it (one publish per transaction; the list is this
module's own, one per database connection, i.e. per thread).

**Rollback.** Once a transaction has written, what it computes may yet be rolled back, so it
caches under a token of its own (``_Publish.token``) that no other transaction uses. Django
drops the on-commit callback of a transaction (or savepoint) that rolls back; this module keeps
only a weak reference to it, so the token goes with it and nothing computed in there is ever
found again. A test case's wrapping transaction never commits: its writes bump at once and its
reads cache under its token, so the tests of "a change shows at once" run against the cache.

**One computation per entry.** When an entry is missing, the first request takes a lock in
Redis (``cache.add``) and computes; the others wait for its result (``_wait_for``) instead of
computing the same report at once.

Caching needs a cache every process shares: with the local-memory cache of ``make run`` (one per
process, so a worker's change would not reach the web process) nothing is cached.
"""

import hashlib
import logging
import secrets
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import Signal
from django.utils import timezone, translation
from prometheus_client import Counter

logger = logging.getLogger(__name__)

KEY = "data-version"
WATCHED_APPS = ("panels", "interviews", "reports")
# A safety net only: entries are exact while the versions hold.
TIMEOUT = 15 * 60
ALL = "all"
NATIONAL = "national"
OFFICES = "offices"
# A page over more offices than this is keyed by the national version (one read) rather than
# by each office's: still exact, since every office's write bumps ``national`` too.
MAX_OFFICE_SCOPES = 20
# Single flight: how long a computation may hold its entry's lock, and how often the others look
# (a look is two reads from Redis, ~0.2 ms; every step of waiting past the entry's arrival is
# added to the waiting request's time, and HR's national pages are computed in 20-40 ms).
LOCK_SECONDS = 60
WAIT_STEP = 0.005

# The offices a row of each model belongs to, as lookups from the model (``None``: the row is
# an office; no entry: what it changes is not an office's, so every page's ``all`` is bumped).
OFFICE_PATHS: dict[str, tuple[str | None, ...]] = {
    "interviews.office": (None,),
    "interviews.officerole": ("office",),
    "interviews.hiringround": ("office",),
    "interviews.roundtransition": ("round__office",),
    "interviews.candidate": ("round__office",),
    "interviews.interview": ("round__office",),
    # A representative's name shows on the seats they had, also in offices they have left.
    "panels.representative": ("offices", "seats__panel__round__office"),
    "panels.backgroundwant": ("round__office",),
    "panels.panel": ("round__office",),
    "panels.staffinterviewer": ("panel__round__office",),
    "panels.seat": ("panel__round__office", "representative__offices"),
    "panels.seattransition": ("seat__panel__round__office", "seat__representative__offices"),
    "panels.seatbooking": ("seat__panel__round__office", "representative__offices"),
    "panels.conflictofinterest": ("representative__offices", "candidate__round__office"),
    "panels.consentgiven": ("representative__offices",),
    "panels.confidentialitysigned": ("representative__offices",),
    "panels.feedback": ("panel__round__office",),
    "panels.candidatesurveycode": ("panel__round__office",),
    "panels.candidateanswer": ("panel__round__office",),
    "panels.poolimport": ("office",),
    "reports.travelclaim": ("seat__panel__round__office",),
    "reports.travelclaimchange": ("seat__panel__round__office",),
    "panels.honorariaexport": ("office",),
    # No page shows a short link; it is made with the message that carries it, for the person.
    "panels.shortlink": ("representative__offices",),
}

# The panels and the representatives a row of each model is about, as lookups from the model
# (``None``: the row itself), for the pages that show one panel to one person (the seat page).
# Every model of ``OFFICE_PATHS`` is named (tests/test_cache_versions.py), with empty tuples
# where no such page shows it, so a new model is placed on purpose.
PANEL_AND_PERSON_PATHS: dict[str, tuple[tuple[str | None, ...], tuple[str | None, ...]]] = {
    # Its name and contact details: the ``offices`` version, which only an office's row bumps.
    "interviews.office": ((), ()),
    "interviews.officerole": ((), ()),
    "interviews.hiringround": (("panels",), ()),
    "interviews.roundtransition": (("round__panels",), ()),
    "interviews.candidate": (("interviews__panels",), ()),
    "interviews.interview": (("panels",), ()),
    "panels.representative": ((), (None,)),
    "panels.backgroundwant": ((), ()),
    "panels.panel": ((None,), ()),
    "panels.staffinterviewer": (("panel",), ()),
    "panels.seat": (("panel",), ("representative",)),
    "panels.seattransition": (("seat__panel",), ("seat__representative",)),
    "panels.seatbooking": (("seat__panel",), ("representative",)),
    "panels.conflictofinterest": (("candidate__interviews__panels",), ("representative",)),
    "panels.consentgiven": ((), ("representative",)),
    "panels.confidentialitysigned": ((), ("representative",)),
    "panels.feedback": ((), ()),
    "panels.candidatesurveycode": ((), ()),
    "panels.candidateanswer": ((), ()),
    "panels.poolimport": ((), ()),
    "reports.travelclaim": ((), ()),
    "reports.travelclaimchange": ((), ()),
    "panels.honorariaexport": ((), ()),
    "panels.shortlink": ((), ()),
}

# What every page may show: a change bumps ``all``. Every model of ``WATCHED_APPS`` is named here
# or in ``OFFICE_PATHS`` (tests/test_cache_versions.py), so a new model is placed on purpose.
EVERY_PAGE = frozenset(
    {
        "panels.background",
        "panels.consenttext",
        "panels.confidentialitytext",
        "reports.honorariumrate",
    }
)

T = TypeVar("T")

# Sent once a change is committed (or at once outside a transaction) with the ``scopes`` it
# bumped: ``navpanel.warming`` computes the pages they changed before anyone asks.
data_changed = Signal()

LOOKUPS = Counter(
    "navpanel_cache_lookups",
    "Cached entries asked for, by name and result: hit, miss (computed here) or waited (another "
    "request computed it).",
    ["name", "result"],
)


def caching_enabled() -> bool:
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def database_name() -> str:
    """The database the data lives in: two databases sharing a Redis (the benchmarks' sizes, a
    test run beside a demo) keep their versions and entries apart."""
    return str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])


def _version_key(scope: str) -> str:
    return f"{KEY}:{scope}:{database_name()}"


def office_scope(office_id: int) -> str:
    return f"office:{office_id}"


def county_scope(county: str) -> str:
    return f"county:{county}"


def panel_scope(panel_id: int) -> str:
    return f"panel:{panel_id}"


def representative_scope(representative_id: int) -> str:
    return f"representative:{representative_id}"


def office_scopes(office_ids: Iterable[int]) -> list[str]:
    """The scopes of a page that shows ``office_ids``: each office's, or ``national`` for many."""
    ids = sorted(set(office_ids))
    if len(ids) > MAX_OFFICE_SCOPES:
        return [NATIONAL]
    return [office_scope(pk) for pk in ids]


def data_versions(scopes: Iterable[str]) -> list[int]:
    """The current versions of ``scopes``, one round trip when they all exist."""
    keys = [_version_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # Never restart from a number used before (a flushed cache, a new test run): entries
            # stored under an old number must not be found again.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    # No cache answers (navpanel.cache): numbers nobody has used, so nothing cached is found.
    return [int(found[key]) if found[key] is not None else time.time_ns() for key in keys]


def _bump(scopes: Iterable[str]) -> None:
    for scope in sorted(set(scopes)):
        key = _version_key(scope)
        try:
            try:
                cache.incr(key)
            except ValueError:
                cache.add(key, time.time_ns(), timeout=None)
        except Exception:  # a cache that does not answer must not fail a write
            logger.warning("could not bump the data version of %s", scope, exc_info=True)


class _Publish:
    """The scopes one transaction changed, bumped together once it has committed."""

    def __init__(self) -> None:
        self.scopes: set[str] = set()
        self.token = secrets.token_hex(8)
        self.done = False

    def __call__(self) -> None:
        self.done = True
        _bump(self.scopes)
        data_changed.send(sender=_Publish, scopes=frozenset(self.scopes))


class _PerConnection(threading.local):
    """This thread's (so this connection's) open ``_Publish``, weakly held (module docstring)."""

    publish: "weakref.ref[_Publish] | None" = None


_local = _PerConnection()


def _pending() -> _Publish | None:
    """The ``_Publish`` of the transaction open on this connection, if it has written."""
    if _local.publish is None:
        return None
    publish = _local.publish()
    if publish is None or publish.done or transaction.get_autocommit():
        # Committed, rolled back (Django dropped the callback), or no transaction open at all.
        _local.publish = None
        return None
    return publish


def data_version_bump(scopes: Iterable[str] = (ALL,)) -> None:
    """Bump ``scopes`` now and, inside a transaction, again on commit (module docstring)."""
    if not caching_enabled():
        return
    scopes = set(scopes)
    _bump(scopes)
    if transaction.get_autocommit():
        data_changed.send(sender=_Publish, scopes=frozenset(scopes))
        return
    publish = _pending()
    if publish is None:
        publish = _Publish()
        transaction.on_commit(publish, robust=True)
        _local.publish = weakref.ref(publish)
    publish.scopes |= scopes


def _scopes_of(model: type[models.Model], pk: Any) -> set[str]:
    """The versions a change to the row ``pk`` of ``model`` bumps (``OFFICE_PATHS``,
    ``PANEL_AND_PERSON_PATHS``)."""
    paths = OFFICE_PATHS.get(model._meta.label_lower)
    if paths is None:
        return {ALL}
    scopes = {NATIONAL}
    rows = model._base_manager.filter(pk=pk)
    for path in paths:
        prefix = f"{path}__" if path else ""
        for office_id, county in rows.values_list(f"{prefix}id", f"{prefix}county"):
            if office_id is not None:
                scopes |= {office_scope(office_id), county_scope(county)}
    if paths == (None,):
        scopes.add(OFFICES)
    panel_paths, person_paths = PANEL_AND_PERSON_PATHS[model._meta.label_lower]
    # The row itself needs no query; its panels and people are read together, in one.
    related: list[tuple[str, Callable[[int], str]]] = []
    for paths_of, scope in ((panel_paths, panel_scope), (person_paths, representative_scope)):
        for path in paths_of:
            if path is None:
                scopes.add(scope(pk))
            else:
                related.append((f"{path}__id", scope))
    if related:
        for found in rows.values_list(*(lookup for lookup, _scope in related)):
            scopes |= {
                scope(related_id)
                for related_id, (_lookup, scope) in zip(found, related, strict=True)
                if related_id is not None
            }
    return scopes


def _changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if caching_enabled():
        data_version_bump(_scopes_of(type(instance), instance.pk))


def _m2m_changed(sender: type, instance: models.Model, action: str, **kwargs: Any) -> None:
    # Before a removal (the row still belongs to the offices it leaves) and after an addition.
    if action in ("pre_remove", "pre_clear", "post_add"):
        _changed(type(instance), instance)


def cached_entries_forget() -> int:
    """Bump every version and delete every cached entry of this database; how many.

    A bump alone makes old entries unreachable, but they stay in Redis until their time-out
    (``TIMEOUT``). An erasure (``panels.erasure``) must leave no copy of the person anywhere,
    so it deletes them. Entries are keyed ``<name>:<database>:<versions>:…``.
    """
    if not caching_enabled():
        return 0
    _bump([ALL])
    delete_matching = getattr(cache, "delete_matching", None)
    if delete_matching is None:  # a cache without key patterns: the bump must do
        return 0
    return delete_matching(f"*:{database_name()}:*")


def _key(name: str, parts: Iterable[Any], scopes: list[str], versions: dict[str, int]) -> str:
    """``name``, the database, the versions of ``all`` and ``scopes`` (and the transaction's
    own token once it has written), the active language and a digest of ``parts``."""
    scopes = [ALL, *sorted(set(scopes))]
    numbers = ".".join(str(versions[scope]) for scope in scopes)
    publish = _pending()
    if publish is not None:
        numbers += f".{publish.token}"
    digest = hashlib.sha1(
        repr((tuple(parts), scopes, numbers)).encode(), usedforsecurity=False
    ).hexdigest()
    return f"{name}:{database_name()}:{translation.get_language()}:{digest}"


def versioned_key(name: str, parts: Iterable[Any], scopes: Iterable[str]) -> str:
    scopes = [ALL, *sorted(set(scopes))]
    return _key(name, parts, scopes, dict(zip(scopes, data_versions(scopes), strict=True)))


def _fresh(found: Any, now: datetime) -> bool:
    if found is None:
        return False
    _value, valid_until = found
    return valid_until is None or now < valid_until


def _wait_for(key: str, lock: str, now: datetime) -> Any:
    """The entry another request is computing, once it is there; None if it gives up."""
    deadline = time.monotonic() + LOCK_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        found = cache.get(key)
        if _fresh(found, now):
            return found
        if cache.get(lock) is None:  # it gave up, or stored nothing we can use
            return None
    return None


def cached(
    name: str,
    parts: Iterable[Any],
    compute: Callable[[], tuple[T, datetime | None]],
    *,
    scopes: Iterable[str] = (NATIONAL,),
    now: datetime | None = None,
    timeout: int = TIMEOUT,
) -> T:
    """``compute()``'s value, cached under ``versioned_key(name, parts, scopes)``.

    ``scopes`` are the versions the value depends on (``office_scopes`` of what it shows;
    ``national``, the default, is bumped by every office's change). ``compute`` returns the
    value and the moment it expires by the clock alone (an interview that moves into the past,
    a deadline passing), or None when time does not change it. ``timeout``: seconds Redis keeps
    the entry (the versions decide whether it is still right; this only frees the memory).
    """
    if not caching_enabled():
        return compute()[0]
    now = now or timezone.now()
    try:
        key = versioned_key(name, parts, scopes)
        found = cache.get(key)
    except Exception:  # without a cache the page is computed, not refused
        logger.warning("cache unavailable for %s", name, exc_info=True)
        return compute()[0]
    if _fresh(found, now):
        LOOKUPS.labels(name, "hit").inc()
        return found[0]
    lock = f"lock:{key}"
    holder = secrets.token_hex(8)
    if not cache.add(lock, holder, timeout=LOCK_SECONDS) and cache.get(lock) is not None:
        found = _wait_for(key, lock, now)
        if found is not None:
            LOOKUPS.labels(name, "waited").inc()
            return found[0]
    try:
        # Whoever held the lock may have stored the entry and let go between our first look
        # and taking the lock ourselves: look again before computing it a second time.
        found = cache.get(key)
        if _fresh(found, now):
            LOOKUPS.labels(name, "waited").inc()
            return found[0]
        LOOKUPS.labels(name, "miss").inc()
        value, valid_until = compute()
        cache.set(key, (value, valid_until), timeout=timeout)
    finally:
        if cache.get(lock) == holder:
            cache.delete(lock)
    return value


K = TypeVar("K")


def cached_many(
    name: str,
    wanted: dict[K, tuple[Iterable[Any], Iterable[str]]],
    compute: Callable[[list[K]], dict[K, tuple[T, datetime | None]]],
    *,
    now: datetime | None = None,
) -> dict[K, T]:
    """Many entries of one kind at once: ``wanted`` maps each item to its key's parts and
    scopes; ``compute(missing)`` computes the items not found, together, as ``cached``'s
    ``compute`` does one. Two round trips to Redis (the versions, the entries) whatever the
    number of items, and one more to store what was computed."""
    if not caching_enabled():
        return {item: value for item, (value, _until) in compute(list(wanted)).items()}
    now = now or timezone.now()
    scopes = sorted(
        {ALL} | {scope for _parts, item_scopes in wanted.values() for scope in item_scopes}
    )
    try:
        versions = dict(zip(scopes, data_versions(scopes), strict=True))
        keys = {item: _key(name, parts, list(s), versions) for item, (parts, s) in wanted.items()}
        found = cache.get_many(list(keys.values()))
    except Exception:  # without a cache the report is computed, not refused
        logger.warning("cache unavailable for %s", name, exc_info=True)
        return {item: value for item, (value, _until) in compute(list(wanted)).items()}
    values: dict[K, T] = {}
    missing = []
    for item, key in keys.items():
        entry: Any = found.get(key)  # a (value, valid_until) pair, or None
        if _fresh(entry, now):
            values[item] = entry[0]
        else:
            missing.append(item)
    LOOKUPS.labels(name, "hit").inc(len(values))
    if missing:
        LOOKUPS.labels(name, "miss").inc(len(missing))
        computed = compute(missing)
        cache.set_many({keys[item]: entry for item, entry in computed.items()}, timeout=TIMEOUT)
        values.update({item: value for item, (value, _until) in computed.items()})
    return values


def connect() -> None:
    """Bump on every change of a watched app's models (called from ``PanelsConfig.ready``)."""
    for label in WATCHED_APPS:
        if not apps.is_installed(label):
            continue
        for model in apps.get_app_config(label).get_models():
            post_save.connect(_changed, sender=model, dispatch_uid=f"data-version-save-{model}")
            # Before the delete: the row must still be there to find its offices.
            pre_delete.connect(_changed, sender=model, dispatch_uid=f"data-version-delete-{model}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _m2m_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"data-version-m2m-{model}-{field.name}",
                )
