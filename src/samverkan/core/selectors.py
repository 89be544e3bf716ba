from django.db.models import Q, QuerySet

from samverkan.core.models import AuditEvent, Job, User
from samverkan.core.permissions import scope


def audit_events(
    *, user, object_type: str = "", actor: str = "", action: str = "", since=None, until=None
) -> QuerySet[AuditEvent]:
    """`since`/`until` are local dates, both included; `action` one code or several joined by commas."""
    events = scope(user, AuditEvent.objects.select_related("actor"), member=None, department=None)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    if object_type:
        events = events.filter(object_type__icontains=object_type)
    if actor:
        events = events.filter(actor_repr__icontains=actor)
    if action:
        events = events.filter(action__in=action.split(","))
    return events


def users_with_role(federation, *roles: str) -> QuerySet[User]:
    """Active people of `federation` holding any of `roles` (e.g. who can be assigned a ticket)."""
    return User.objects.filter(
        federation=federation, is_active=True, is_system=False, role_grants__role__in=roles
    ).distinct()


def jobs_for(user) -> QuerySet[Job]:
    """Background jobs the user may follow: those they started, and in their federation those whose
    capability they hold (core.jobs.visible_to is the same rule for one job)."""
    from samverkan.core.permissions import REGISTRY, has_capability

    jobs = Job.objects.select_related("started_by")
    if not user.is_authenticated or not user.is_active:
        return jobs.none()
    if user.is_superuser or user.is_system:
        return jobs
    held = [code for code, cap in REGISTRY.items() if has_capability(user, cap)]
    return jobs.filter(federation_id=user.federation_id).filter(Q(started_by=user) | Q(capability__in=held))
