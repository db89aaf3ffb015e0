"""Caching by data version: what a rolled-back transaction computed is never served."""

import pytest
from django.db import transaction

from navpanel.cache_versions import cached, data_version_bump

pytestmark = pytest.mark.django_db


def _counter():
    """A computation that returns how many times it has run."""
    calls: list[int] = []

    def compute() -> tuple[int, None]:
        calls.append(1)
        return len(calls), None

    return compute


def test_an_entry_is_computed_once_between_changes():
    compute = _counter()

    first = cached("probe-hit", ("a",), compute)
    second = cached("probe-hit", ("a",), compute)
    data_version_bump()
    third = cached("probe-hit", ("a",), compute)

    assert (first, second, third) == (1, 1, 2)


def test_what_a_rolled_back_transaction_computed_is_not_served_afterwards():
    compute = _counter()

    with pytest.raises(RuntimeError), transaction.atomic():
        data_version_bump()
        assert cached("probe-rollback", ("a",), compute) == 1
        raise RuntimeError("rolled back")
    after = cached("probe-rollback", ("a",), compute)

    assert after == 2
