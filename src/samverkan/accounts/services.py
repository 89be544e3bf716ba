"""Creating and changing accounts: who someone is, which roles they hold and where."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.accounts.policies import MANAGE_USERS
from samverkan.core.audit import audit_record, snapshot
from samverkan.core.models import User, UserRole
from samverkan.core.permissions import require
from samverkan.core.roles import ADMIN, ALL_ROLES, MEMBER_CONTACT, ORDERER

# What an admin may change on an account; `roles` is kept in its own table.
EDITABLE_FIELDS = ("username", "email", "first_name", "last_name", "member", "department", "is_active")


def _snapshot(user: User) -> dict[str, Any]:
    """The account's access-relevant fields and roles; never the password hash."""
    data = snapshot(user) or {}
    return {**{key: data.get(key) for key in (*EDITABLE_FIELDS, "federation")}, "roles": sorted(user.roles)}


def _clean_roles(roles: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(roles)
    if not chosen:
        raise ValidationError({"roles": _("Välj minst en roll.")})
    if chosen - set(ALL_ROLES):
        raise ValidationError({"roles": _("Okänd roll.")})
    return chosen


def _check_scope(*, federation, roles: frozenset[str], member, department) -> None:
    if member is not None and member.federation_id != federation.pk:
        raise ValidationError({"member": _("Medlemmen tillhör ett annat förbund.")})
    if department is not None and department.member.federation_id != federation.pk:
        raise ValidationError({"department": _("Förvaltningen tillhör ett annat förbund.")})
    if MEMBER_CONTACT in roles and member is None:
        raise ValidationError({"member": _("En medlemskontakt måste kopplas till en medlem.")})
    if ORDERER in roles and department is None:
        raise ValidationError({"department": _("En beställare måste kopplas till en förvaltning.")})


def _set_roles(user: User, roles: frozenset[str]) -> None:
    user.role_grants.exclude(role__in=roles).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles - user.roles])
    user.forget_roles()


@transaction.atomic
def user_create(
    *,
    acting_user,
    federation,
    username: str,
    roles: Iterable[str],
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    member=None,
    department=None,
    password: str | None = None,
) -> User:
    """A new account in `federation`. Without a password the account can only log in by OIDC."""
    require(acting_user, MANAGE_USERS, federation=federation)
    chosen = _clean_roles(roles)
    _check_scope(federation=federation, roles=chosen, member=member, department=department)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        federation=federation,
        member=member,
        department=department,
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _set_roles(user, chosen)
    audit_record(actor=acting_user, action="create", instance=user, after=_snapshot(user), federation=federation)
    return user


@transaction.atomic
def user_update(*, acting_user, user: User, data: dict[str, Any]) -> User:
    """Changes roles, scope, name or active flag; every change of access is audited."""
    require(acting_user, MANAGE_USERS, obj=user)
    before = _snapshot(user)
    unknown = set(data) - {*EDITABLE_FIELDS, "roles"}
    if unknown:
        raise ValidationError(_("Fälten %(fields)s kan inte ändras här.") % {"fields": ", ".join(sorted(unknown))})
    roles = _clean_roles(data["roles"]) if "roles" in data else user.roles
    if user.pk == acting_user.pk and ADMIN in user.roles and (ADMIN not in roles or data.get("is_active") is False):
        raise ValidationError(_("Du kan inte ta bort din egen administratörsbehörighet."))
    for key in EDITABLE_FIELDS:
        if key in data:
            setattr(user, key, data[key])
    _check_scope(federation=user.federation, roles=roles, member=user.member, department=user.department)
    user.full_clean(exclude=["password"])
    user.save()
    _set_roles(user, roles)
    after = _snapshot(user)
    if after != before:
        audit_record(
            actor=acting_user, action="update", instance=user, before=before, after=after, federation=user.federation
        )
    return user
