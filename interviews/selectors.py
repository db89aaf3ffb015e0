"""Who sees what. Every queryset a view shows is scoped through ``offices_for_user``.

- An office leader sees and acts on the offices they lead, nothing else.
- An HR adviser sees the offices in their scope (one office, a county or all) and changes nothing.
- Anyone else (an administrator without a role, an anonymous user) sees no office here; the
  administrator works in the Django admin.
"""

from django.db.models import Q, QuerySet

from accounts.models import User

from .enums import RoleKind, RoleScope
from .models import Candidate, HiringRound, Interview, Office, OfficeRole


def _roles(user: User) -> list[OfficeRole]:
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[OfficeRole] | None = getattr(user, "_office_roles_cache", None)
    if cached is None:
        cached = list(OfficeRole.objects.filter(user=user))
        # Remembered on this user object, i.e. for one request; an attribute the model does not
        # declare, so set by name for the type checker.
        setattr(user, "_office_roles_cache", cached)  # noqa: B010
    return cached


def user_roles_scope(user: User) -> tuple[tuple[str, str, int], ...]:
    """What decides which offices ``user`` sees (``offices_for_user``), as a cache key part."""
    return tuple(sorted((r.scope, r.county or "", r.office_id or 0) for r in _roles(user)))


def offices_for_user(user: User) -> QuerySet[Office]:
    """The offices whose rounds, panels and pool ``user`` may see."""
    condition = Q(pk__in=[])
    for role in _roles(user):
        if role.scope == RoleScope.NATIONAL:
            return Office.objects.all()
        if role.scope == RoleScope.COUNTY:
            condition |= Q(county=role.county)
        else:
            condition |= Q(pk=role.office_id)
    return Office.objects.filter(condition)


def offices_led_by(user: User) -> QuerySet[Office]:
    """The offices ``user`` may change things in: those they lead."""
    ids = [r.office_id for r in _roles(user) if r.kind == RoleKind.LEADER and r.office_id]
    return Office.objects.filter(pk__in=ids)


def user_leads_office(user: User, office_id: int) -> bool:
    return any(r.kind == RoleKind.LEADER and r.office_id == office_id for r in _roles(user))


def user_is_hr(user: User) -> bool:
    return any(r.kind == RoleKind.HR for r in _roles(user))


def user_is_leader(user: User) -> bool:
    return any(r.kind == RoleKind.LEADER for r in _roles(user))


def rounds_for_user(user: User) -> QuerySet[HiringRound]:
    """Hiring rounds of the offices ``user`` may see."""
    return HiringRound.objects.filter(office__in=offices_for_user(user)).select_related("office")


def interviews_for_user(user: User) -> QuerySet[Interview]:
    """Interviews of the rounds of the offices ``user`` may see."""
    return Interview.objects.filter(round__office__in=offices_for_user(user)).select_related(
        "round", "round__office", "candidate"
    )


def candidates_for_user(user: User) -> QuerySet[Candidate]:
    """Candidates of the rounds of the offices ``user`` may see (names: leaders' pages only)."""
    return Candidate.objects.filter(round__office__in=offices_for_user(user))


def office_leaders(*, office: Office) -> QuerySet[User]:
    """The active users who lead ``office``: whom the system tells about its panels."""
    return User.objects.filter(
        is_active=True, office_roles__kind=RoleKind.LEADER, office_roles__office=office
    ).order_by("pk")
