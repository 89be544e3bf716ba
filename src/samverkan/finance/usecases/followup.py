"""The economist's follow-up, operating statement and investment report: one function for the
page, the API and the command line, so the three print the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core.permissions import require
from samverkan.domain.followup import (
    CONVENTION_NOTES,
    MONTHS,
    ActivityFollowup,
    Convention,
    Figures,
    Followup,
    FollowupInput,
    Grouping,
    Investments,
    Period,
    ProjectFigures,
    build_followup,
    build_investments,
    operating_sums,
    parse_period,
)
from samverkan.domain.ledger_lines import resolve
from samverkan.domain.report_table import ReportRow, ReportTable, Unit, printed
from samverkan.finance.policies import VIEW_REPORTS
from samverkan.finance.selectors import followup as selectors
from samverkan.finance.selectors.mapping import finance_settings, mapping_ranges
from samverkan.finance.usecases.statements import NoLedgerError

KINDS = ("operating", "followup", "investments")
TITLES = {
    "operating": gettext_lazy("Driftredovisning"),
    "followup": gettext_lazy("Driftuppföljning"),
    "investments": gettext_lazy("Investeringsredovisning"),
}
SIGN_NOTE = gettext_lazy("Intäkter anges positiva och kostnader negativa.")
CENT = Decimal("0.01")


def money(value: Decimal | None) -> str | None:
    """Kronor as a decimal string with öre ("34751000.00"); None stays None."""
    return None if value is None else str(value.quantize(CENT))


@dataclass(frozen=True)
class FollowupReport:
    kind: str
    year: int
    period: Period
    table: ReportTable
    followup: Followup | None = None
    investments: Investments | None = None
    budget_name: str = ""

    def as_dict(self) -> dict[str, object]:
        if self.investments is not None:
            return _investments_dict(self.year, self.period, self.investments)
        assert self.followup is not None
        return _followup_dict(self.year, self.period, self.followup)

    def chart(self) -> tuple[list[str], list[tuple[str, list[Decimal | None]]]]:
        """Labels and series (kronor) for the chart: budget, outcome, forecast per activity or project."""
        if self.investments is not None:
            projects = self.investments.projects
            return [p.label for p in projects], [
                (_("Anslag"), [p.appropriation for p in projects]),
                (_("Utfall %(period)s") % {"period": self.period.label}, [p.outcome for p in projects]),
                (_("Prognos"), [p.forecast for p in projects]),
            ]
        assert self.followup is not None
        activities = self.followup.activities
        series: list[tuple[str, list[Decimal | None]]] = [
            (_("Budget %(period)s") % {"period": self.period.label}, [a.figures.budget for a in activities]),
            (_("Utfall %(period)s") % {"period": self.period.label}, [a.figures.outcome for a in activities]),
        ]
        if self.kind == "followup":
            series.append((_("Prognos helår %(year)s") % {"year": self.year}, [a.figures.forecast for a in activities]))
        return [a.label for a in activities], series


def followup_report(
    *, user, federation, kind: str, year: int, period: str = "Y", budget: str | None = None
) -> FollowupReport:
    """kind: operating (driftredovisning, with the previous year beside), followup
    (driftuppföljning for a period, with the year's budget and forecast) or investments."""
    require(user, VIEW_REPORTS, federation=federation)
    if kind not in KINDS:
        raise ValidationError(_("Okänd rapport %(kind)r: välj operating, followup eller investments.") % {"kind": kind})
    chosen = parse_period(period, year)
    settings = finance_settings(federation)
    convention = Convention(settings.deviation_convention)
    unit = Unit(settings.print_unit)
    fy = selectors.fiscal_year(user, federation, year)
    if fy is None:
        raise NoLedgerError(_("Det finns ingen huvudbok importerad för %(year)s.") % {"year": year})
    if kind == "investments":
        return _investment_report(federation, fy, chosen, convention, unit, settings.project_dimension)

    grouping = Grouping(settings.line_grouping)
    ranges = mapping_ranges(federation)
    chosen_budget = selectors.budget_for(federation, year, budget)

    def sums(rows):
        lines, _unmapped = resolve(ranges, {account for _activity, account, _amount in rows})
        return operating_sums(rows, lines, grouping)

    data = FollowupInput(
        budget=sums(selectors.budget_rows(chosen_budget, chosen.months)),
        outcome=sums(selectors.ledger_rows(fy, chosen)),
        year_budget=sums(selectors.budget_rows(chosen_budget, range(1, 13))),
        forecasts=selectors.forecasts(federation, year) if kind == "followup" else (),
    )
    notes = [CONVENTION_NOTES[convention], str(SIGN_NOTE)]
    if chosen_budget is None:
        notes.append(_("Ingen budget finns för %(year)s.") % {"year": year})
    if kind == "operating":
        previous = chosen.shifted(-1)
        previous_fy = selectors.fiscal_year(user, federation, previous.year)
        previous_budget = selectors.budget_for(federation, previous.year)
        data = FollowupInput(
            budget=data.budget,
            outcome=data.outcome,
            year_budget=data.year_budget,
            previous_budget=sums(selectors.budget_rows(previous_budget, previous.months)),
            previous_outcome=sums(
                selectors.ledger_rows(previous_fy, previous)
                if previous_fy
                else selectors.period_balances(fy, previous, year_offset=-1)
            ),
        )
        if previous_fy is None:
            notes.append(
                _(
                    "Huvudboken för %(previous)s är inte importerad; föregående års utfall är "
                    "periodsaldon ur filen för %(year)s."
                )
                % {"year": year, "previous": previous.year}
            )
    result = build_followup(
        data,
        period=chosen,
        convention=convention,
        grouping=grouping,
        names=selectors.object_names(federation, settings.activity_dimension),
    )
    if result.missing_forecasts:
        notes.append(_("Prognos saknas för %(activities)s.") % {"activities": ", ".join(result.missing_forecasts)})
    months = sorted({a.forecast_month for a in result.activities if a.forecast_month})
    if months:
        notes.append(
            _("Prognosen är gjord efter %(months)s %(year)s.")
            % {"months": ", ".join(_month_name(m) for m in months), "year": year}
        )
    budget_name = chosen_budget.name if chosen_budget else ""
    table = _followup_table(kind, federation, result, unit, notes, budget_name)
    return FollowupReport(kind, year, chosen, table, followup=result, budget_name=budget_name)


def _month_name(month: int) -> str:
    return MONTHS[month - 1]


def _columns(kind: str, result: Followup) -> tuple[str, ...]:
    p = result.period
    label = {"period": p.label}
    current = (_("Budget %(period)s") % label, _("Utfall %(period)s") % label, _("Avvikelse"))
    if kind == "operating":
        previous = p.shifted(-1)
        return (
            *current,
            _("Budget %(period)s") % {"period": previous.label},
            _("Utfall %(period)s") % {"period": previous.label},
            _("Avvikelse"),
        )
    return (
        *current,
        _("Budget helår %(year)s") % {"year": p.year},
        _("Prognos helår %(year)s") % {"year": p.year},
        _("Prognosens avvikelse"),
    )


def _values(kind: str, f: Figures) -> tuple[Decimal | None, ...]:
    head = (f.budget, f.outcome, f.deviation)
    if kind == "operating":
        return (*head, f.previous_budget, f.previous_outcome, f.previous_deviation)
    return (*head, f.year_budget, f.forecast, f.forecast_deviation)


def _activity_rows(kind: str, activity: ActivityFollowup, unit: Unit) -> list[ReportRow]:
    """A line whose every figure prints as 0 is left out, as the annual report does (seed 002:
    Kundtjänst has a few hundred kronor of depreciation and no depreciation line); the activity's
    total still counts it."""
    rows = []
    for line in activity.lines:
        values = _values(kind, line.figures)
        if not line.figures.empty and any(value and printed(value, unit) for value in values):
            rows.append(ReportRow(f"{activity.code}:{line.key}", line.label, values))
    rows.append(ReportRow(activity.code or "unassigned", activity.label, _values(kind, activity.figures), level=1))
    return rows


def _followup_table(kind, federation, result: Followup, unit: Unit, notes: list[str], budget_name: str) -> ReportTable:
    rows = [row for activity in result.activities for row in _activity_rows(kind, activity, unit)]
    rows.append(ReportRow("total", "TOTALT", _values(kind, result.total), level=2))
    subtitle = f"{federation.name}, {result.period.label}"
    if budget_name:
        subtitle += _(", budget: %(name)s") % {"name": budget_name}
    return ReportTable(
        title=str(TITLES[kind]),
        columns=_columns(kind, result),
        rows=tuple(rows),
        unit=unit,
        notes=tuple(notes),
        subtitle=subtitle,
        extra={"budget": budget_name, "kind": kind, "period": result.period.code},
    )


def _investment_report(
    federation, fy, period: Period, convention: Convention, unit: Unit, dimension: int
) -> FollowupReport:
    ranges = mapping_ranges(federation)
    lines, _unmapped = resolve(ranges, selectors.fixed_asset_accounts(fy))
    accounts = [account for account, line in lines.items() if line in selectors.PURCHASE_LINES]
    result = build_investments(
        selectors.projects(federation, period.year),
        selectors.purchases(fy, period, accounts),
        period=period,
        convention=convention,
        names=selectors.object_names(federation, dimension),
    )
    columns = (
        _("Årsbudget %(year)s") % {"year": period.year},
        _("Extra beviljat"),
        _("Överfört från föregående år"),
        _("Totalt anslag %(year)s") % {"year": period.year},
        _("Utfall %(period)s") % {"period": period.label},
        _("Avvikelse mot anslaget"),
        _("Prognos helår %(year)s") % {"year": period.year},
        _("Prognosens avvikelse"),
    )
    rows = [ReportRow(p.code or "unassigned", p.label, _project_values(p)) for p in result.projects]
    rows.append(ReportRow("total", "TOTALT", _project_values(result.total), level=2))
    table = ReportTable(
        title=str(TITLES["investments"]),
        columns=columns,
        rows=tuple(rows),
        unit=unit,
        notes=(
            CONVENTION_NOTES[convention].replace("budget", "anslag"),
            _("Utfall = anskaffningar (debet) på anläggningskonton under perioden."),
        ),
        subtitle=f"{federation.name}, {period.label}",
        extra={"kind": "investments", "period": period.code},
    )
    return FollowupReport("investments", period.year, period, table, investments=result)


def _project_values(p: ProjectFigures) -> tuple[Decimal | None, ...]:
    return (
        p.budget,
        p.extra_granted,
        p.carried_over,
        p.appropriation,
        p.outcome,
        p.deviation,
        p.forecast,
        p.forecast_deviation,
    )


def _figures_dict(f: Figures) -> dict[str, str | None]:
    return {"budget": money(f.budget), "outcome": money(f.outcome), "deviation": money(f.deviation)}


def _followup_dict(year: int, period: Period, result: Followup) -> dict[str, object]:
    return {
        "year": year,
        "period": period.code,
        "activities": [
            {
                "code": a.code,
                "name": a.name if a.code else a.label,
                **_figures_dict(a.figures),
                "forecast": money(a.figures.forecast),
                "lines": [{"key": line.key, "label": line.label, **_figures_dict(line.figures)} for line in a.lines],
            }
            for a in result.activities
        ],
        "total": _figures_dict(result.total),
    }


def _investments_dict(year: int, period: Period, result: Investments) -> dict[str, object]:
    def project(p: ProjectFigures) -> dict[str, str | None]:
        return {
            "budget": money(p.budget),
            "extra_granted": money(p.extra_granted),
            "carried_over": money(p.carried_over),
            "appropriation": money(p.appropriation),
            "outcome": money(p.outcome),
            "deviation": money(p.deviation),
            "forecast": money(p.forecast),
            "forecast_deviation": money(p.forecast_deviation),
        }

    return {
        "year": year,
        "period": period.code,
        "projects": [{"code": p.code, "name": p.label, **project(p)} for p in result.projects],
        "total": project(result.total),
    }
