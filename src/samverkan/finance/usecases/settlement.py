"""Settlement of an activity's result, and what a municipality pays: page, API (and CLI) ask here.

* `settlement_overview` — every activity's result of a year from the ledger, with the
  settlement already made of it (if any).
* `settlement_preview` — the shares a settlement by a key would give, before it is confirmed
  (computed exactly as the allocation run will be; nothing is stored).
* `settlement_detail` — a stored settlement (its pool and approved run).
* `member_costs` — per federation, what one municipality (by kommunkod) was invoiced in a year,
  minus credit notes, beside its budgeted share.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from samverkan.allocation import selectors as allocation_selectors
from samverkan.allocation.models import AllocationKey, AllocationRun, CostPool, RunKind, RunStatus
from samverkan.allocation.policies import VIEW_MEMBER_COSTS
from samverkan.billing import selectors as billing_selectors
from samverkan.billing.models import DocumentKind
from samverkan.billing.policies import VIEW_INVOICES
from samverkan.core.permissions import has_capability, require
from samverkan.finance.policies import EDIT_BUDGET, VIEW_REPORTS
from samverkan.finance.selectors import settlement as selectors
from samverkan.finance.services.settlement import settlement_basis
from samverkan.members import selectors as member_selectors
from samverkan.members.models import Federation


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


# --- Settlement ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SettlementRow:
    code: str
    name: str
    result: Decimal
    pool: CostPool | None

    @property
    def changed(self) -> Decimal | None:
        """How far the ledger's result has moved since the settlement (a re-imported year), or None."""
        if self.pool is None or self.pool.total == -self.result:
            return None
        return self.result + self.pool.total

    def as_dict(self) -> dict[str, Any]:
        settlement = None
        if self.pool is not None:
            settlement = {"id": self.pool.pk, "name": self.pool.name, "total": _money(self.pool.total)}
            settlement["ledger_changed_by"] = _money(self.changed)
        return {"activity": self.code, "name": self.name, "result": _money(self.result), "settlement": settlement}


@dataclass(frozen=True)
class SettlementOverview:
    federation: Federation
    year: int
    has_ledger: bool
    rows: tuple[SettlementRow, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "federation": self.federation.slug,
            "year": self.year,
            "has_ledger": self.has_ledger,
            "activities": [row.as_dict() for row in self.rows],
        }


def settlement_overview(*, user, federation: Federation, year: int) -> SettlementOverview:
    """Every activity's result of `year` (report sign, a surplus positive) and its settlement."""
    require(user, VIEW_REPORTS, federation=federation)
    fiscal_year = selectors.fiscal_year_of(federation, year)
    if fiscal_year is None:
        return SettlementOverview(federation, year, False, ())
    pools = selectors.settlement_pools(federation, year)
    rows = tuple(
        SettlementRow(r.code, r.name, r.result, pools.get(r.code)) for r in selectors.activity_results(fiscal_year)
    )
    return SettlementOverview(federation, year, True, rows)


@dataclass(frozen=True)
class Share:
    member_id: int
    member: str
    amount: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {"member_id": self.member_id, "member": self.member, "amount": _money(self.amount)}


@dataclass(frozen=True)
class SettlementPreview:
    year: int
    activity: str
    name: str
    result: Decimal
    key: AllocationKey
    participation_date: date
    shares: tuple[Share, ...]

    @property
    def total(self) -> Decimal:
        return -self.result

    @property
    def is_surplus(self) -> bool:
        return self.result > 0

    @property
    def share_total(self) -> Decimal:
        return sum((s.amount for s in self.shares), Decimal(0))

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "activity": self.activity,
            "name": self.name,
            "result": _money(self.result),
            "total": _money(self.total),
            "key": {"id": self.key.pk, "name": self.key.name},
            "participation_date": self.participation_date.isoformat(),
            "shares": [s.as_dict() for s in self.shares],
        }


