"""What a change makes reports compute again before anyone asks (``navpanel.warming``): the
statistics HR opened lately, national overview included, so that no request adds up the
country after a change."""

from navpanel.warming import Changed, recent_views_open, warmer

from .views import statistics_context


@warmer(order=1)
def statistics_viewed_warm(changed: Changed) -> None:
    """Each statistics view of the last minutes again, for its user as they may see it now;
    those the change left alone are found in the cache at once."""
    if changed.national:
        recent_views_open("statistics", statistics_context)
