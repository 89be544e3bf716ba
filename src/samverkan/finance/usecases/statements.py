"""The annual report's statements for one year, the same for the page, the API and the CLI:
income statement, balance sheet, cash flow, balance requirement, financial goal and notes.

The figures come from `domain.statements` (keys and kronor); this module adds the Swedish
labels, the previous year's column, the print unit and the consistency checks as warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.domain import statements as calc
from samverkan.domain.errors import DomainError
from samverkan.domain.ledger_lines import resolve
from samverkan.domain.money import format_number, format_sek
from samverkan.domain.report_table import ReportRow, ReportTable, Unit
from samverkan.finance.policies import may_view_statements
from samverkan.finance.selectors import statements as selectors
from samverkan.finance.selectors.mapping import finance_settings, mapping_ranges

KINDS = ("income", "balance", "cashflow", "balance-requirement")

# Notes of the notes report, referred to from the statements' rows.
EQUIPMENT_NOTE, LONG_TERM_NOTE, SHORT_TERM_NOTE = 1, 2, 3

LABELS = {
    "income": {
        "operating_income": gettext_lazy("Verksamhetens intäkter"),
        "operating_expenses": gettext_lazy("Verksamhetens kostnader"),
        "depreciation": gettext_lazy("Av- och nedskrivningar"),
        "net_operating_cost": gettext_lazy("Verksamhetens nettokostnader"),
        "member_fees": gettext_lazy("Medlemsavgifter"),
        "operating_result": gettext_lazy("Verksamhetens resultat"),
        "financial_income": gettext_lazy("Finansiella intäkter"),
        "financial_expenses": gettext_lazy("Finansiella kostnader"),
        "result": gettext_lazy("Årets resultat"),
    },
    "balance": {
        "intangible_assets": gettext_lazy("Immateriella anläggningstillgångar"),
        "equipment": gettext_lazy("Maskiner och inventarier"),
        "other_tangible_assets": gettext_lazy("Mark, byggnader och tekniska anläggningar"),
        "financial_assets": gettext_lazy("Finansiella anläggningstillgångar"),
        "fixed_assets": gettext_lazy("Summa anläggningstillgångar"),
        "inventories": gettext_lazy("Förråd och lager"),
        "receivables": gettext_lazy("Fordringar"),
        "short_term_investments": gettext_lazy("Kortfristiga placeringar"),
        "cash": gettext_lazy("Kassa och bank"),
        "current_assets": gettext_lazy("Summa omsättningstillgångar"),
        "total_assets": gettext_lazy("SUMMA TILLGÅNGAR"),
        "equity": gettext_lazy("Eget kapital"),
        "result": gettext_lazy("– varav årets resultat"),
        "total_equity": gettext_lazy("Summa eget kapital"),
        "provisions": gettext_lazy("Avsättningar"),
        "long_term_liabilities": gettext_lazy("Långfristiga skulder"),
        "short_term_liabilities": gettext_lazy("Kortfristiga skulder"),
        "liabilities": gettext_lazy("Summa skulder"),
        "total_equity_and_liabilities": gettext_lazy("SUMMA EGET KAPITAL, AVSÄTTNINGAR OCH SKULDER"),
    },
    "cashflow": {
        "result": gettext_lazy("Årets resultat"),
        "depreciation_adjustment": gettext_lazy("Justering för av- och nedskrivningar"),
        "provisions_change": gettext_lazy("Justering för förändring av avsättningar"),
        "funds_before_working_capital": gettext_lazy("Medel från verksamheten före förändring av rörelsekapital"),
        "current_assets_change": gettext_lazy("Förändring av omsättningstillgångar"),
        "short_term_liabilities_change": gettext_lazy("Förändring av kortfristiga skulder"),
        "cash_flow_operations": gettext_lazy("Kassaflöde från drift"),
        "investments": gettext_lazy("Investeringar i anläggningstillgångar"),
        "cash_flow_investments": gettext_lazy("Kassaflöde från investeringar"),
        "new_loans": gettext_lazy("Nyupptagna långfristiga lån"),
        "amortisation": gettext_lazy("Amortering långfristiga lån"),
        "other_equity_changes": gettext_lazy("Övriga förändringar av eget kapital"),
        "cash_flow_financing": gettext_lazy("Kassaflöde från finansiering"),
        "cash_flow_year": gettext_lazy("ÅRETS KASSAFLÖDE"),
        "cash_start": gettext_lazy("Likvida medel vid årets början"),
        "cash_end": gettext_lazy("Likvida medel vid årets slut"),
    },
    "balance-requirement": {
        "result": gettext_lazy("Årets resultat"),
        "realisation_gains": gettext_lazy("Samtliga realisationsvinster"),
        "realisation_losses": gettext_lazy("Realisationsförluster enligt undantagsmöjlighet"),
        "unrealised_securities": gettext_lazy("Orealiserade vinster och förluster i värdepapper"),
        "reversed_unrealised_securities": gettext_lazy(
            "Återföring av orealiserade vinster och förluster i värdepapper"
        ),
        "result_after_adjustments": gettext_lazy("Årets resultat efter balanskravsjusteringar"),
        "balance_requirement_result": gettext_lazy("Årets balanskravsresultat"),
    },
    "notes": {
        "opening_cost": gettext_lazy("Ingående anskaffningsvärde"),
        "purchases": gettext_lazy("Inköp"),
        "disposals": gettext_lazy("Utrangeringar"),
        "closing_cost": gettext_lazy("Utgående anskaffningsvärde"),
        "opening_depreciation": gettext_lazy("Ingående ackumulerade avskrivningar"),
        "depreciation_year": gettext_lazy("Årets avskrivningar"),
        "depreciation_disposals": gettext_lazy("Avskrivningar på utrangeringar"),
        "closing_depreciation": gettext_lazy("Utgående ackumulerade avskrivningar"),
        "book_value": gettext_lazy("Summa maskiner och inventarier"),
        "register_cost": gettext_lazy("Anskaffningsvärde enligt inventarieregistret"),
        "register_cost_difference": gettext_lazy("Skillnad i anskaffningsvärde mot inventarieregistret"),
        "register_book_value": gettext_lazy("Bokfört värde enligt inventarieregistret"),
        "register_book_value_difference": gettext_lazy("Skillnad i bokfört värde mot inventarieregistret"),
        "long_term_liabilities": gettext_lazy("Summa långfristiga skulder"),
        "short_term_liabilities": gettext_lazy("Summa kortfristiga skulder"),
    },
}
TITLES = {
    "income": gettext_lazy("Resultaträkning"),
    "balance": gettext_lazy("Balansräkning"),
    "cashflow": gettext_lazy("Kassaflödesanalys"),
    "balance-requirement": gettext_lazy("Balanskravsutredning"),
}
# Headings the printed statements have above groups of lines (not in the JSON).
HEADINGS = {
    "balance": {
        "intangible_assets": gettext_lazy("TILLGÅNGAR – Anläggningstillgångar"),
        "inventories": gettext_lazy("Omsättningstillgångar"),
        "equity": gettext_lazy("EGET KAPITAL, AVSÄTTNINGAR OCH SKULDER"),
        "long_term_liabilities": gettext_lazy("Skulder"),
    },
    "cashflow": {
        "result": gettext_lazy("DRIFT"),
        "investments": gettext_lazy("INVESTERINGAR"),
        "new_loans": gettext_lazy("FINANSIERING"),
    },
}
# Lines left out of the printed table when they are zero in both years (always in the JSON).
OPTIONAL = {
    "income": {"financial_income"},
    "balance": {
        "intangible_assets",
        "other_tangible_assets",
        "financial_assets",
        "inventories",
        "short_term_investments",
        "provisions",
    },
    "cashflow": {"provisions_change", "other_equity_changes"},
}
NOTES = {
    ("income", "depreciation"): EQUIPMENT_NOTE,
    ("balance", "equipment"): EQUIPMENT_NOTE,
    ("balance", "long_term_liabilities"): LONG_TERM_NOTE,
    ("balance", "short_term_liabilities"): SHORT_TERM_NOTE,
    ("cashflow", "depreciation_adjustment"): EQUIPMENT_NOTE,
    ("cashflow", "investments"): EQUIPMENT_NOTE,
    ("cashflow", "amortisation"): LONG_TERM_NOTE,
}
# The balance-sheet mapping lines, for naming where last year's closing differs from the opening.
SHEET_LINES = {
    "intangible_assets": gettext_lazy("immateriella anläggningstillgångar"),
    "equipment_cost": gettext_lazy("maskiner och inventarier (anskaffningsvärde)"),
    "equipment_depreciation": gettext_lazy("ackumulerade avskrivningar"),
    "other_tangible_assets": gettext_lazy("mark, byggnader och tekniska anläggningar"),
    "financial_assets": gettext_lazy("finansiella anläggningstillgångar"),
    "inventories": gettext_lazy("förråd och lager"),
    "receivables": gettext_lazy("fordringar"),
    "short_term_investments": gettext_lazy("kortfristiga placeringar"),
    "cash": gettext_lazy("kassa och bank"),
    "equity": gettext_lazy("eget kapital"),
    "provisions": gettext_lazy("avsättningar"),
    "long_term_liabilities": gettext_lazy("långfristiga skulder"),
    "short_term_liabilities": gettext_lazy("kortfristiga skulder"),
}
_COMPUTE = {
    "income": calc.income_statement,
    "balance": calc.balance_sheet,
    "cashflow": calc.cash_flow,
    "balance-requirement": calc.balance_requirement,
}


class NoLedgerError(DomainError):
    """No ledger is imported for the year asked for (the API answers 404)."""


@dataclass(frozen=True)
class ReportLine:
    key: str
    label: str
    amount: Decimal  # kronor
    previous: Decimal | None

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "amount": _text(self.amount), "previous": _text(self.previous)}


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount.quantize(calc.ORE))


@dataclass(frozen=True)
class StatementReport:
    year: int
    kind: str
    lines: tuple[ReportLine, ...]
    table: ReportTable

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "lines": [line.as_dict() for line in self.lines],
            "warnings": list(self.table.warnings),
            "unit": "kr",
        }


@dataclass(frozen=True)
class _Ledger:
    """One year's amounts with everything the statements need beside them."""

    year: int
    current: calc.YearAmounts
    previous: calc.YearAmounts | None
    mapping: dict[str, str]
    unit: Unit
    subtitle: str
    target_percent: Decimal


