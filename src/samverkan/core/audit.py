"""The audit trail every service writes to: one row per change, with before and after."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict

from samverkan.core.models import AuditEvent


def snapshot(instance: models.Model | None) -> dict[str, Any] | None:
    """A JSON-safe dict of the model's own fields (FKs as ids), for before/after columns."""
    if instance is None:
        return None
    data = model_to_dict(instance, fields=[f.name for f in instance._meta.concrete_fields])
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def audit_record(
    *,
    actor,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    federation=None,
) -> AuditEvent:
    if instance is not None:
        object_type = object_type or instance._meta.label
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:200]
        if federation is None:
            federation = _federation_of(instance)
    if not getattr(actor, "is_authenticated", False):
        raise ValueError("every audited change has an acting user (the system actor for the system's own work)")
    return AuditEvent.objects.create(
        actor=actor,
        actor_repr=actor.get_username(),
        federation=federation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=before,
        after=after,
    )


def _federation_of(instance: models.Model):
    if instance._meta.label == "members.Federation":  # core sits below members: no import
        return instance
    for path in ("federation", "member.federation", "department.member.federation"):
        obj: Any = instance
        for part in path.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                break
        if obj is not None:
            return obj
    return None
