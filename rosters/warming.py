"""What a change makes rosters compute again before anyone asks (``navpanel.warming``): the
roster pages HR opened lately, with their filters."""

from navpanel.warming import Changed, recent_views_open, warmer

from .views import roster_found


@warmer(order=1)
def roster_viewed_warm(changed: Changed) -> None:
    """Each roster view of the last minutes again, for its user as they may see it now (not
    at all once they may not); those the change left alone are found in the cache at once."""
    if changed.national:
        recent_views_open("roster", roster_found)