def settlement_preview(
    *, user, federation: Federation, year: int, activity: str, key: AllocationKey
) -> SettlementPreview:
    """What `settlement_create` would store; refuses for the same reasons (no ledger, result 0,
    already settled — `SettlementExists` carries the existing pool)."""
    require(user, EDIT_BUDGET, federation=federation)
    if key.federation_id != federation.pk:
        raise ValidationError({"key": _("Hör till ett annat förbund.")})
    basis = settlement_basis(federation=federation, year=year, activity=activity)
    on = basis.fiscal_year.end
    shares = allocation_selectors.allocation_preview(key, basis.total, on)
    return SettlementPreview(
        year,
        activity,
        basis.activity.name,
        basis.activity.result,
        key,
        on,
        tuple(Share(member.pk, member.name, amount) for member, amount in shares),
    )


@dataclass(frozen=True)
class SettlementDetail:
    pool: CostPool
    run: AllocationRun | None
    shares: tuple[Share, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.pool.pk,
            "name": self.pool.name,
            "description": self.pool.description,
            "billed_on": self.pool.period_start.isoformat(),
            "total": _money(self.pool.total),
            "key": {"id": self.pool.key_id, "name": self.pool.key.name},
            "run": None
            if self.run is None
            else {"id": self.run.pk, "label": self.run.label, "status": self.run.status},
            "shares": [s.as_dict() for s in self.shares],
        }


def settlement_detail(pool: CostPool) -> SettlementDetail:
    """A settlement pool (already fetched through a scoped selector) with its latest approved run."""
    run = pool.runs.filter(status=RunStatus.APPROVED).order_by("-approved_at", "-pk").first()
    shares = (
        tuple(Share(line.member_id, line.member.name, line.amount) for line in run.lines.select_related("member"))
        if run
        else ()
    )
    return SettlementDetail(pool, run, shares)


# --- What a municipality pays ---------------------------------------------------------------


@dataclass(frozen=True)
class FederationCosts:
    federation: Federation
    member_id: int
    member: str
    invoiced: Decimal  # issued invoices dated in the year, excluding VAT
    credited: Decimal  # issued credit notes dated in the year, excluding VAT
    invoice_count: int
    credit_note_count: int
    budgeted: Decimal | None  # None: the user may not see allocations

    @property
    def net(self) -> Decimal:
        return self.invoiced - self.credited

    @property
    def difference(self) -> Decimal | None:
        """Paid − budgeted: positive when the municipality paid more than budgeted."""
        return None if self.budgeted is None else self.net - self.budgeted

    def as_dict(self) -> dict[str, Any]:
        return {
            "federation": self.federation.slug,
            "federation_name": self.federation.name,
            "member_id": self.member_id,
            "member": self.member,
            "invoiced": _money(self.invoiced),
            "credited": _money(self.credited),
            "net": _money(self.net),
            "budgeted": _money(self.budgeted),
            "difference": _money(self.difference),
            "invoices": self.invoice_count,
            "credit_notes": self.credit_note_count,
        }


@dataclass(frozen=True)
class MemberCosts:
    kommunkod: str
    name: str
    year: int
    rows: tuple[FederationCosts, ...]

    def _sum(self, attribute: str) -> Decimal | None:
        values = [getattr(row, attribute) for row in self.rows]
        return None if any(v is None for v in values) else sum(values, Decimal(0))

    @property
    def totals(self) -> dict[str, Decimal | None]:
        return {name: self._sum(name) for name in ("invoiced", "credited", "net", "budgeted", "difference")}

    def as_dict(self) -> dict[str, Any]:
        return {
            "kommunkod": self.kommunkod,
            "name": self.name,
            "year": self.year,
            "amounts": "net_excluding_vat",  # issued invoices − issued credit notes, dated in the year
            "budgeted_from": "latest_approved_allocation_run_per_pool_starting_in_year",
            "federations": [row.as_dict() for row in self.rows],
            "total": {name: _money(value) for name, value in self.totals.items()},
        }


