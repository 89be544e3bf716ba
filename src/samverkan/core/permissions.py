"""Who may do what, and who may see which rows.

Each app declares its capabilities in `policies.py` with `capability(...)`: a name, a Swedish
label and the roles that hold it. That declaration is the only place a role is tied to an
action; menus, pages, the API and services all ask `has_capability`/`require`, so the four can
never disagree. The registry also feeds the generated permission matrix (docs/PERMISSIONS.md).

Object scoping (`scope`) is separate: a capability says what kind of thing a user may do,
`scope` says on which rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from samverkan.core.roles import ALL_ROLES, FEDERATION_WIDE, MEMBER_CONTACT, ORDERER


@dataclass(frozen=True)
class Capability:
    code: str  # "<app>.<verb>_<thing>", unique
    label: Any  # Swedish, lazily translated
    roles: frozenset[str]
    public: bool = False  # anyone, anonymous included

    def __str__(self) -> str:
        return self.code


REGISTRY: dict[str, Capability] = {}


def capability(code: str, label: Any, *roles: str, public: bool = False) -> Capability:
    """Declare a capability (in an app's policies.py, at import time)."""
    unknown = set(roles) - set(ALL_ROLES)
    if unknown:
        raise ValueError(f"{code}: unknown roles {sorted(unknown)}")
    if not roles and not public:
        raise ValueError(f"{code}: no role holds it")
    if code in REGISTRY:
        raise ValueError(f"capability {code} declared twice")
    REGISTRY[code] = cap = Capability(code, label, frozenset(roles), public)
    return cap


def _federation_id(value: Any) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return value.pk


def federation_id_of(obj: Any) -> int | None:
    """The federation a row belongs to: its own `federation_id`, or its member's."""
    if hasattr(obj, "federation_id"):
        return obj.federation_id
    member = getattr(obj, "member", None)
    if member is not None:
        return member.federation_id
    raise TypeError(f"{type(obj).__name__} has no federation to check")


def has_capability(user, cap: Capability, *, federation: Any = None, obj: Any = None) -> bool:
    """True when one of the user's roles holds `cap` and the federation (given directly or as
    the object's) is the user's own. Superusers and the system actor hold every capability."""
    if cap.public and federation is None and obj is None:
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_system:
        return True
    if not cap.public and user.roles.isdisjoint(cap.roles):
        return False
    wanted = {_federation_id(federation)} if federation is not None else set()
    if obj is not None:
        wanted.add(federation_id_of(obj))
    return all(fed_id == user.federation_id for fed_id in wanted)


def require(user, cap: Capability, *, federation: Any = None, obj: Any = None) -> None:
    """Raise PermissionDenied (403 in pages and API) unless `has_capability`."""
    if user is None:
        raise PermissionDenied("Ingen användare angiven.")
    if not has_capability(user, cap, federation=federation, obj=obj):
        raise PermissionDenied(_("Din roll ger inte behörighet till detta: %(label)s.") % {"label": cap.label})


def require_same_federation(acting_user, *, federation: Any = None, **references: Any) -> None:
    """Services re-check what an entry point resolved: every referenced row (a model instance,
    None, or an iterable of them, named by its field) belongs to `federation` (the row being
    written, when given) and to the acting user's own federation. Superusers and the system
    actor may act in any federation, but never tie two federations' rows together. Raises a
    ValidationError keyed by field (400 in the API, beside the field on a page)."""
    wanted = {_federation_id(federation)} if federation is not None else set()
    if not (acting_user.is_superuser or acting_user.is_system):
        wanted.add(acting_user.federation_id)
    errors = {}
    for name, value in references.items():
        rows = [] if value is None else [value] if hasattr(value, "_meta") else list(value)
        found = {federation_id_of(row) for row in rows}
        if len(found | wanted) > 1:
            errors[name] = _("Hör till ett annat förbund.")
    if errors:
        raise ValidationError(errors)


def capability_required(cap: Capability):
    """View decorator: anonymous users log in first, the others need `cap` (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not cap.public and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, cap)
            return view(request, *args, **kwargs)

        wrapped.capability = cap  # type: ignore[attr-defined]  # read by the permission-matrix test
        return wrapped

    return decorator


def view_capabilities(view) -> tuple[Capability | None, Capability | None]:
    """(read, write) capability of an API view: `capability` for both or the two separately."""
    both = getattr(view, "capability", None)
    return getattr(view, "read_capability", both), getattr(view, "write_capability", both)


class HasCapability(BasePermission):
    """The one API permission class (DEFAULT_PERMISSION_CLASSES): a view declares `capability`,
    or `read_capability`/`write_capability`; a view that declares none is refused."""

    message = _("Din roll ger inte tillgång till detta.")

    def has_permission(self, request, view) -> bool:
        read, write = view_capabilities(view)
        cap = read if request.method in SAFE_METHODS else write
        return cap is not None and has_capability(request.user, cap)


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
    A user with several roles is scoped by the widest of them.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.is_system:
        return queryset
    roles = user.roles
    if user.federation_id is None or not roles:
        return queryset.none()
    condition = Q(**{f"{federation}": user.federation_id}) if federation else Q()
    if not roles.isdisjoint(FEDERATION_WIDE):
        return queryset.filter(condition)
    if MEMBER_CONTACT in roles and member:
        return queryset.filter(condition, **{member: user.member_id})
    if ORDERER in roles:
        if department:
            return queryset.filter(condition, **{department: user.department_id})
        if member:
            return queryset.filter(condition, **{member: user.department.member_id})
    return queryset.none()
