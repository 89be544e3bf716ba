from django.db.models import QuerySet

from samverkan.core.models import User
from samverkan.core.permissions import scope


def users_for(user) -> QuerySet[User]:
    """Accounts an admin manages: the people of the admin's own federation (not the system actor)."""
    users = User.objects.filter(is_system=False).select_related("member", "department").prefetch_related("role_grants")
    return scope(user, users, member=None, department=None)
