"""Quarters: the period HR reports honoraria and statistics by."""

from datetime import date, timedelta


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of ``quarter`` (1–4) of ``year``."""
    first = date(year, 3 * (quarter - 1) + 1, 1)
    next_first = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, next_first - timedelta(days=1)


def quarter_key(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def parse_quarter_key(key: str) -> tuple[int, int]:
    year, quarter = key.split("-Q")
    return int(year), int(quarter)


def recent_quarters(*, today: date, count: int = 8) -> list[tuple[int, int]]:
    """The current quarter and the ``count - 1`` before it, newest first."""
    year, quarter = quarter_of(today)
    found = []
    for _ in range(count):
        found.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return found
