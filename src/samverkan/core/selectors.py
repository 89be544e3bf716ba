from django.db.models import QuerySet

from samverkan.core.models import AuditEvent, User
from samverkan.core.permissions import scope


def audit_events(*, user, object_type: str = "", actor: str = "", action: str = "") -> QuerySet[AuditEvent]:
    events = scope(user, AuditEvent.objects.select_related("actor"), member=None, department=None)
    if object_type:
        events = events.filter(object_type__icontains=object_type)
    if actor:
        events = events.filter(actor_repr__icontains=actor)
    if action:
        events = events.filter(action=action)
    return events


def users_with_role(federation, *roles: str) -> QuerySet[User]:
    """Active people of `federation` holding any of `roles` (e.g. who can be assigned a ticket)."""
    return User.objects.filter(
        federation=federation, is_active=True, is_system=False, role_grants__role__in=roles
    ).distinct()
