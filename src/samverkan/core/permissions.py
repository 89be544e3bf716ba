"""Who may see what: role checks for views and API, object scoping for querysets.

Selectors call `scope()` so that the same rule holds in pages, API, exports and search.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from rest_framework.permissions import BasePermission

from samverkan.core.roles import FEDERATION_WIDE, MEMBER_CONTACT, ORDERER


def scope(
    user,
    queryset: QuerySet,
    *,
    federation: str | None = "federation",
    member: str | None = "member",
    department: str | None = "department",
) -> QuerySet:
    """Filter `queryset` to what `user` may see, given the lookup paths to federation,
    member and department on its model. A path of None means the model has no such
    link: e.g. department=None makes an orderer see the member-level rows of its member.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.federation_id is None or not user.role:
        return queryset.none()
    condition = Q(**{f"{federation}": user.federation_id}) if federation else Q()
    if user.role in FEDERATION_WIDE:
        return queryset.filter(condition)
    if user.role == MEMBER_CONTACT and member:
        return queryset.filter(condition, **{member: user.member_id})
    if user.role == ORDERER:
        if department:
            return queryset.filter(condition, **{department: user.department_id})
        if member:
            return queryset.filter(condition, **{member: user.department.member_id})
    return queryset.none()


def check_role(user, roles) -> None:
    if not (user.is_authenticated and user.has_role(*roles)):
        raise PermissionDenied


def role_required(*roles: str):
    """View decorator: log in first, then 403 unless the user has one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_role(request.user, roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        check_role(request.user, self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)


def roles_permission(*roles: str) -> type[BasePermission]:
    """A DRF permission class allowing only `roles` (superusers always)."""

    class HasRole(BasePermission):
        message = "Din roll ger inte tillgång till detta."

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.has_role(*roles))

    HasRole.__name__ = "HasRole_" + "_".join(roles)
    return HasRole