def _ledger(user, federation, year) -> _Ledger:
    year = _year(year)
    settings = finance_settings(federation)
    if not may_view_statements(user, federation, published=settings.publish_statements):
        raise PermissionDenied(_("Din roll ger inte tillgång till årsredovisningens rapporter."))
    fiscal_year = selectors.fiscal_year_of(federation, year)
    if fiscal_year is None:
        raise NoLedgerError(_("Det finns ingen huvudbok importerad för %(year)s.") % {"year": year})
    current = selectors.year_amounts(fiscal_year)
    previous = selectors.previous_amounts(fiscal_year)
    accounts = current.accounts() | (previous.accounts() if previous is not None else set())
    mapping, _unmapped = resolve(mapping_ranges(federation), accounts)
    return _Ledger(
        year=year,
        current=current,
        previous=previous,
        mapping=mapping,
        unit=Unit(settings.print_unit),
        subtitle=f"{federation.name} {year}",
        target_percent=settings.financial_goal_percent,
    )


def _year(year) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ValidationError(_("Ange år med fyra siffror, t.ex. 2023.")) from None
    if not 1900 <= value <= 2200:
        raise ValidationError(_("Ange år med fyra siffror, t.ex. 2023."))
    return value


def _amount(value: Decimal) -> str:
    return format_sek(value, 2)


