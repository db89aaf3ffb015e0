from django.db.models import Q, QuerySet

from accounts.models import User
from interviews.selectors import offices_for_user

from .models import AuditEvent, AuditEventOffice


def audit_events_for_user(user: User) -> QuerySet[AuditEvent]:
    """Administrators read the whole log; HR and leaders the events of the offices in scope
    (``AuditEvent.office`` or any of its ``offices``) and every event they did themselves: their
    own exports and API calls, over whatever offices they spanned."""
    if user.is_superuser:
        return AuditEvent.objects.all()
    scope = offices_for_user(user).values("pk")
    concerning = AuditEventOffice.objects.filter(office__in=scope).values("event_id")
    return AuditEvent.objects.filter(Q(office__in=scope) | Q(pk__in=concerning) | Q(actor=user))
