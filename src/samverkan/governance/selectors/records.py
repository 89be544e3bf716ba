"""Reads of records management: the plan's rules and the disposal log, scoped to the user's federation."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from samverkan.core.permissions import scope
from samverkan.governance.models import DisposalLog, RetentionRule


def rules_for(user) -> QuerySet[RetentionRule]:
    return scope(user, RetentionRule.objects.all(), member=None, department=None).order_by("record_type")


def rule_get(user, pk: int) -> RetentionRule:
    return get_object_or_404(rules_for(user), pk=pk)


def disposal_logs_for(user) -> QuerySet[DisposalLog]:
    return scope(user, DisposalLog.objects.all(), member=None, department=None).select_related("run_by")