def _warnings(ledger: _Ledger, checks: tuple[calc.Check, ...]) -> tuple[str, ...]:
    out = []
    for check in checks:
        year = ledger.year if check.year == "current" else ledger.year - 1
        if check.code == "unbalanced":
            out.append(
                _(
                    "Balansräkningen för %(year)s balanserar inte: tillgångarna och eget kapital och skulder "
                    "skiljer sig med %(amount)s."
                )
                % {"year": year, "amount": _amount(check.amount)}
            )
        elif check.code == "result_differs":
            out.append(
                _(
                    "Förändringen av eget kapital %(year)s skiljer sig från årets resultat i resultaträkningen "
                    "med %(amount)s."
                )
                % {"year": year, "amount": _amount(check.amount)}
            )
        elif check.code == "opening_differs":
            out.append(
                _("Föregående års utgående balans är inte årets ingående balans (%(lines)s): skillnad %(amount)s.")
                % {
                    "lines": ", ".join(str(SHEET_LINES.get(line, line)) for line in check.lines),
                    "amount": _amount(check.amount),
                }
            )
    return tuple(out)


def _columns(ledger: _Ledger) -> tuple[str, str]:
    return (str(ledger.year), str(ledger.year - 1))


def _rows(kind: str, lines: tuple[calc.Line, ...]) -> tuple[ReportRow, ...]:
    rows = []
    heading = None
    for line in lines:
        heading = HEADINGS.get(kind, {}).get(line.key, heading)
        if line.key in OPTIONAL.get(kind, ()) and not line.amount and not line.previous:
            continue  # a heading above a line left out goes above the next one printed
        if heading is not None:
            rows.append(ReportRow(key=f"heading_{line.key}", label=str(heading), values=(None, None), level=1))
            heading = None
        note = NOTES.get((kind, line.key))
        rows.append(
            ReportRow(
                key=line.key,
                label=str(LABELS[kind][line.key]),
                values=(line.amount, line.previous),
                level=line.level,
                note=_("Not %(number)s") % {"number": note} if note else "",
            )
        )
    return tuple(rows)


