from celery import shared_task

from .statistics import statistics_warm


@shared_task(name="reports.statistics_warm")
def statistics_warm_task() -> int:
    """Fill the cache with every office's counts for this year that a change emptied (beat runs
    it every minute), so that no request counts the whole country."""
    return statistics_warm()
