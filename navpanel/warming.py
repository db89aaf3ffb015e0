"""Pages computed again right after a change, before anyone asks for them (refresh-ahead).

A committed change bumps the data versions of the offices, counties and country it touched
(``navpanel.cache_versions``), and every entry cached under them is out of reach. Without this
module the next leader to open that office's dashboard or panel page, and the next HR user to
open the national statistics or roster, computes it in their own request: 30-50 ms at 250
offices instead of 10-17 ms from the cache, and under a working day's writes (issue 20) that is
what those pages' p95 was made of.

So the commit queues one task, ``navpanel.pages_warm``, on a queue of its own (``pages``), with
the scopes it bumped; a worker computes the entries those pages read under the new versions,
through the same functions and keys as the views, and the next request finds them. Nothing is
served stale: entries are keyed by the versions as before, and a request that comes before the
worker is done waits for its computation (single flight) or computes the entry itself.

Each app says what it warms (``warmer``): panels its leaders' dashboards and upcoming panel
pages (in the default language, ``LANGUAGE_CODE``, the one most users read). HR's filters are
too many to guess, so HR's statistics and roster warm what HR has opened lately instead: their
views remember each user, language and query string (``view_remember``; at most
``RECENT_MAX`` per page, for ``RECENT_SECONDS``; no personal data, only whose filters), and
their warmers open them again for that user (``recent_views``), with what the user may see now.

Off when nothing is cached (the demo's local memory) and when ``PAGES_WARM`` is false (the test
suite, except the tests of this module). A broker that does not answer costs a write at most
one time-out: warming is then left alone for ``PAUSE_SECONDS``, and the pages are computed on
demand as before.
"""

import logging
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils import timezone, translation

from . import cache_versions

logger = logging.getLogger(__name__)

QUEUE = "pages"
PAUSE_SECONDS = 30.0
# HR's recent views: how long one is warmed after it was last opened, how many per page, and
# how often the same view is written down again while it is opened again and again.
RECENT_SECONDS = 15 * 60
RECENT_MAX = 20
REMEMBER_EVERY = 60.0


@dataclass(frozen=True)
class Changed:
    """What one committed transaction changed, as the scopes it bumped say it."""

    office_ids: frozenset[int]
    # ``all`` was bumped (backgrounds, texts, rates): every page of every office changed.
    everything: bool
    # The panels and people whose own pages (the seat page) changed.
    panel_ids: frozenset[int] = frozenset()
    representative_ids: frozenset[int] = frozenset()

    @classmethod
    def from_scopes(cls, scopes: Iterable[str]) -> "Changed":
        bumped = set(scopes)

        def ids(kind: str) -> frozenset[int]:
            return frozenset(
                int(scope.partition(":")[2]) for scope in bumped if scope.startswith(f"{kind}:")
            )

        return cls(
            office_ids=ids("office"),
            everything=cache_versions.ALL in bumped,
            panel_ids=ids("panel"),
            representative_ids=ids("representative"),
        )

    @property
    def national(self) -> bool:
        """Whether the country's pages changed: they do with any office's data."""
        return self.everything or bool(self.office_ids)


Warmer = Callable[[Changed], None]
_warmers: list[tuple[int, Warmer]] = []
_paused_until = 0.0


def warmer(*, order: int) -> Callable[[Warmer], Warmer]:
    """Register a function to compute, after each committed change, the entries it names;
    lower ``order`` first: HR's pages, which every change empties, before each office's."""

    def register(function: Warmer) -> Warmer:
        _warmers.append((order, function))
        _warmers.sort(key=lambda registered: registered[0])
        return function

    return register


def _queue_warming(*, scopes: frozenset[str], **_signal: Any) -> None:
    """Receiver of ``cache_versions.data_changed``: queue the task that warms ``scopes``."""
    global _paused_until
    if not settings.PAGES_WARM or time.monotonic() < _paused_until:
        return
    try:
        pages_warm.apply_async(args=(sorted(scopes),), queue=QUEUE, retry=False)
    except Exception as error:  # noqa: BLE001 - warming must never fail the write it follows
        _paused_until = time.monotonic() + PAUSE_SECONDS
        logger.warning("pages: could not queue warming (%r)", error)


@dataclass(frozen=True)
class RecentView:
    """A page's view that ``view_remember`` wrote down: whose, in which language, asking what."""

    user_id: int
    language: str
    query: str


def _recent_key(page: str) -> str:
    return f"recent-views:{page}:{cache_versions.database_name()}"


def view_remember(page: str, *, user_id: int, query: str) -> None:
    """Write down that ``user_id`` opened ``page`` with ``query`` in the active language, for
    ``page``'s warmer. A lost update (two views at once) loses a hint, never data."""
    if not settings.PAGES_WARM or not cache_versions.caching_enabled():
        return
    now = time.time()
    seen = f"{user_id}:{translation.get_language()}:{query}"
    views: dict[str, float] = cache.get(_recent_key(page)) or {}
    if now - views.get(seen, 0.0) < REMEMBER_EVERY:
        return
    views[seen] = now
    kept = sorted(
        ((view, at) for view, at in views.items() if now - at < RECENT_SECONDS),
        key=lambda item: item[1],
    )[-RECENT_MAX:]
    cache.set(_recent_key(page), dict(kept), timeout=RECENT_SECONDS)


def recent_views(page: str) -> list[RecentView]:
    """What ``view_remember`` wrote down for ``page`` in the last ``RECENT_SECONDS``, newest
    first."""
    now = time.time()
    views: dict[str, float] = cache.get(_recent_key(page)) or {}
    found = []
    for seen, at in sorted(views.items(), key=lambda item: -item[1]):
        if now - at >= RECENT_SECONDS:
            continue
        user_id, language, query = seen.split(":", 2)
        found.append(RecentView(int(user_id), language, query))
    return found


def recent_views_open(page: str, show: Callable[[Any, QueryDict], object]) -> None:
    """Open each of ``page``'s recent views again: ``show(user, query)`` in the view's language,
    for its user if still active; one they may no longer see (``PermissionDenied``) is left."""
    for view in recent_views(page):
        user = get_user_model().objects.filter(pk=view.user_id, is_active=True).first()
        if user is None:
            continue
        with translation.override(view.language), suppress(PermissionDenied):
            show(user, QueryDict(view.query))


def connect() -> None:
    """Queue warming after each committed change (called from ``PanelsConfig.ready``)."""
    cache_versions.data_changed.connect(_queue_warming, dispatch_uid="navpanel-pages-warm")


def warm(scopes: Iterable[str]) -> int:
    """Run every registered warmer on what ``scopes`` changed; how many ran."""
    changed = Changed.from_scopes(scopes)
    ran = 0
    with translation.override(settings.LANGUAGE_CODE):
        for _order, function in _warmers:
            try:
                function(changed)
            except Exception:  # one page's failure leaves the others warmed
                logger.exception("pages: warming failed in %s", function.__qualname__)
            else:
                ran += 1
    return ran


@shared_task(name="navpanel.pages_warm", ignore_result=True, acks_late=False)
def pages_warm(scopes: list[str]) -> int:
    """The entries of the pages ``scopes`` changed, computed now (module docstring).

    Acknowledged on receipt: a warming lost with its worker costs one request its cache, and
    running it twice costs nothing but time (each entry is computed once per version)."""
    started = timezone.now()
    ran = warm(scopes)
    logger.info(
        "pages: warmed %s scopes in %.0f ms",
        len(scopes),
        (timezone.now() - started).total_seconds() * 1000,
    )
    return ran
