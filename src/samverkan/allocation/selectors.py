"""Reads of the allocation module, scoped by the asking user's federation."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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
from samverkan.allocation.policies import APPROVE_RUN, MANAGE_POOLS, VIEW_MEMBER_COSTS
from samverkan.core.permissions import has_capability, scope
from samverkan.core.todos import DANGER, INFO, WARNING, MemberLink, Todo
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


# --- The start page and the member's page (core.todos)

_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def missing_pools(user, years: tuple[int, ...]) -> dict[int, list[CostPool]]:
    """Per year, the year before's pools with no pool of the same name (years left out) and kind
    in it: "Medlemsavgift 2025" but no membership-fee pool for 2026. One query."""
    pools = scope(
        user,
        CostPool.objects.filter(period_start__year__gte=min(years) - 1, period_start__year__lte=max(years)).only(
            "pk", "name", "kind", "period_start"
        ),
        member=None,
        department=None,
    )
    by_year: dict[int, dict[tuple[str, str], CostPool]] = {}
    for pool in pools:
        stem = (_YEAR.sub("", pool.name).strip(" -–"), pool.kind)
        by_year.setdefault(pool.period_start.year, {}).setdefault(stem, pool)
    missing = {}
    for year in years:
        present = by_year.get(year, {})
        gone = [pool for stem, pool in by_year.get(year - 1, {}).items() if stem not in present]
        if gone:
            missing[year] = sorted(gone, key=lambda pool: pool.name)
    return missing


def todo_cards(user) -> list[Todo]:
    """Pools missing for this year (and from September, the coming year), and draft runs to approve."""
    if not has_capability(user, MANAGE_POOLS):
        return []
    today = timezone.localdate()
    cards = []
    years = (today.year, today.year + 1) if today.month >= 9 else (today.year,)
    for year, missing in missing_pools(user, years).items():
        if missing:
            names = ", ".join(pool.name for pool in missing[:3]) + (" …" if len(missing) > 3 else "")
            cards.append(
                Todo(
                    _("Pooler saknas för %(year)s") % {"year": year},
                    len(missing),
                    DANGER if year == today.year else WARNING,
                    reverse("allocation:pool-create"),
                    _("Fanns %(last)s men inte %(year)s: %(names)s. Utan pool blir det ingen fakturarad.")
                    % {"last": year - 1, "year": year, "names": names},
                    order=15,
                    more_url=reverse("allocation:pool-list"),
                )
            )
    if has_capability(user, APPROVE_RUN):
        drafts = runs_for(user).filter(status=RunStatus.DRAFT)
        count = drafts.count()
        oldest = drafts.order_by("created_at", "pk").first() if count else None
        if oldest is not None:
            cards.append(
                Todo(
                    _("Fördelningar att godkänna"),
                    count,
                    INFO,
                    reverse("allocation:run-detail", args=[oldest.pk]),
                    _("Äldst: %(run)s.") % {"run": oldest.display_name},
                    order=50,
                    more_url=reverse("allocation:pool-list") if count > 1 else "",
                )
            )
    return cards


def member_link_items(user, member) -> list[MemberLink]:
    if not has_capability(user, VIEW_MEMBER_COSTS):
        return []
    count = approved_lines_for(user).filter(member=member).count()
    url = f"{reverse('allocation:member-costs')}?medlem={member.pk}"
    return [MemberLink(label=_("Kostnadsfördelning (godkända rader)"), count=count, url=url, order=30)]
