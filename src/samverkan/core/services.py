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
