"""Every page of the three journeys costs a fixed number of SQL queries, however much data.

Each page (the table in ``bench/pages.py``) is opened on a small scale dataset (2 offices, 10
representatives each, 2 rounds a year) and on one three times as large in every direction
(offices, pool, rounds): the count is pinned under the page's maximum and must be the same at
both sizes, so an N+1 query fails here before it reaches NAV's 250 offices. The counted visit
is a cache miss (the data version is bumped just before), so what a page caches in Redis is
computed and counted too.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bench.dataset import Sizes, sample_ids, seed_scale
from bench.pages import PAGES, Page
from navpanel.cache_versions import data_version_bump

SMALL = Sizes(offices=2, years=1, representatives=10, rounds_per_year=2, seed=9)
LARGE = Sizes(offices=6, years=1, representatives=30, rounds_per_year=6, seed=9)


def _open(page: Page, sizes: Sizes, *, reset: bool) -> tuple[Client, str]:
    """Seed ``sizes`` and open the page once, so that caches are warm for the counted visit."""
    seed_scale(sizes, reset=reset)
    sample = sample_ids()
    path = page.path(sample)
    if path is None:
        pytest.skip(f"{page.name} does not exist in this build")
    client = Client()
    if page.who in ("leader", "hr"):
        client.force_login(User.objects.get(pk=sample[page.who]))
    client.get(path)
    data_version_bump()
    return client, path


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_costs_the_same_queries_on_three_times_the_data(
    page: Page, db, django_assert_max_num_queries
) -> None:
    client, path = _open(page, SMALL, reset=False)
    with django_assert_max_num_queries(page.max_queries) as small:
        small_response = client.get(path)

    client, path = _open(page, LARGE, reset=True)
    with CaptureQueriesContext(connection) as large:
        large_response = client.get(path)

    assert small_response.status_code == 200
    assert large_response.status_code == 200
    assert len(large) == len(small), _both(small, large)


def _both(small: CaptureQueriesContext, large: CaptureQueriesContext) -> str:
    def lines(context: CaptureQueriesContext) -> str:
        return "\n".join(f"  {q['sql'][:160]}" for q in context.captured_queries)

    return f"small:\n{lines(small)}\nlarge:\n{lines(large)}"
