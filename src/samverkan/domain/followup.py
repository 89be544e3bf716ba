"""Budget follow-up (driftuppföljning), the operating statement per activity (driftredovisning)
and the investment report, computed from plain sums so that page, API and CLI agree.

Amounts come in as Decimal kronor. Ledger and budget sums are signed as the ledger (debit
positive); the reports show income positive and costs negative (`-ledger`). Forecasts are
already signed like the reports. The deviation is signed per federation (seed 002 prints
budget − outcome, seed 004 outcome − budget so that a favourable deviation is positive) and the
report says which. Nothing is rounded here: printing rounds each figure on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from samverkan.domain.errors import DomainError
from samverkan.domain.ledger_lines import MAPPING_LINES, OperatingLine, Statement, account_key

ZERO = Decimal(0)
UNASSIGNED = ""  # the activity (or project) of rows that carry none
UNASSIGNED_ACTIVITY = "Ej fördelat"
UNASSIGNED_PROJECT = "Ej angivet projekt"
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


class FollowupError(DomainError):
    pass


class UnmappedAccountsError(FollowupError):
    """Result accounts with figures that the mapping puts on no report line: the report would be
    wrong, so it is refused and the accounts are named."""

    def __init__(self, accounts: Sequence[str]) -> None:
        self.accounts = tuple(accounts)
        listed = ", ".join(self.accounts)
        super().__init__(
            f"Kontona {listed} saknar mappning till en rapportrad; "
            "komplettera kontomappningen innan rapporten tas fram."
        )


# ---------------------------------------------------------------------------------------------
# Period


@dataclass(frozen=True)
class Period:
    """Months `first`–`last` of `year`, as the user wrote it (`code`)."""

    year: int
    first: int
    last: int
    code: str

    @property
    def months(self) -> range:
        return range(self.first, self.last + 1)

    @property
    def whole_year(self) -> bool:
        return self.first == 1 and self.last == 12

    @property
    def label(self) -> str:
        """ "2023", "jan–apr 2023", "mar 2023"."""
        if self.whole_year:
            return str(self.year)
        if self.first == self.last:
            return f"{MONTHS[self.first - 1]} {self.year}"
        return f"{MONTHS[self.first - 1]}–{MONTHS[self.last - 1]} {self.year}"

    def shifted(self, years: int) -> Period:
        """The same months of another year (the operating statement's previous year)."""
        return Period(self.year + years, self.first, self.last, self.code)


_RANGE = re.compile(r"^(\d{4})-(\d{1,2})(?:\.\.(\d{4})-(\d{1,2}))?$")
_NAMED = {"T1": (1, 4), "T2": (1, 8), "T3": (1, 12), "Y": (1, 12), "ÅR": (1, 12), "HELÅR": (1, 12)}


def parse_period(text: str | None, year: int) -> Period:
    """ "T1" (January–April), "T2" (January–August), "Y" (the year), "2023-03..2023-06" or one
    month "2023-03"; the months must lie in `year`."""
    raw = (text or "Y").strip()
    named = _NAMED.get(raw.upper())
    if named:
        code = "Y" if named == (1, 12) else raw.upper()
        return Period(year, named[0], named[1], code)
    match = _RANGE.match(raw)
    if not match:
        raise FollowupError(f"Okänd period {raw!r}: ange T1, T2, Y eller ÅÅÅÅ-MM..ÅÅÅÅ-MM.")
    first_year, first_month = int(match[1]), int(match[2])
    last_year, last_month = (int(match[3]), int(match[4])) if match[3] else (first_year, first_month)
    for month in (first_month, last_month):
        if not 1 <= month <= 12:
            raise FollowupError(f"Perioden {raw}: månaden {month} finns inte.")
    if first_year != year or last_year != year:
        raise FollowupError(f"Perioden {raw} ligger inte i år {year}.")
    if first_month > last_month:
        raise FollowupError(f"Perioden {raw} börjar efter att den slutar.")
    code = f"{year}-{first_month:02d}..{year}-{last_month:02d}"
    return Period(year, first_month, last_month, "Y" if (first_month, last_month) == (1, 12) else code)


# ---------------------------------------------------------------------------------------------
# Deviation and lines


class Convention(StrEnum):
    BUDGET_MINUS_OUTCOME = "budget_minus_outcome"
    OUTCOME_MINUS_BUDGET = "outcome_minus_budget"


CONVENTION_NOTES = {
    Convention.BUDGET_MINUS_OUTCOME: "Avvikelse = budget − utfall.",
    Convention.OUTCOME_MINUS_BUDGET: "Avvikelse = utfall − budget; en positiv avvikelse är gynnsam.",
}


def deviation(budget: Decimal, outcome: Decimal, convention: Convention) -> Decimal:
    if convention == Convention.BUDGET_MINUS_OUTCOME:
        return budget - outcome
    return outcome - budget


class Grouping(StrEnum):
    DETAILED = "detailed"
    GROSS = "gross"


LINE_LABELS = {
    OperatingLine.INCOME.value: "Intäkter",
    OperatingLine.STAFF_COSTS.value: "Personalkostnader",
    OperatingLine.OTHER_COSTS.value: "Övriga kostnader",
    OperatingLine.DEPRECIATION.value: "Avskrivningar",
    "costs": "Kostnader",
}


def line_keys(grouping: Grouping) -> tuple[str, ...]:
    if grouping == Grouping.GROSS:
        return (OperatingLine.INCOME.value, "costs")
    return tuple(line.value for line in OperatingLine)


def group_line(key: str, grouping: Grouping) -> str | None:
    """An operating line (or a forecast's line key) as a line of the chosen grouping."""
    if grouping == Grouping.DETAILED:
        return key if key in {line.value for line in OperatingLine} else None
    if key == OperatingLine.INCOME.value:
        return key
    return "costs" if key in {"costs", *(line.value for line in OperatingLine)} else None


def is_result_account(account: str) -> bool:
    """Classes 3–8 (Kommun-Bas and BAS): income and costs."""
    return account[:1] in {"3", "4", "5", "6", "7", "8"}


def operating_sums(
    rows: Iterable[tuple[str, str, Decimal]], account_lines: Mapping[str, str], grouping: Grouping
) -> dict[tuple[str, str], Decimal]:
    """(activity, account, ledger amount) → (activity, line) → amount in report sign.

    Only result accounts (classes 3–8) count. One mapped to the closing line (89, årets
    resultat) is a bookkeeping entry, not income or cost, and is left out; one mapped nowhere
    refuses the report (UnmappedAccountsError lists them)."""
    sums: dict[tuple[str, str], Decimal] = {}
    unmapped: set[str] = set()
    for activity, account, amount in rows:
        if not is_result_account(account):
            continue
        mapping_line = MAPPING_LINES.get(account_lines.get(account, ""))
        if mapping_line is None:
            if amount:
                unmapped.add(account)
            continue
        if mapping_line.statement != Statement.INCOME or mapping_line.operating is None:
            continue
        line = group_line(mapping_line.operating.value, grouping)
        assert line is not None
        key = (activity, line)
        sums[key] = sums.get(key, ZERO) - amount
    if unmapped:
        raise UnmappedAccountsError(sorted(unmapped, key=account_key))
    return sums


# ---------------------------------------------------------------------------------------------
# Follow-up per activity


@dataclass(frozen=True)
class ForecastRow:
    activity: str
    line: str  # "" = the activity's net result
    as_of_month: int
    amount: Decimal  # report sign


@dataclass(frozen=True)
class Figures:
    """One row of the follow-up: a line of an activity, an activity, or the total."""

    budget: Decimal  # the period
    outcome: Decimal
    deviation: Decimal
    year_budget: Decimal
    forecast: Decimal | None
    forecast_deviation: Decimal | None
    previous_budget: Decimal | None = None  # operating statement: the same months a year earlier
    previous_outcome: Decimal | None = None
    previous_deviation: Decimal | None = None

    @property
    def empty(self) -> bool:
        values = (
            self.budget,
            self.outcome,
            self.year_budget,
            self.forecast,
            self.previous_budget,
            self.previous_outcome,
        )
        return not any(values)


@dataclass(frozen=True)
class ActivityLine:
    key: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class ActivityFollowup:
    code: str
    name: str
    lines: tuple[ActivityLine, ...]
    figures: Figures
    forecast_month: int | None  # as_of_month of the forecast used

    @property
    def label(self) -> str:
        if self.code == UNASSIGNED:
            return UNASSIGNED_ACTIVITY
        return f"{self.code} {self.name}".strip()


@dataclass(frozen=True)
class Followup:
    period: Period
    convention: Convention
    grouping: Grouping
    activities: tuple[ActivityFollowup, ...]
    total: Figures
    missing_forecasts: tuple[str, ...]  # labels of activities without a forecast, when others have one
    has_previous: bool


@dataclass(frozen=True)
class FollowupInput:
    """Sums per (activity, line) in report sign; the previous year's only for the operating
    statement (None: not shown)."""

    budget: Mapping[tuple[str, str], Decimal]
    outcome: Mapping[tuple[str, str], Decimal]
    year_budget: Mapping[tuple[str, str], Decimal]
    forecasts: Sequence[ForecastRow] = ()
    previous_budget: Mapping[tuple[str, str], Decimal] | None = None
    previous_outcome: Mapping[tuple[str, str], Decimal] | None = None


def _chosen_forecasts(
    rows: Sequence[ForecastRow], last_month: int, grouping: Grouping
) -> dict[str, tuple[int, Decimal, dict[str, Decimal]]]:
    """Per activity: the latest follow-up's forecast made no later than the period's last month,
    as (month, net, per line). The net is the blank-line row when there is one, else the sum of
    the line rows."""
    latest: dict[str, int] = {}
    for row in rows:
        if row.as_of_month <= last_month and row.as_of_month > latest.get(row.activity, 0):
            latest[row.activity] = row.as_of_month
    chosen: dict[str, tuple[int, Decimal, dict[str, Decimal]]] = {}
    for activity, month in latest.items():
        net: Decimal | None = None
        lines: dict[str, Decimal] = {}
        line_sum = ZERO
        for row in rows:
            if row.activity != activity or row.as_of_month != month:
                continue
            if not row.line:
                net = row.amount
                continue
            line_sum += row.amount
            key = group_line(row.line, grouping)
            if key is not None:
                lines[key] = lines.get(key, ZERO) + row.amount
        chosen[activity] = (month, line_sum if net is None else net, lines)
    return chosen


def _figures(
    budget: Decimal,
    outcome: Decimal,
    year_budget: Decimal,
    forecast: Decimal | None,
    convention: Convention,
    previous: tuple[Decimal, Decimal] | None,
) -> Figures:
    return Figures(
        budget=budget,
        outcome=outcome,
        deviation=deviation(budget, outcome, convention),
        year_budget=year_budget,
        forecast=forecast,
        forecast_deviation=None if forecast is None else deviation(year_budget, forecast, convention),
        previous_budget=None if previous is None else previous[0],
        previous_outcome=None if previous is None else previous[1],
        previous_deviation=None if previous is None else deviation(previous[0], previous[1], convention),
    )


def _activity_order(code: str) -> tuple[int, int, str]:
    return (code == UNASSIGNED, *account_key(code))


def build_followup(
    data: FollowupInput,
    *,
    period: Period,
    convention: Convention,
    grouping: Grouping,
    names: Mapping[str, str],
) -> Followup:
    """Every activity with a figure (budget, outcome, forecast, previous year), its lines in the
    grouping's order, the activity's net and the total; "Ej fördelat" last."""
    keys = line_keys(grouping)
    with_previous = data.previous_budget is not None or data.previous_outcome is not None
    prev_budget = data.previous_budget or {}
    prev_outcome = data.previous_outcome or {}
    forecasts = _chosen_forecasts(data.forecasts, period.last, grouping)
    codes = {
        key[0] for source in (data.budget, data.outcome, data.year_budget, prev_budget, prev_outcome) for key in source
    }
    codes |= set(forecasts)

    activities: list[ActivityFollowup] = []
    for code in sorted(codes, key=_activity_order):
        month, net_forecast, line_forecasts = forecasts.get(code, (None, None, {}))

        def previous(key: str, code: str = code) -> tuple[Decimal, Decimal] | None:
            return (prev_budget.get((code, key), ZERO), prev_outcome.get((code, key), ZERO)) if with_previous else None

        lines = tuple(
            ActivityLine(
                key,
                LINE_LABELS[key],
                _figures(
                    data.budget.get((code, key), ZERO),
                    data.outcome.get((code, key), ZERO),
                    data.year_budget.get((code, key), ZERO),
                    line_forecasts.get(key, ZERO) if line_forecasts else None,
                    convention,
                    (prev_budget.get((code, key), ZERO), prev_outcome.get((code, key), ZERO))
                    if with_previous
                    else None,
                ),
            )
            for key in keys
        )
        figures = _sum([line.figures for line in lines], convention, forecast=net_forecast)
        activity = ActivityFollowup(code, names.get(code, ""), lines, figures, month)
        if not figures.empty or any(not line.figures.empty for line in lines):
            activities.append(activity)

    with_forecast = [a for a in activities if a.figures.forecast is not None]
    missing = tuple(a.label for a in activities if a.figures.forecast is None) if with_forecast else ()
    total_forecast = sum((a.figures.forecast or ZERO for a in with_forecast), ZERO) if with_forecast else None
    total = _sum([a.figures for a in activities], convention, forecast=total_forecast)
    return Followup(period, convention, grouping, tuple(activities), total, missing, with_previous)


def _sum(parts: Sequence[Figures], convention: Convention, *, forecast: Decimal | None) -> Figures:
    with_previous = any(p.previous_budget is not None for p in parts)
    budget = sum((p.budget for p in parts), ZERO)
    outcome = sum((p.outcome for p in parts), ZERO)
    previous = None
    if with_previous:
        previous = (
            sum((p.previous_budget or ZERO for p in parts), ZERO),
            sum((p.previous_outcome or ZERO for p in parts), ZERO),
        )
    return _figures(budget, outcome, sum((p.year_budget for p in parts), ZERO), forecast, convention, previous)


# ---------------------------------------------------------------------------------------------
# Investments


@dataclass(frozen=True)
class ProjectInput:
    code: str
    name: str
    budget: Decimal = ZERO  # the year's appropriation: annual budget …
    extra_granted: Decimal = ZERO  # … + extra granted …
    carried_over: Decimal = ZERO  # … + carried over from the year before
    forecast: Decimal | None = None


@dataclass(frozen=True)
class ProjectFigures:
    code: str
    name: str
    budget: Decimal
    extra_granted: Decimal
    carried_over: Decimal
    outcome: Decimal
    forecast: Decimal | None
    convention: Convention

    @property
    def appropriation(self) -> Decimal:
        return self.budget + self.extra_granted + self.carried_over

    @property
    def deviation(self) -> Decimal:
        """Against the year's whole appropriation (seed 004: 0,8 − 13,0 = −12,2)."""
        return deviation(self.appropriation, self.outcome, self.convention)

    @property
    def forecast_deviation(self) -> Decimal | None:
        return None if self.forecast is None else deviation(self.appropriation, self.forecast, self.convention)

    @property
    def label(self) -> str:
        if self.code == UNASSIGNED:
            return UNASSIGNED_PROJECT
        return f"{self.name or self.code}"


@dataclass(frozen=True)
class Investments:
    period: Period
    convention: Convention
    projects: tuple[ProjectFigures, ...]
    total: ProjectFigures


def build_investments(
    projects: Iterable[ProjectInput],
    purchases: Mapping[str, Decimal],
    *,
    period: Period,
    convention: Convention,
    names: Mapping[str, str] | None = None,
) -> Investments:
    """Every project with an appropriation or a purchase (purchases without a project under
    "Ej angivet projekt", last); the total's forecast is the sum of the forecasts given."""
    given = {p.code: p for p in projects}
    codes = sorted(set(given) | {code for code, amount in purchases.items() if amount}, key=lambda c: (c == "", c))
    rows = []
    for code in codes:
        p = given.get(code) or ProjectInput(code, (names or {}).get(code, ""))
        rows.append(
            ProjectFigures(
                code,
                p.name,
                p.budget,
                p.extra_granted,
                p.carried_over,
                purchases.get(code, ZERO),
                p.forecast,
                convention,
            )
        )
    forecasts = [r.forecast for r in rows if r.forecast is not None]
    total = ProjectFigures(
        "",
        "TOTALT",
        sum((r.budget for r in rows), ZERO),
        sum((r.extra_granted for r in rows), ZERO),
        sum((r.carried_over for r in rows), ZERO),
        sum((r.outcome for r in rows), ZERO),
        sum(forecasts, ZERO) if forecasts else None,
        convention,
    )
    return Investments(period, convention, tuple(rows), total)
