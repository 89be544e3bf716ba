"""The desk's own tools: one action on many tickets, and named queue filters."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.permissions import require
from samverkan.portal.models import SavedView
from samverkan.portal.policies import WORK_DESK
from samverkan.portal.services.tickets import ticket_assign
from samverkan.portal.services.workflow import ticket_change_status

BULK_ACTIONS = ("assign_me", "unassign", "status", "team")


def tickets_bulk_update(*, acting_user, tickets, action: str, value: Any = None) -> tuple[int, list[str]]:
    """Apply one action to many tickets; each ticket is its own transaction so one refusal
    does not undo the others. Returns (changed, error messages)."""
    require(acting_user, WORK_DESK)
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Okänd åtgärd."))
    changed, errors = 0, []
    for ticket in tickets:
        try:
            if action == "assign_me":
                ticket_assign(acting_user=acting_user, ticket=ticket, assignee=acting_user)
            elif action == "unassign":
                ticket_assign(acting_user=acting_user, ticket=ticket, assignee=None)
            elif action == "status":
                ticket_change_status(acting_user=acting_user, ticket=ticket, status=value)
            elif action == "team":
                ticket_assign(acting_user=acting_user, ticket=ticket, assignee=ticket.assignee, team=value)
            changed += 1
        except ValidationError as exc:
            errors.append(f"{ticket.reference}: {' '.join(exc.messages)}")
    return changed, errors


@transaction.atomic
def saved_view_save(*, acting_user, name: str, query: str) -> SavedView:
    require(acting_user, WORK_DESK)
    if not name.strip():
        raise ValidationError(_("Ge vyn ett namn."))
    view, _created = SavedView.objects.update_or_create(
        user=acting_user, name=name.strip(), defaults={"query": query[:500]}
    )
    return view
