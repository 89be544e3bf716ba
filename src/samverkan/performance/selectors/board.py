"""What the board's start page shows: a card per bound indicator (current figure, target,
sparkline of four years), the latest financial follow-up, upcoming meetings and the latest
adjusted minutes; and the Kolada comparison.

Each part is read through its own module's selector or use case with the viewer's own
capabilities, so a secretary (no finance reports) simply gets no follow-up card.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max

from samverkan.core.permissions import has_capability, scope
from samverkan.domain.errors import DomainError
from samverkan.domain.goals import meets
from samverkan.domain.sparkline import Sparkline, sparkline
from samverkan.finance.models import Balance, BalanceKind, Transaction
from samverkan.finance.policies import VIEW_REPORTS
from samverkan.finance.selectors import ledger as ledger_selectors
from samverkan.finance.usecases.followup import followup_report
from samverkan.governance.models import Meeting, MeetingStatus, Minutes
from samverkan.governance.selectors.meetings import meetings_for
from samverkan.governance.selectors.minutes import minutes_for
from samverkan.members.models import Federation, Member
from samverkan.performance.models import Indicator, IndicatorSource, KoladaFigure, Target
from samverkan.performance.selectors.indicators import indicator_value

SPARK_YEARS = 4
UPCOMING = 5


@dataclass(frozen=True)
class IndicatorCard:
    indicator: Indicator
    year: int
    value: Decimal | None
    target: Target | None
    history: tuple[tuple[int, Decimal | None], ...]  # (year, value), oldest first
    line: Sparkline
    met: bool | None = None  # the target met this year; None when it cannot be told


@dataclass(frozen=True)
class FollowupRow:
    label: str
    budget: Decimal
    outcome: Decimal
    forecast: Decimal | None
    level: int = 0


@dataclass(frozen=True)
class FollowupCard:
    year: int
    period_label: str
    period_code: str
    rows: tuple[FollowupRow, ...]


@dataclass(frozen=True)
class Board:
    federation: Federation
    year: int
    cards: tuple[IndicatorCard, ...]
    followup: FollowupCard | None
    followup_note: str
    meetings: tuple[Meeting, ...]
    minutes: tuple[Minutes, ...]
    kolada: tuple = field(default_factory=tuple)


def indicators_for(user, federation: Federation):
    qs = Indicator.objects.filter(goal__area__federation=federation).select_related("goal", "goal__area")
    return scope(user, qs, federation="goal__area__federation", member=None, department=None)


def board_year(user, federation: Federation, today: date) -> int:
    """The latest year with a target, not after this year; else this year."""
    latest = (
        Target.objects.filter(indicator__in=indicators_for(user, federation), year__lte=today.year)
        .aggregate(y=Max("year"))
        .get("y")
    )
    return latest or today.year


def indicator_cards(user, federation: Federation, year: int) -> list[IndicatorCard]:
    cards = []
    bound = indicators_for(user, federation).exclude(source=IndicatorSource.MANUAL)
    for indicator in bound.filter(goal__first_year__lte=year, goal__last_year__gte=year - SPARK_YEARS + 1):
        years = range(year - SPARK_YEARS + 1, year + 1)
        history = tuple((y, indicator_value(indicator, y)) for y in years)
        target = Target.objects.filter(indicator=indicator, year=year).first()
        value, previous = history[-1][1], history[-2][1]
        met = None if target is None else meets(value, target.direction, target.value, previous)
        cards.append(IndicatorCard(indicator, year, value, target, history, sparkline([v for _y, v in history]), met))
    return cards


def _latest_month(fy) -> int | None:
    latest = Transaction.objects.filter(fiscal_year=fy).aggregate(p=Max("period"))["p"]
    if latest is None:
        latest = Balance.objects.filter(fiscal_year=fy, kind=BalanceKind.PERIOD, year_offset=0).aggregate(
            p=Max("period")
        )["p"]
    return None if latest is None else int(latest) % 100


def latest_followup(user, federation: Federation) -> tuple[FollowupCard | None, str]:
    """The follow-up of the latest imported year up to its latest month with data; a note
    instead when there is none or the viewer may not read finance reports."""
    if not has_capability(user, VIEW_REPORTS, federation=federation):
        return None, ""
    fy = ledger_selectors.fiscal_years(user).filter(federation=federation).first()
    if fy is None:
        return None, "none"
    month = _latest_month(fy) or 12
    code = "Y" if month == 12 else f"{fy.year}-01..{fy.year}-{month:02d}"
    try:
        report = followup_report(user=user, federation=federation, kind="followup", year=fy.year, period=code)
    except (ValidationError, DomainError, PermissionDenied):
        return None, "none"
    result = report.followup
    if result is None:
        return None, "none"
    rows = [FollowupRow(a.label, a.figures.budget, a.figures.outcome, a.figures.forecast) for a in result.activities]
    rows.append(FollowupRow("", result.total.budget, result.total.outcome, result.total.forecast, level=2))
    return FollowupCard(fy.year, report.period.label, report.period.code, tuple(rows)), ""


def upcoming_meetings(user, federation: Federation, today: date) -> list[Meeting]:
    qs = meetings_for(user).filter(body__federation=federation, date__gte=today)
    return list(qs.exclude(status=MeetingStatus.CANCELLED).order_by("date", "start_time")[:UPCOMING])


def adjusted_minutes(user, federation: Federation) -> list[Minutes]:
    qs = minutes_for(user).filter(meeting__body__federation=federation, locked_at__isnull=False)
    return list(qs.order_by("-locked_at")[:3])


def board(user, federation: Federation, *, today: date, year: int | None = None) -> Board:
    year = year or board_year(user, federation, today)
    followup, note = latest_followup(user, federation)
    return Board(
        federation=federation,
        year=year,
        cards=tuple(indicator_cards(user, federation, year)),
        followup=followup,
        followup_note=note,
        meetings=tuple(upcoming_meetings(user, federation, today)),
        minutes=tuple(adjusted_minutes(user, federation)),
    )


# --- Kolada -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KoladaRow:
    label: str
    municipality_id: str
    value: Decimal | None


@dataclass(frozen=True)
class KoladaTable:
    kpi: str
    title: str  # Kolada's name of the key figure
    year: int
    rows: tuple[KoladaRow, ...]
    fetched_at: object  # datetime of the oldest row, the figures' age


def kolada_figures(user, federation: Federation):
    return scope(user, KoladaFigure.objects.filter(federation=federation), member=None, department=None)


def kolada_tables(user, federation: Federation) -> list[KoladaTable]:
    """One table per key figure and year, a row per member municipality (named)."""
    names = dict(Member.objects.filter(federation=federation).values_list("kommunkod", "name"))
    groups: dict[tuple[str, int], list[KoladaFigure]] = {}
    for figure in kolada_figures(user, federation).order_by("kpi", "-year", "municipality_id"):
        groups.setdefault((figure.kpi, figure.year), []).append(figure)
    tables = []
    for (kpi, year), figures in groups.items():
        rows = tuple(
            KoladaRow(names.get(f.municipality_id, f.municipality_id), f.municipality_id, f.value) for f in figures
        )
        title = next((f.kpi_title for f in figures if f.kpi_title), "")
        tables.append(KoladaTable(kpi, title, year, rows, min(f.fetched_at for f in figures)))
    return tables
