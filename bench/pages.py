"""The pages of the three journeys, in one table shared by the query-count tests and the
benchmarks (``tests/test_query_counts.py``, ``bench/queries.py``, ``bench/latency.py``).

Adding a page is one line in ``PAGES``: a name, who opens it, and how to build its URL from the
sample ids of a scale dataset (``bench.dataset.sample_ids``). A page whose URL name does not
exist (yet) is skipped and reported as such.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import ModuleType
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

MAX_QUERIES = 15  # issue 9: no page over 15 queries


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _links() -> ModuleType:
    """``panels.links``, imported when a URL is built: the parent process of ``bench.queries``
    reads this table without Django set up, and importing models needs it."""
    from panels import links

    return links


def _year_ago() -> str:
    return (timezone.localdate() - timedelta(days=365)).isoformat()


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # "leader", "hr" (national) or "representative" (no sign-in, a signed link)
    url: Callable[[dict], str]
    max_queries: int = MAX_QUERIES
    latency: bool = False  # also measured under load by bench/latency.py

    def path(self, sample: dict) -> str | None:
        """The page's path for ``sample``, or None when the page does not exist in this build."""
        try:
            return self.url(sample)
        except NoReverseMatch:
            return None


PAGES: list[Page] = [
    Page("leader: dashboard", "leader", lambda s: reverse("dashboard"), latency=True),
    Page("leader: rounds list", "leader", lambda s: reverse("round_list")),
    Page("leader: round detail", "leader", lambda s: reverse("round_detail", args=[s["round"]])),
    Page(
        "leader: interview day",
        "leader",
        lambda s: reverse("interview_day_create", args=[s["round"]]),
    ),
    Page(
        "leader: panel page",
        "leader",
        lambda s: reverse("panel_detail", args=[s["panel"]]),
        latency=True,
    ),
    Page("leader: pool list", "leader", lambda s: reverse("representative_list")),
    Page(
        "leader: representative detail",
        "leader",
        lambda s: reverse("representative_detail", args=[s["representative"]]),
    ),
    Page(
        "representative: invitation",
        "representative",
        lambda s: _path(_links().seat_url(s["seat"])),
        # Counted as a miss: where the seat belongs; the seat with its panel, round, office
        # and person; the texts and where the person stands with them (panels.agreements); the
        # panel's video links and staff; when a text published ahead comes in. A hit reads the
        # first alone.
        max_queries=5,
        latency=True,
    ),
    Page(
        "representative: consent",
        "representative",
        lambda s: _path(_links().consent_url(s["awaiting_consent"])),
    ),
    Page(
        "representative: my page",
        "representative",
        lambda s: _path(_links().my_page_url(s["representative"])),
    ),
    Page(
        "representative: feedback",
        "representative",
        lambda s: _path(_links().feedback_url(s["attended_seat"])),
    ),
    Page("hr: roster", "hr", lambda s: reverse("roster"), latency=True),
    Page(
        "hr: roster filtered",
        "hr",
        lambda s: reverse("roster") + f"?county={s['county']}&date_from={_year_ago()}",
        latency=True,
    ),
    Page("hr: statistics", "hr", lambda s: reverse("statistics"), latency=True),
    Page(
        "hr: statistics, one office",
        "hr",
        lambda s: reverse("statistics") + f"?office={s['office']}",
        latency=True,
    ),
    Page("hr: honoraria", "hr", lambda s: reverse("honoraria")),
]
