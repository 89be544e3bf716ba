"""Every write of the allocation module: keys, pools, runs. One transaction and audit row each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.allocation.calculation import compute
from samverkan.allocation.models import (
    FIGURE_KINDS,
    VALUE_KINDS,
    AllocationKey,
    AllocationLine,
    AllocationRun,
    BusinessCaseOption,
    BusinessCaseStudy,
    CostPool,
    KeyComponent,
    KeyKind,
    KeyValue,
    RunKind,
    RunStatus,
)
from samverkan.allocation.policies import APPROVE_RUN, CREATE_RUN, MANAGE_BUSINESS_CASES, MANAGE_POOLS
from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require
from samverkan.core.services import model_create, model_delete, model_update
from samverkan.domain.business_case import BusinessCase, BusinessCaseError, InvestmentComponent, OperatingCost
from samverkan.members.models import Federation, Member, Service


def _same_federation(federation: Federation, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.federation_id != federation.pk:
            raise ValidationError(_("%(obj)s hör till ett annat förbund.") % {"obj": obj})


@transaction.atomic
def key_create(
    *,
    acting_user,
    federation: Federation,
    name: str,
    kind: str,
    reference_date: date | None = None,
    description: str = "",
    values: Mapping[Member, Decimal | None] | None = None,
    components: Sequence[tuple[AllocationKey, Decimal]] = (),
) -> AllocationKey:
    """A new key; the API sends a decided/fixed key's `values` or a mix's `components` with it."""
    require(acting_user, MANAGE_POOLS, federation=federation)
    if kind in FIGURE_KINDS and reference_date is None:
        raise ValidationError(_("Invånar- och användarnycklar behöver ett referensdatum."))
    key = model_create(
        model=AllocationKey,
        acting_user=acting_user,
        federation=federation,
        name=name,
        kind=kind,
        reference_date=reference_date if kind in FIGURE_KINDS else None,
        description=description,
    )
    if values:
        key_values_set(acting_user=acting_user, key=key, values=values)
    for component, weight in components:
        key_component_add(acting_user=acting_user, mix=key, component=component, weight=weight)
    return key


@transaction.atomic
def key_values_set(*, acting_user, key: AllocationKey, values: Mapping[Member, Decimal | None]) -> AllocationKey:
    """Replace the rows of a decided-amounts or fixed-shares key (None or missing: no row)."""
    require(acting_user, MANAGE_POOLS, obj=key)
    if key.kind not in VALUE_KINDS:
        raise ValidationError(_("Bara nycklar med beslutade belopp eller fasta andelar har egna värden."))
    before = {str(v.member_id): str(v.value) for v in key.values.all()}
    rows = []
    for member, value in values.items():
        _same_federation(key.federation, member)
        if value is None:
            continue
        if value < 0:
            raise ValidationError(_("Värdet för %(member)s får inte vara negativt.") % {"member": member})
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError(_("Värdet för %(member)s har fler än två decimaler.") % {"member": member})
        rows.append(KeyValue(key=key, member=member, value=value))
    key.values.all().delete()
    KeyValue.objects.bulk_create(rows)
    after = {str(r.member.pk): str(r.value) for r in rows}
    audit_record(actor=acting_user, action="key_values", instance=key, before=before, after=after)
    return key


def _reachable(key: AllocationKey) -> set[int]:
    seen: set[int] = set()
    stack = [key]
    while stack:
        current = stack.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        stack.extend(c.component for c in current.components.select_related("component"))
    return seen


@transaction.atomic
def key_component_add(*, acting_user, mix: AllocationKey, component: AllocationKey, weight: Decimal) -> KeyComponent:
    require(acting_user, MANAGE_POOLS, obj=mix)
    if mix.kind != KeyKind.MIX:
        raise ValidationError(_("Komponenter kan bara läggas till en viktad mix."))
    _same_federation(mix.federation, component)
    if weight < 0:
        raise ValidationError(_("Vikten får inte vara negativ."))
    if mix.pk in _reachable(component):
        raise ValidationError(
            _("%(c)s innehåller redan %(m)s; en mix kan inte innehålla sig själv.")
            % {
                "c": component,
                "m": mix,
            }
        )
    return model_create(model=KeyComponent, acting_user=acting_user, mix=mix, component=component, weight=weight)


def _check_total(total: Decimal | None, unit: str | None) -> None:
    if total is not None and unit != "ore" and total != total.to_integral_value():
        raise ValidationError(_("Beloppet %(total)s har ören men poolen avrundar till hela kronor.") % {"total": total})


@transaction.atomic
def pool_create(*, acting_user, federation: Federation, services: Iterable[Service] = (), **fields: Any) -> CostPool:
    require(acting_user, MANAGE_POOLS, federation=federation)
    services = list(services)
    _same_federation(federation, fields.get("key"), fields.get("comparison_key"), *services)
    _check_total(fields.get("total"), fields.get("unit", "krona"))
    pool = model_create(model=CostPool, acting_user=acting_user, federation=federation, **fields)
    pool.services.set(services)
    return pool


@transaction.atomic
def pool_update(*, acting_user, pool: CostPool, data: dict[str, Any]) -> CostPool:
    require(acting_user, MANAGE_POOLS, obj=pool)
    data = dict(data)
    services = data.pop("services", None)
    _same_federation(pool.federation, data.get("key"), data.get("comparison_key"), *(services or []))
    _check_total(data.get("total", pool.total), data.get("unit", pool.unit))
    pool, _changed = model_update(instance=pool, acting_user=acting_user, data=data)
    if services is not None:
        pool.services.set(services)
    return pool


@transaction.atomic
def run_create(
    *,
    acting_user,
    pool: CostPool,
    label: str,
    kind: str = RunKind.ORDINARY,
    key: AllocationKey | None = None,
    participation_date: date | None = None,
    total: Decimal | None = None,
) -> AllocationRun:
    """Compute the pool by its key (or `key`, e.g. the final key of a true-up) and store it all."""
    require(acting_user, CREATE_RUN, obj=pool)
    key = key or pool.key
    _same_federation(pool.federation, key)
    on = participation_date or pool.period_start
    _check_total(pool.total if total is None else total, pool.unit)
    computation = compute(pool, key, on, total=total)
    run = AllocationRun.objects.create(
        pool=pool,
        key=key,
        label=label,
        kind=kind,
        participation_date=on,
        total=pool.total if total is None else total,
        unit=pool.unit,
        key_description=computation.key_description[:300],
        inputs=computation.inputs,
        created_by=acting_user,
    )
    AllocationLine.objects.bulk_create(
        AllocationLine(
            run=run,
            member=p.member,
            position=index,
            basis=computation.basis[p.id],
            share=_decimal(computation.shares[p.id], 10),
            fraction=_decimal(computation.fractions.get(p.id, 1), 10),
            amount=computation.amounts[p.id],
        )
        for index, p in enumerate(computation.participants)
    )
    audit_record(
        actor=acting_user,
        action="create",
        instance=run,
        after={**snapshot(run), "lines": {p.name: str(computation.amounts[p.id]) for p in computation.participants}},
    )
    return run


def _decimal(value: Any, places: int) -> Decimal:
    fraction = Fraction(value)
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(Decimal(1).scaleb(-places))


def _refuse_if_approved(run: AllocationRun) -> None:
    if run.is_approved:
        raise ValidationError(_("Körningen är godkänd och kan inte ändras; gör en ny körning i stället."))


@transaction.atomic
def run_approve(*, acting_user, run: AllocationRun) -> AllocationRun:
    require(acting_user, APPROVE_RUN, federation=run.pool.federation_id)
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    _refuse_if_approved(run)
    before = snapshot(run)
    run.status = RunStatus.APPROVED
    run.approved_at = timezone.now()
    run.approved_by = acting_user
    run.save(update_fields=["status", "approved_at", "approved_by"])
    audit_record(actor=acting_user, action="approve", instance=run, before=before, after=snapshot(run))
    return run


@transaction.atomic
def run_delete(*, acting_user, run: AllocationRun) -> None:
    require(acting_user, CREATE_RUN, federation=run.pool.federation_id)
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    _refuse_if_approved(run)
    audit_record(actor=acting_user, action="delete", instance=run, before=snapshot(run))
    run.delete()


# --- Saved business cases (investeringskalkyler) with options side by side


def _money_rows(rows: Iterable[Mapping[str, Any]], *, with_year: bool = False) -> list[dict[str, Any]]:
    """Cost rows as stored in JSON: amounts as decimal strings in kronor (never floats)."""
    stored = []
    for row in rows:
        amount = Decimal(str(row["amount"])).quantize(Decimal("0.01"))
        entry: dict[str, Any] = {"name": str(row["name"]).strip(), "amount": str(amount)}
        if with_year:
            entry["year"] = int(row["year"]) if row.get("year") not in (None, "") else None
        stored.append(entry)
    return stored


def _check_option(option: Mapping[str, Any]) -> None:
    """The figures must make a business case (the domain's rules), or the option is refused."""
    try:
        BusinessCase(
            name=option["name"],
            components=tuple(InvestmentComponent(c["name"], Decimal(c["amount"])) for c in option["components"]),
            depreciation_years=option["depreciation_years"],
            operating_costs=tuple(OperatingCost(c["name"], Decimal(c["amount"])) for c in option["operations"]),
            users=option["users"],
            interest_rate=Decimal(option.get("interest_rate") or 0),
        )
    except BusinessCaseError as exc:
        raise ValidationError(_("Alternativet %(name)s: %(error)s") % {"name": option["name"], "error": exc}) from None
    years = [c["year"] for c in option["components"] if c.get("year") is not None]
    if any(not 1900 <= y <= 2200 for y in years):
        raise ValidationError(_("Investeringsår ska ligga mellan 1900 och 2200."))
    if option["depreciation_years"] < 1 or option["users"] < 1:
        raise ValidationError(_("Avskrivningstid och antal användare ska vara minst 1."))


def _write_options(study: BusinessCaseStudy, options: Sequence[Mapping[str, Any]], start: int = 0) -> None:
    for position, option in enumerate(options, start=start):
        data = {
            "name": str(option["name"]).strip(),
            "components": _money_rows(option["components"], with_year=True),
            "depreciation_years": int(option["depreciation_years"]),
            "interest_rate": Decimal(str(option.get("interest_rate") or 0)),
            "operations": _money_rows(option.get("operations") or ()),
            "per_user": Decimal(str(option.get("per_user") or 0)),
            "users": int(option["users"]),
            "first_year": int(option["first_year"]),
            "note": option.get("note") or "",
        }
        _check_option(data)
        instance = BusinessCaseOption(study=study, position=position, **data)
        instance.full_clean(exclude=["study"])
        instance.save()


@transaction.atomic
def business_case_save(
    *,
    acting_user: Any,
    federation: Federation,
    name: str,
    description: str = "",
    current_costs: Iterable[Mapping[str, Any]] = (),
    options: Sequence[Mapping[str, Any]] = (),
    study: BusinessCaseStudy | None = None,
) -> BusinessCaseStudy:
    """Create a saved case, or replace one's figures (``study``); options are stored in the given order."""
    require(acting_user, MANAGE_BUSINESS_CASES, federation=federation)
    if study is not None:
        _same_federation(federation, study)
    names = [str(o["name"]).strip() for o in options]
    if len(set(names)) != len(names):
        raise ValidationError(_("Två alternativ har samma benämning."))
    costs = _money_rows(current_costs)
    if any(Decimal(c["amount"]) < 0 for c in costs):
        raise ValidationError(_("Dagens kostnader får inte vara negativa."))
    before = snapshot(study) if study is not None else None
    if study is None:
        study = BusinessCaseStudy(federation=federation, created_by=acting_user)
    else:
        BusinessCaseOption.objects.filter(study=study).delete()
    study.name, study.description, study.current_costs = name, description, costs
    study.full_clean(exclude=["created_by"])
    study.save()
    _write_options(study, options)
    audit_record(
        actor=acting_user,
        action="update" if before else "create",
        instance=study,
        before=before,
        after={**(snapshot(study) or {}), "options": names},
    )
    return study


@transaction.atomic
def business_case_option_add(
    *, acting_user: Any, study: BusinessCaseStudy, option: Mapping[str, Any]
) -> BusinessCaseOption:
    """One more option beside the others (the page adds them one at a time)."""
    require(acting_user, MANAGE_BUSINESS_CASES, obj=study)
    existing = BusinessCaseOption.objects.filter(study=study)
    if existing.filter(name=str(option["name"]).strip()).exists():
        raise ValidationError(_("Två alternativ har samma benämning."))
    last = existing.order_by("-position").first()
    position = last.position + 1 if last else 0
    _write_options(study, [option], start=position)
    added = BusinessCaseOption.objects.get(study=study, position=position)
    audit_record(actor=acting_user, action="create", instance=added, after=snapshot(added))
    return added


@transaction.atomic
def business_case_option_delete(*, acting_user: Any, option: BusinessCaseOption) -> None:
    require(acting_user, MANAGE_BUSINESS_CASES, obj=option.study)
    model_delete(instance=option, acting_user=acting_user)


@transaction.atomic
def business_case_delete(*, acting_user: Any, study: BusinessCaseStudy) -> None:
    require(acting_user, MANAGE_BUSINESS_CASES, obj=study)
    BusinessCaseOption.objects.filter(study=study).delete()
    model_delete(instance=study, acting_user=acting_user)
