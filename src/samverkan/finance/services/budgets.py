"""Writes of budgets (named versions), forecasts, investment projects and appropriations.

A budget version is replaced as a whole (import from the XLSX template or from a SIE file's
#PBUDGET), never edited line by line: the file is the economist's working copy. Budget lines
carry the ledger's sign (income negative); the template and forecasts use the report's sign
(income positive), so the import negates every amount of a result account. Accounts must map
to a line of the income statement (the budget follows up the operating result).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require, require_same_federation
from samverkan.core.services import model_create, model_delete, model_update
from samverkan.domain.ledger_lines import MAPPING_LINES, OperatingLine, Statement, resolve
from samverkan.domain.money import from_ore
from samverkan.finance.importers.budget_xlsx import BudgetFileError, read_budget, read_forecasts
from samverkan.finance.models import (
    Appropriation,
    Budget,
    BudgetKind,
    BudgetLine,
    Forecast,
    InvestmentProject,
)
from samverkan.finance.policies import EDIT_BUDGET, IMPORT_LEDGER
from samverkan.finance.selectors.budgets import activities
from samverkan.finance.selectors.mapping import mapping_ranges

SIE_BUDGET_NAME = "Budget enligt SIE-fil"
FORECAST_LINES = ("", *(line.value for line in OperatingLine))
MAX_AMOUNT = Decimal(10) ** 13


def _whole_ore(amount: Decimal) -> bool:
    return amount.is_finite() and -MAX_AMOUNT < amount < MAX_AMOUNT and amount == amount.quantize(Decimal("0.01"))


def _check_year(year: int) -> None:
    if not 1900 <= int(year) <= 2200:
        raise ValidationError({"year": "Året måste vara mellan 1900 och 2200."})


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Ange ett namn på budgetversionen."})
    if len(name) > 100:
        raise ValidationError({"name": "Namnet får vara högst 100 tecken."})
    return name


def _write_budget(*, acting_user, federation, year: int, name: str, kind: str, source: str, lines) -> Budget:
    """Replace version `name` of `year` with `lines` [(account, activity, month, amount kronor
    ledger sign)], keeping the version's id; audited with counts and totals."""
    budget = Budget.objects.select_for_update().filter(federation=federation, year=year, name=name).first()
    before = None
    if budget is None:
        budget = Budget.objects.create(
            federation=federation, year=year, name=name, kind=kind, source=source[:255], created_by=acting_user
        )
    else:
        before = {**snapshot(budget), "lines": budget.lines.count()}
        budget.kind, budget.source = kind, source[:255]
        budget.save(update_fields=["kind", "source"])
        budget.lines.all().delete()
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(budget=budget, account=account, activity=activity, month=month, amount=amount)
            for account, activity, month, amount in lines
            if amount
        ],
        batch_size=2000,
    )
    total = sum((line[3] for line in lines), Decimal(0))
    audit_record(
        actor=acting_user,
        action="import" if before else "create",
        instance=budget,
        before=before,
        after={**snapshot(budget), "lines": budget.lines.count(), "total": str(total)},
    )
    return budget


def _ledger_lines(federation, rows) -> list[tuple[str, str, int, Decimal]]:
    """The template's rows (report sign, öre) as budget lines in the ledger's sign, refusing an
    account that is not mapped to a line of the income statement and an unknown activity."""
    mapped, _unmapped = resolve(mapping_ranges(federation), [row.account for row in rows])
    known_activities = activities(federation)
    problems = []
    lines = []
    for row in rows:
        line = MAPPING_LINES.get(mapped.get(row.account, ""))
        if line is None:
            problems.append(f"Rad {row.row}, kolumn Konto: kontot {row.account} finns inte i kontomappningen.")
            continue
        if line.statement != Statement.INCOME:
            problems.append(
                f"Rad {row.row}, kolumn Konto: kontot {row.account} hör inte till resultaträkningen; "
                "budgeten gäller intäkter och kostnader."
            )
            continue
        if known_activities and row.activity and row.activity not in known_activities:
            problems.append(f"Rad {row.row}, kolumn Verksamhet: verksamheten {row.activity} finns inte i huvudboken.")
            continue
        # Report sign → ledger sign: income (positive in the template) is a credit.
        lines.extend((row.account, row.activity, month, -from_ore(ore)) for month, ore in enumerate(row.months, 1))
    if problems:
        raise ValidationError(problems[:50])
    return lines


