"""The desk's canned replies."""

from __future__ import annotations

from django.db import transaction

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require
from samverkan.portal.models import StandardText, Team
from samverkan.portal.policies import MANAGE_STANDARD_TEXTS
from samverkan.portal.texts import check_template


@transaction.atomic
def standard_text_save(
    *,
    acting_user,
    federation,
    title: str,
    body: str,
    team: Team | None = None,
    active: bool = True,
    instance: StandardText | None = None,
) -> StandardText:
    require(acting_user, MANAGE_STANDARD_TEXTS, federation=federation)
    check_template(body)
    before = snapshot(instance)
    text = instance or StandardText(federation=federation)
    text.title, text.body, text.team, text.active = title, body, team, active
    text.full_clean(exclude=["federation", "team"])
    text.save()
    audit_record(
        actor=acting_user,
        action="update" if instance else "create",
        instance=text,
        before=before,
        after=snapshot(text),
        federation=federation,
    )
    return text