def statement_report(*, user, federation, kind: str, year) -> StatementReport:
    """One statement of one year with the previous year beside it.

    Refuses (UnmappedAccountsError) while an account with a balance has no report line, and
    (NoLedgerError) when no ledger is imported for the year."""
    if kind not in KINDS:
        raise ValidationError(_("Okänd rapport: %(kind)s.") % {"kind": kind})
    ledger = _ledger(user, federation, year)
    result = _COMPUTE[kind](ledger.current, ledger.previous, ledger.mapping)
    notes = ()
    if kind == "cashflow":
        notes = (_("Likvida medel definieras som kassa, banktillgodohavanden och kortfristiga placeringar."),)
    table = ReportTable(
        title=str(TITLES[kind]),
        columns=_columns(ledger),
        rows=_rows(kind, result.lines),
        unit=ledger.unit,
        notes=notes,
        warnings=_warnings(ledger, result.checks),
        subtitle=ledger.subtitle,
    )
    lines = tuple(
        ReportLine(line.key, str(LABELS[kind][line.key]), line.amount, line.previous) for line in result.lines
    )
    return StatementReport(year=ledger.year, kind=kind, lines=lines, table=table)


# --- financial goal ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FinancialGoalReport:
    year: int
    target_percent: Decimal
    current: calc.Goal
    previous: calc.Goal | None
    table: ReportTable

    def as_dict(self) -> dict:
        def percent(goal: calc.Goal | None) -> str | None:
            if goal is None or goal.ratio is None:
                return None
            return str((goal.ratio * 100).quantize(Decimal("0.01")))

        return {
            "year": self.year,
            "lines": [
                ReportLine(row.key, row.label, row.values[0] or Decimal(0), row.values[1]).as_dict()
                for row in self.table.rows
            ],
            "ratio_percent": percent(self.current),
            "previous_ratio_percent": percent(self.previous),
            "target_percent": str(self.target_percent),
            "met": self.current.met,
            "warnings": list(self.table.warnings),
            "unit": "kr",
        }


def _goal_text(year: int, goal: calc.Goal, target: Decimal) -> str:
    if goal.ratio is None:
        return _("%(year)s: ingen omsättning, målet kan inte bedömas.") % {"year": year}
    values = {"year": year, "ratio": format_number(goal.ratio * 100, 1), "target": format_number(target, 1)}
    if goal.met:
        return (
            _(
                "%(year)s: överskottet motsvarar %(ratio)s %% av omsättningen (mål minst %(target)s %%); "
                "målet är uppfyllt."
            )
            % values
        )
    return (
        _(
            "%(year)s: överskottet motsvarar %(ratio)s %% av omsättningen (mål minst %(target)s %%); "
            "målet är inte uppfyllt."
        )
        % values
    )


def financial_goal_report(*, user, federation, year) -> FinancialGoalReport:
    """The year's surplus as a share of turnover against the federation's target."""
    ledger = _ledger(user, federation, year)
    current = calc.financial_goal(ledger.current, ledger.mapping, ledger.target_percent)
    previous = (
        calc.financial_goal(ledger.previous, ledger.mapping, ledger.target_percent)
        if ledger.previous is not None
        else None
    )
    notes = [_goal_text(ledger.year, current, ledger.target_percent)]
    if previous is not None:
        notes.append(_goal_text(ledger.year - 1, previous, ledger.target_percent))
    table = ReportTable(
        title=_("Finansiellt mål"),
        columns=_columns(ledger),
        rows=(
            ReportRow("result", _("Årets resultat"), (current.result, previous.result if previous else None)),
            ReportRow(
                "turnover",
                _("Omsättning (verksamhetens intäkter, medlemsavgifter och finansiella intäkter)"),
                (current.turnover, previous.turnover if previous else None),
            ),
        ),
        unit=ledger.unit,
        notes=tuple(notes),
        warnings=_warnings(ledger, calc.checks(ledger.current, ledger.previous, ledger.mapping)),
        subtitle=ledger.subtitle,
    )
    return FinancialGoalReport(
        year=ledger.year, target_percent=ledger.target_percent, current=current, previous=previous, table=table
    )