@transaction.atomic
def budget_import_xlsx(
    *, acting_user, federation, year: int, name: str, kind: str, data: bytes, source_name: str = ""
) -> Budget:
    """Replace (or create) budget version `name` of `year` from the XLSX template.

    The returned budget carries `rows_imported` and `rows_without_amount` (row numbers read as
    a zero budget) for the page to show."""
    require(acting_user, EDIT_BUDGET, federation=federation)
    _check_year(year)
    name = _check_name(name)
    if kind not in BudgetKind.values:
        raise ValidationError({"kind": "Okänt slag av budget."})
    try:
        sheet = read_budget(data)
    except BudgetFileError as exc:
        raise ValidationError(exc.problems) from None
    lines = _ledger_lines(federation, sheet.rows)
    budget = _write_budget(
        acting_user=acting_user,
        federation=federation,
        year=year,
        name=name,
        kind=kind,
        source=source_name or "XLSX",
        lines=lines,
    )
    budget.rows_imported = len(sheet.rows)  # type: ignore[attr-defined]
    budget.rows_without_amount = sheet.without_amount  # type: ignore[attr-defined]
    return budget


@transaction.atomic
def budget_from_sie(*, acting_user, federation, year: int, lines, source_name: str) -> Budget:
    """The budget of a SIE file's #PBUDGET rows [(account, activity, period YYYYMM, amount öre)],
    already signed like the ledger, as version «Budget enligt SIE-fil» (adopted). Called by the
    ledger import inside its transaction; rows of the same account, activity and month add up."""
    require(acting_user, IMPORT_LEDGER, federation=federation)
    _check_year(year)
    sums: dict[tuple[str, str, int], int] = defaultdict(int)
    for account, activity, period, amount_ore in lines:
        month = int(period) % 100
        if not 1 <= month <= 12:
            raise ValidationError(f"#PBUDGET: perioden {period} har ingen månad 1–12.")
        sums[(str(account), activity or "", month)] += int(amount_ore)
    return _write_budget(
        acting_user=acting_user,
        federation=federation,
        year=year,
        name=SIE_BUDGET_NAME,
        kind=BudgetKind.ADOPTED,
        source=source_name,
        lines=[(account, activity, month, from_ore(ore)) for (account, activity, month), ore in sorted(sums.items())],
    )


@transaction.atomic
def budget_delete(*, acting_user, budget: Budget) -> None:
    require(acting_user, EDIT_BUDGET, obj=budget)
    budget.lines.all().delete()
    model_delete(instance=budget, acting_user=acting_user)


@transaction.atomic
def budget_copy(*, acting_user, budget: Budget, name: str, kind: str = BudgetKind.REVISED) -> Budget:
    """A new version with the same lines (an adopted budget becomes the start of a revised one)."""
    require(acting_user, EDIT_BUDGET, obj=budget)
    name = _check_name(name)
    if kind not in BudgetKind.values:
        raise ValidationError({"kind": "Okänt slag av budget."})
    if Budget.objects.filter(federation=budget.federation_id, year=budget.year, name=name).exists():
        raise ValidationError({"name": f"Det finns redan en budget {name} för {budget.year}."})
    lines = list(budget.lines.values_list("account", "activity", "month", "amount"))
    return _write_budget(
        acting_user=acting_user,
        federation=budget.federation,
        year=budget.year,
        name=name,
        kind=kind,
        source=f"Kopia av {budget.name}",
        lines=lines,
    )


# ---- forecasts -------------------------------------------------------------------------------


def _forecast_write(*, acting_user, federation, year, as_of_month, activity, line, amount, comment) -> Forecast | None:
    if not 1 <= int(as_of_month) <= 12:
        raise ValidationError({"as_of_month": "Uppföljningsmånaden måste vara 1–12."})
    activity = (activity or "").strip()
    if not activity or len(activity) > 40:
        raise ValidationError({"activity": "Ange verksamhetens kod (högst 40 tecken)."})
    if line not in FORECAST_LINES:
        raise ValidationError({"line": "Okänd rad."})
    existing = Forecast.objects.filter(
        federation=federation, year=year, as_of_month=as_of_month, activity=activity, line=line
    ).first()
    if amount is None:
        if existing is not None:
            model_delete(instance=existing, acting_user=acting_user)
        return None
    amount = Decimal(amount)
    if not _whole_ore(amount):
        raise ValidationError({"amount": "Beloppet måste vara kronor med högst två decimaler och 13 siffror."})
    data = {"amount": amount, "comment": comment or "", "updated_by": acting_user}
    if existing is None:
        return model_create(
            model=Forecast,
            acting_user=acting_user,
            federation=federation,
            year=year,
            as_of_month=as_of_month,
            activity=activity,
            line=line,
            **data,
        )
    forecast, _changed = model_update(instance=existing, acting_user=acting_user, data=data)
    return forecast


