"""Settlement (seed 003, "överskott/underskott regleras årsvis enligt fördelningsnyckel").

The year's result of an activity, read from the ledger, becomes a cost pool in `allocation`
shared by a key the user picks, with one approved run; billing's existing path for allocation
pools then bills it in the next invoice run whose period contains the pool's day. A surplus
(positive result) is returned to the members, so the pool's total is the negated result: a
credit (negative lines); a deficit is charged. No amount is typed in.

Why an ordinary run and a one-day pool: billing bills the latest approved run of a pool that
overlaps the invoice run's period, cumulatively by the part of the pool's period that has
passed, and skips runs of the kind "settlement". A pool of one day (the day it is billed)
with an ordinary run is therefore billed whole, once, by the next run covering that day. The
fiscal year and activity it came from are on the pool's description (`settlement_mark`).
Members taking part are those on the last day of the fiscal year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.allocation import services as allocation_services
from samverkan.allocation.models import AllocationKey, CostPool, PoolKind, ProRata, RunKind, Unit
from samverkan.allocation.policies import MANAGE_POOLS
from samverkan.core.audit import audit_record
from samverkan.core.permissions import require, require_same_federation
from samverkan.domain.money import format_sek
from samverkan.finance.models import FiscalYear
from samverkan.finance.policies import EDIT_BUDGET
from samverkan.finance.selectors import settlement as selectors
from samverkan.members.models import Federation


class SettlementExists(ValidationError):
    """The activity's result of that year is already settled; `pool` is the settlement."""

    def __init__(self, pool: CostPool):
        super().__init__(
            _("Verksamhetens resultat för året är redan reglerat: %(pool)s.") % {"pool": pool.name}, code="exists"
        )
        self.pool = pool


@dataclass(frozen=True)
class SettlementBasis:
    fiscal_year: FiscalYear
    activity: selectors.ActivityResult

    @property
    def total(self) -> Decimal:
        """The pool's total: a surplus is credited (negative), a deficit charged."""
        return -self.activity.result

    @property
    def is_surplus(self) -> bool:
        return self.activity.result > 0


def settlement_basis(*, federation: Federation, year: int, activity: str) -> SettlementBasis:
    """The ledger's result of the activity, or the reason it cannot be settled (read only)."""
    fiscal_year = selectors.fiscal_year_of(federation, year)
    if fiscal_year is None:
        raise ValidationError(_("Huvudboken för %(year)s är inte inläst.") % {"year": year}, code="no_ledger")
    existing = selectors.settlement_pool(federation, year, activity)
    if existing is not None:
        raise SettlementExists(existing)
    result = selectors.activity_result(fiscal_year, activity)
    if result.result == 0:
        raise ValidationError(
            _("Verksamhet %(code)s har resultatet 0 kr för %(year)s; det finns inget att reglera.")
            % {"code": activity, "year": year},
            code="zero",
        )
    return SettlementBasis(fiscal_year, result)


def _description(basis: SettlementBasis, key: AllocationKey) -> str:
    fy, activity = basis.fiscal_year, basis.activity
    values = {"amount": format_sek(abs(activity.result), 2), "key": key.name}
    what = (
        _("Överskott %(amount)s återförs till medlemmarna (kreditering) enligt nyckeln %(key)s.")
        if basis.is_surplus
        else _("Underskott %(amount)s debiteras medlemmarna enligt nyckeln %(key)s.")
    ) % values
    source = _("Underlag: huvudboken %(file)s, konton i klass 3–8 för verksamhet %(activity)s.") % {
        "file": fy.source_name,
        "activity": f"{activity.code} {activity.name}".strip(),
    }
    return "\n".join([selectors.settlement_mark(fy.year, activity.code), what, source])


@transaction.atomic
def settlement_create(
    *,
    acting_user,
    federation: Federation,
    year: int,
    activity: str,
    key: AllocationKey,
    billed_on: date | None = None,
) -> CostPool:
    """Settle the activity's result of `year` by `key`: a pool, a run, approved; returns the pool.

    `billed_on` (default today; after the fiscal year) is the pool's one day: the next invoice
    run whose period contains it bills the settlement. Refused without a ledger for the year,
    for a result of 0, and when the activity's year is already settled (`SettlementExists`,
    with the pool).
    """
    require(acting_user, EDIT_BUDGET, federation=federation)
    require(acting_user, MANAGE_POOLS, federation=federation)
    require_same_federation(acting_user, federation=federation, key=key)
    # one settlement at a time per ledger year (and none while the year is being re-imported)
    FiscalYear.objects.select_for_update().filter(federation=federation, year=year).first()
    basis = settlement_basis(federation=federation, year=year, activity=activity)
    on = billed_on or timezone.localdate()
    if on <= basis.fiscal_year.end:
        raise ValidationError(
            {
                "billed_on": _("Regleringen av %(year)s kan faktureras tidigast %(first)s, dagen efter årets slut.")
                % {"year": year, "first": (basis.fiscal_year.end + timedelta(days=1)).isoformat()}
            }
        )
    label = (_("Återföring av överskott %(year)s") if basis.is_surplus else _("Debitering av underskott %(year)s")) % {
        "year": year
    }
    name = _("Reglering %(year)s: verksamhet %(activity)s") % {
        "year": year,
        "activity": f"{activity} {basis.activity.name}".strip(),
    }
    pool = allocation_services.pool_create(
        acting_user=acting_user,
        federation=federation,
        name=name[:200],
        kind=PoolKind.SERVICE,
        period_start=on,
        period_end=on,
        total=basis.total,
        key=key,
        unit=Unit.ORE,
        prorata=ProRata.NONE,
        description=_description(basis, key),
    )
    run = allocation_services.run_create(
        acting_user=acting_user,
        pool=pool,
        label=label,
        kind=RunKind.ORDINARY,
        participation_date=basis.fiscal_year.end,
    )
    allocation_services.run_approve(acting_user=acting_user, run=run)
    audit_record(
        actor=acting_user,
        action="settlement",
        instance=pool,
        after={
            "year": year,
            "activity": activity,
            "result": str(basis.activity.result),
            "key": key.pk,
            "run": run.pk,
            "fiscal_year": basis.fiscal_year.pk,
        },
    )
    return pool
