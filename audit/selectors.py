from django.db.models import Q, QuerySet

from accounts.models import User
from interviews.selectors import offices_for_user

from .models import AuditEvent


def audit_events_for_user(user: User) -> QuerySet[AuditEvent]:
    """Administrators read the whole log; HR and leaders the events of the offices in scope."""
    if user.is_superuser:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(Q(office__in=offices_for_user(user).values("pk")))
