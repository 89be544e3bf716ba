from django.db.models import QuerySet

from samverkan.core.models import AuditEvent
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


def users_for(user) -> QuerySet:
    """Accounts an admin manages: those of the admin's own federation."""
    from samverkan.core.models import User

    return scope(user, User.objects.select_related("member", "department"), member=None, department=None)
