"""What a change makes rosters compute again before anyone asks (``navpanel.warming``): the
roster pages HR opened lately, with their filters."""

from django.http import QueryDict
from django.utils import translation

from accounts.models import User
from navpanel.warming import Changed, recent_views, warmer

from .selectors import user_may_see_roster
from .views import roster_found


@warmer(order=1)
def roster_viewed_warm(changed: Changed) -> None:
    """Each roster view of the last minutes again, for its user as they may see it now (not
    at all once they may not); those the change left alone are found in the cache at once."""
    if not changed.national:
        return
    for view in recent_views("roster"):
        user = User.objects.filter(pk=view.user_id, is_active=True).first()
        if user is None or not user_may_see_roster(user):
            continue
        with translation.override(view.language):
            roster_found(user, QueryDict(view.query))
