"""Reads of the allocation module, scoped by the asking user's federation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from samverkan.allocation.calculation import compute, participant_of, reproduce
from samverkan.allocation.models import (
    AllocationKey,
    AllocationLine,
    AllocationRun,
    BusinessCaseStudy,
    CostPool,
    RunStatus,
    Unit,
)
from samverkan.core.permissions import scope
from samverkan.members import selectors as member_selectors


def keys_for(user) -> QuerySet[AllocationKey]:
    return scope(user, AllocationKey.objects.select_related("federation"), member=None, department=None)


def key_get(user, pk: int) -> AllocationKey:
    return get_object_or_404(keys_for(user).prefetch_related("values__member", "components__component"), pk=pk)


def pools_for(user) -> QuerySet[CostPool]:
    return scope(
        user,
        CostPool.objects.select_related("key", "comparison_key", "federation")
        .prefetch_related("services")
        .annotate(run_count=Count("runs"))
        # The model's ordering, spelled out: a GROUP BY query ignores Meta.ordering.
        .order_by("-period_start", "name", "id"),
        member=None,
        department=None,
    )


def pool_get(user, pk: int) -> CostPool:
    return get_object_or_404(pools_for(user), pk=pk)


def runs_for(user) -> QuerySet[AllocationRun]:
    return scope(
        user,
        AllocationRun.objects.select_related("pool", "key", "created_by", "approved_by"),
        federation="pool__federation",
        member=None,
        department=None,
    )


def run_get(user, pk: int) -> AllocationRun:
    return get_object_or_404(runs_for(user).prefetch_related("lines__member"), pk=pk)


def approved_lines_for(user) -> QuerySet[AllocationLine]:
    """Approved results per member: the whole federation for staff and board, one member for
    its contact person (drafts are never shown to members)."""
    lines = AllocationLine.objects.filter(run__status=RunStatus.APPROVED).select_related("run__pool", "member")
    return scope(user, lines, federation="run__pool__federation", member="member", department=None).order_by(
        "member__name", "-run__pool__period_start", "run__pool__name", "run__id"
    )


def run_reproduces(run: AllocationRun) -> bool:
    """Do the stored amounts follow from the stored inputs? (Shown on the run page.)"""
    stored = [line.amount for line in run.lines.order_by("position")]
    try:
        return reproduce(run.inputs) == stored
    except (KeyError, ValueError, ZeroDivisionError):
        return False


# --- Added for finance (issue 13, settlement): read-only, nothing is stored -------------------


def allocation_preview(
    key: AllocationKey, total: Decimal, on: date, *, unit: str = Unit.ORE
) -> list[tuple[Any, Decimal]]:
    """(member, amount) as `services.run_create` would store them for a pool of `total` by `key`
    with every member of the key's federation on `on` (no services, no part-year): the same
    participants in the same order, the same key and rounding, so a page can show a settlement's
    shares before the user confirms it."""
    pool = CostPool(
        federation=key.federation, name=key.name, total=total, key=key, unit=unit, period_start=on, period_end=on
    )
    members = member_selectors.members_on(key.federation, on).order_by("name", "pk")
    computation = compute(pool, key, on, participants=[participant_of(m) for m in members])
    return [(p.member, computation.amounts[p.id]) for p in computation.participants]


def business_cases_for(user) -> QuerySet[BusinessCaseStudy]:
    return scope(
        user,
        BusinessCaseStudy.objects.select_related("created_by").prefetch_related("options"),
        member=None,
        department=None,
    )


def business_case_get(user, pk: int) -> BusinessCaseStudy:
    return get_object_or_404(business_cases_for(user), pk=pk)
