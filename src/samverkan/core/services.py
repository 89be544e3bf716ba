"""Generic audited writes that module services build on (HackSoft's model_update pattern)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from samverkan.core.audit import audit_record, snapshot

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def model_create(*, model: type[M], acting_user, **data: Any) -> M:
    instance = model(**data)
    instance.full_clean()
    instance.save()
    audit_record(actor=acting_user, action="create", instance=instance, after=snapshot(instance))
    return instance


@transaction.atomic
def model_update(*, instance: M, acting_user, data: dict[str, Any]) -> tuple[M, bool]:
    """Set the given fields, validate, save and audit; returns (instance, changed)."""
    before = snapshot(instance)
    changed = False
    for field, value in data.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    if changed:
        instance.full_clean()
        instance.save()
        audit_record(actor=acting_user, action="update", instance=instance, before=before, after=snapshot(instance))
    return instance, changed


@transaction.atomic
def model_delete(*, instance: models.Model, acting_user) -> None:
    before = snapshot(instance)
    audit_record(actor=acting_user, action="delete", instance=instance, before=before)
    instance.delete()


USER_FIELDS = ("username", "email", "first_name", "last_name", "role", "member", "department", "is_active")


def _user_snapshot(user) -> dict[str, Any]:
    """The user's access-relevant fields; never the password hash."""
    data = snapshot(user) or {}
    return {key: data.get(key) for key in (*USER_FIELDS, "federation")}


def _check_user_scope(*, federation, role: str, member, department) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from samverkan.core.roles import MEMBER_CONTACT, ORDERER

    if member is not None and member.federation_id != federation.pk:
        raise ValidationError(_("Medlemmen tillhör ett annat förbund."))
    if department is not None and department.member.federation_id != federation.pk:
        raise ValidationError(_("Förvaltningen tillhör ett annat förbund."))
    if role == MEMBER_CONTACT and member is None:
        raise ValidationError(_("En medlemskontakt måste kopplas till en medlem."))
    if role == ORDERER and department is None:
        raise ValidationError(_("En beställare måste kopplas till en förvaltning."))


@transaction.atomic
def user_create(
    *,
    acting_user,
    federation,
    username: str,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    member=None,
    department=None,
    password: str | None = None,
):
    """A new account in `federation`. Without a password the account can only log in by OIDC."""
    from django.contrib.auth.password_validation import validate_password

    from samverkan.core.models import User

    _check_user_scope(federation=federation, role=role, member=member, department=department)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        federation=federation,
        member=member,
        department=department,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=acting_user, action="create", instance=user, after=_user_snapshot(user), federation=federation)
    return user


@transaction.atomic
def user_update(*, user, acting_user, data: dict[str, Any]):
    """Changes role, scope, name or active flag; every change of access is audited."""
    before = _user_snapshot(user)
    for key, value in data.items():
        if key not in USER_FIELDS:
            raise ValueError(f"cannot change {key}")
        setattr(user, key, value)
    _check_user_scope(federation=user.federation, role=user.role, member=user.member, department=user.department)
    user.full_clean(exclude=["password"])
    user.save()
    after = _user_snapshot(user)
    if after != before:
        audit_record(
            actor=acting_user, action="update", instance=user, before=before, after=after, federation=user.federation
        )
    return user