@transaction.atomic
def forecast_set(
    *, acting_user, federation, year: int, as_of_month: int, activity: str, line: str = "", amount, comment: str = ""
) -> Forecast | None:
    """Set (or, with amount None, remove) the year-end forecast of an activity at a follow-up.
    `amount` is kronor with the report's sign (income positive)."""
    require(acting_user, EDIT_BUDGET, federation=federation)
    _check_year(year)
    return _forecast_write(
        acting_user=acting_user,
        federation=federation,
        year=year,
        as_of_month=as_of_month,
        activity=activity,
        line=line,
        amount=amount,
        comment=comment,
    )


@transaction.atomic
def forecast_import_xlsx(*, acting_user, federation, year: int, as_of_month: int, data: bytes) -> list[Forecast]:
    """Set the forecasts of sheet «Prognos» (rows not in the file are left as they are)."""
    require(acting_user, EDIT_BUDGET, federation=federation)
    _check_year(year)
    try:
        rows = read_forecasts(data)
    except BudgetFileError as exc:
        raise ValidationError(exc.problems) from None
    known = activities(federation)
    unknown = [
        f"Rad {r.row}, kolumn Verksamhet: verksamheten {r.activity} finns inte i huvudboken."
        for r in rows
        if known and r.activity not in known
    ]
    if unknown:
        raise ValidationError(unknown[:50])
    saved = []
    for row in rows:
        saved.append(
            _forecast_write(
                acting_user=acting_user,
                federation=federation,
                year=year,
                as_of_month=as_of_month,
                activity=row.activity,
                line=row.line,
                amount=row.amount,
                comment=row.comment,
            )
        )
    return [f for f in saved if f is not None]


# ---- investment projects and appropriations -------------------------------------------------

PROJECT_FIELDS = ("code", "name", "depreciation_years")


@transaction.atomic
def project_create(
    *, acting_user, federation, code: str, name: str, depreciation_years: int | None = None
) -> InvestmentProject:
    require(acting_user, EDIT_BUDGET, federation=federation)
    code = (code or "").strip()
    if InvestmentProject.objects.filter(federation=federation, code=code).exists():
        raise ValidationError({"code": f"Det finns redan ett projekt med koden {code}."})
    return model_create(
        model=InvestmentProject,
        acting_user=acting_user,
        federation=federation,
        code=code,
        name=name,
        depreciation_years=depreciation_years,
    )


@transaction.atomic
def project_update(*, acting_user, project: InvestmentProject, data: dict) -> InvestmentProject:
    require(acting_user, EDIT_BUDGET, obj=project)
    data = {k: v for k, v in data.items() if k in PROJECT_FIELDS}
    if "code" in data:
        data["code"] = (data["code"] or "").strip()
        clash = InvestmentProject.objects.filter(federation=project.federation_id, code=data["code"]).exclude(
            pk=project.pk
        )
        if clash.exists():
            raise ValidationError({"code": f"Det finns redan ett projekt med koden {data['code']}."})
    project, _changed = model_update(instance=project, acting_user=acting_user, data=data)
    return project


@transaction.atomic
def project_delete(*, acting_user, project: InvestmentProject) -> None:
    require(acting_user, EDIT_BUDGET, obj=project)
    for appropriation in project.appropriations.all():
        model_delete(instance=appropriation, acting_user=acting_user)
    model_delete(instance=project, acting_user=acting_user)


@transaction.atomic
def appropriation_set(
    *,
    acting_user,
    project: InvestmentProject,
    year: int,
    budget=Decimal(0),
    extra_granted=Decimal(0),
    carried_over=Decimal(0),
    forecast=None,
    comment: str = "",
) -> Appropriation:
    """The project's appropriation for `year` (annual budget + extra granted + carried over),
    with the year-end forecast of its outcome; kronor, positive = money to spend."""
    require(acting_user, EDIT_BUDGET, obj=project)
    require_same_federation(acting_user, federation=project.federation_id, project=project)
    _check_year(year)
    values = {"budget": budget, "extra_granted": extra_granted, "carried_over": carried_over, "forecast": forecast}
    for field, value in values.items():
        if value is None and field != "forecast":
            values[field] = Decimal(0)
        elif value is not None and not _whole_ore(Decimal(value)):
            raise ValidationError({field: "Beloppet måste vara kronor med högst två decimaler och 13 siffror."})
    existing = Appropriation.objects.filter(project=project, year=year).first()
    data = {**values, "comment": comment or ""}
    if existing is None:
        return model_create(model=Appropriation, acting_user=acting_user, project=project, year=year, **data)
    appropriation, _changed = model_update(instance=existing, acting_user=acting_user, data=data)
    return appropriation


@transaction.atomic
def appropriation_delete(*, acting_user, appropriation: Appropriation) -> None:
    require(acting_user, EDIT_BUDGET, obj=appropriation.project)
    model_delete(instance=appropriation, acting_user=acting_user)