# --- notes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotesReport:
    year: int
    tables: tuple[ReportTable, ...]

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "notes": [
                {
                    "title": table.title,
                    "lines": [
                        {
                            "key": row.key,
                            "label": row.label,
                            "amount": _text(row.values[0]),
                            "previous": _text(row.values[1]),
                        }
                        for row in table.rows
                    ],
                }
                for table in self.tables
            ],
            "warnings": list(self.tables[0].warnings) if self.tables else [],
            "unit": "kr",
        }


def _register(federation, year: int) -> tuple[Decimal, Decimal]:
    return selectors.asset_register_totals(federation, date(year, 12, 31))


def _equipment_table(ledger: _Ledger, federation) -> ReportTable:
    note = calc.equipment_note(ledger.current, ledger.previous, ledger.mapping)
    labels = LABELS["notes"]
    rows = [
        ReportRow(line.key, str(labels[line.key]), (line.amount, line.previous), level=line.level)
        for line in note.lines
    ]
    cost_now, value_now = _register(federation, ledger.year)
    cost_before, value_before = _register(federation, ledger.year - 1) if ledger.previous is not None else (None, None)
    closing_cost, book = note.amount("closing_cost"), note.amount("book_value")
    previous = {line.key: line.previous for line in note.lines}

    def diff(ledger_value: Decimal | None, register_value: Decimal | None) -> Decimal | None:
        return None if ledger_value is None or register_value is None else ledger_value - register_value

    rows += [
        ReportRow("register_cost", str(labels["register_cost"]), (cost_now, cost_before)),
        ReportRow(
            "register_cost_difference",
            str(labels["register_cost_difference"]),
            (closing_cost - cost_now, diff(previous["closing_cost"], cost_before)),
            level=1,
        ),
        ReportRow("register_book_value", str(labels["register_book_value"]), (value_now, value_before)),
        ReportRow(
            "register_book_value_difference",
            str(labels["register_book_value_difference"]),
            (book - value_now, diff(previous["book_value"], value_before)),
            level=1,
        ),
    ]
    warnings = []
    if closing_cost != cost_now or book != value_now:
        warnings.append(
            _(
                "Maskiner och inventarier i huvudboken skiljer sig från inventarieregistret: "
                "anskaffningsvärde %(cost)s, bokfört värde %(value)s."
            )
            % {"cost": _amount(closing_cost - cost_now), "value": _amount(book - value_now)}
        )
    return ReportTable(
        title=_("Not %(number)s. Maskiner och inventarier") % {"number": EQUIPMENT_NOTE},
        columns=_columns(ledger),
        rows=tuple(rows),
        unit=ledger.unit,
        warnings=tuple(warnings),
        subtitle=ledger.subtitle,
    )


def _liabilities_table(ledger: _Ledger, names: dict[str, str], line: str, number: int, title: str) -> ReportTable:
    accounts = calc.liabilities_note(ledger.current, ledger.previous, ledger.mapping, line)
    rows = [
        ReportRow(f"account_{a.account}", f"{a.account} {names.get(a.account, '')}".strip(), (a.amount, a.previous))
        for a in accounts
    ]
    total = sum((a.amount for a in accounts), Decimal(0))
    previous = sum((a.previous or Decimal(0) for a in accounts), Decimal(0)) if ledger.previous is not None else None
    rows.append(ReportRow(line, str(LABELS["notes"][line]), (total, previous), level=2))
    return ReportTable(
        title=_("Not %(number)s. %(title)s") % {"number": number, "title": title},
        columns=_columns(ledger),
        rows=tuple(rows),
        unit=ledger.unit,
        subtitle=ledger.subtitle,
    )


def notes_report(*, user, federation, year) -> NotesReport:
    """Machines and equipment reconciled with the asset register; long- and short-term
    liabilities per account. Every table carries the year's consistency warnings."""
    ledger = _ledger(user, federation, year)
    names = selectors.account_names(federation)
    common = _warnings(ledger, calc.checks(ledger.current, ledger.previous, ledger.mapping))
    equipment = _equipment_table(ledger, federation)
    tables = (
        equipment,
        _liabilities_table(ledger, names, "long_term_liabilities", LONG_TERM_NOTE, _("Långfristiga skulder")),
        _liabilities_table(ledger, names, "short_term_liabilities", SHORT_TERM_NOTE, _("Kortfristiga skulder")),
    )
    warnings = common + equipment.warnings
    return NotesReport(
        year=ledger.year,
        tables=tuple(
            ReportTable(
                title=t.title,
                columns=t.columns,
                rows=t.rows,
                unit=t.unit,
                notes=t.notes,
                warnings=warnings if i == 0 else (),
                subtitle=t.subtitle,
            )
            for i, t in enumerate(tables)
        ),
    )