def _budgeted(user, member_ids: list[int], year: int) -> dict[int, Decimal]:
    """member id → its share in the latest approved run of each cost pool beginning in `year`
    (a final true-up replaces the preliminary run, as billing does; settlement runs and the
    settlement pools of finance are results, not budget)."""
    lines = (
        allocation_selectors.approved_lines_for(user)
        .filter(member_id__in=member_ids, run__pool__period_start__year=year)
        .exclude(run__kind=RunKind.SETTLEMENT)
        .exclude(run__pool__description__startswith=selectors.SETTLEMENT_MARK)
    )
    rows = list(lines.values_list("member_id", "run__pool_id", "run_id", "amount"))
    latest = dict(
        AllocationRun.objects.filter(pool_id__in={pool for _m, pool, _r, _a in rows}, status=RunStatus.APPROVED)
        .exclude(kind=RunKind.SETTLEMENT)
        .order_by("pool_id", "approved_at", "pk")
        .values_list("pool_id", "pk")
    )  # ascending, so the dict keeps each pool's latest run
    budgeted: dict[int, Decimal] = defaultdict(Decimal)
    for member_id, pool_id, run_id, amount in rows:
        if latest.get(pool_id) == run_id:
            budgeted[member_id] += amount
    return budgeted


def member_costs(*, user, kommunkod: str, year: int) -> MemberCosts:
    """What the municipality `kommunkod` pays in `year` to each federation it belongs to.

    Who sees what (the same scoping as billing's invoices and allocation's member costs):
    a user belongs to one federation and sees only that federation's row — its economists,
    admins and board members for any of its members, a member contact only for its own member
    (another kommunkod is "not found"); the platform superuser sees every federation. So a GSN
    economist never sees E-dala's invoices to the same municipality unless they are a user of
    E-dala. Capability: billing's "see issued invoices" (member contacts: their own member's),
    since the figures are invoices; the budget column also needs allocation's "see approved
    costs per member" (the same roles).

    Amounts are net, excluding VAT (municipalities recover VAT; the budget shares are outside
    its scope): issued invoices dated in the year minus issued credit notes dated in the year.
    """
    require(user, VIEW_INVOICES)
    members = list(member_selectors.members_for(user).filter(kommunkod=kommunkod).order_by("federation__name"))
    if not members:
        raise Http404(_("Ingen medlem med kommunkod %(code)s som du får se.") % {"code": kommunkod})
    ids = [m.pk for m in members]
    sums: dict[tuple[int, str], tuple[Decimal, int]] = {}
    invoices = (
        billing_selectors.invoices_for(user)
        .filter(member_id__in=ids, issued=True, issue_date__year=year)
        .order_by()
        .values("member_id", "kind")
        .annotate(net=Sum("net"), n=Count("id"))
    )
    for row in invoices:
        sums[(row["member_id"], row["kind"])] = (row["net"] or Decimal(0), row["n"])
    budgeted = _budgeted(user, ids, year) if has_capability(user, VIEW_MEMBER_COSTS) else None
    rows = []
    for member in members:
        invoiced, n_invoices = sums.get((member.pk, DocumentKind.INVOICE), (Decimal(0), 0))
        credited, n_credits = sums.get((member.pk, DocumentKind.CREDIT_NOTE), (Decimal(0), 0))
        rows.append(
            FederationCosts(
                member.federation,
                member.pk,
                member.name,
                invoiced,
                credited,
                n_invoices,
                n_credits,
                None if budgeted is None else budgeted.get(member.pk, Decimal(0)),
            )
        )
    return MemberCosts(kommunkod, members[0].name, year, tuple(rows))


def municipalities_for(user) -> list[tuple[str, str]]:
    """(kommunkod, name) of every member the user may see, once per kommunkod."""
    seen: dict[str, str] = {}
    for code, name in member_selectors.members_for(user).order_by("name").values_list("kommunkod", "name"):
        seen.setdefault(code, name)
    return sorted(seen.items(), key=lambda item: item[1])
