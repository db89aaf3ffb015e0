"""What a change makes reports compute again before anyone asks (``navpanel.warming``): the
statistics HR opened lately, national overview included, so that no request adds up the
country after a change."""

from django.http import QueryDict
from django.utils import translation

from accounts.models import User
from navpanel.warming import Changed, recent_views, warmer

from .views import statistics_context


@warmer(order=1)
def statistics_viewed_warm(changed: Changed) -> None:
    """Each statistics view of the last minutes again, for its user as they may see it now;
    those the change left alone are found in the cache at once."""
    if not changed.national:
        return
    for view in recent_views("statistics"):
        user = User.objects.filter(pk=view.user_id, is_active=True).first()
        if user is None:
            continue
        with translation.override(view.language):
            statistics_context(user, QueryDict(view.query))
