"""The annual report assembled as one document: the narrative sections with their fields filled,
the organisation (governance), goal fulfilment, staff, the financial section (finance) and the
board's signatures. Figures for the text come from the same finance reports as the tables, so
the two cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from samverkan.core.permissions import has_capability, scope
from samverkan.domain import narrative
from samverkan.domain.errors import DomainError
from samverkan.domain.report_table import ReportTable
from samverkan.finance.policies import may_view_statements
from samverkan.finance.usecases import followup as finance_followup
from samverkan.finance.usecases import statements as finance_statements
from samverkan.governance.models import Body, BodyKind
from samverkan.governance.selectors.bodies import body_seats
from samverkan.performance.models import AnnualReport, NarrativeSection
from samverkan.performance.policies import VIEW_PERFORMANCE, VIEW_PUBLISHED, may_view_annual_report
from samverkan.performance.selectors import goals as goal_selectors
from samverkan.performance.selectors import staff as staff_selectors
from samverkan.performance.selectors import survey as survey_selectors

THOUSAND = Decimal(1000)

# Fields a text may use; `figures` fills every one it has data for.
MONEY_FIELDS = {
    "result": ("income", "result", False),
    "previous_result": ("income", "result", True),
    "operating_income": ("income", "operating_income", False),
    "operating_expenses": ("income", "operating_expenses", False),
    "net_operating_cost": ("income", "net_operating_cost", False),
    "member_fees": ("income", "member_fees", False),
    "total_assets": ("balance", "total_assets", False),
    "total_equity": ("balance", "total_equity", False),
    "cash_end": ("cashflow", "cash_end", False),
}
OTHER_FIELDS = (
    "turnover",
    "previous_turnover",
    "surplus_ratio",
    "previous_surplus_ratio",
    "target_ratio",
    "goals_total",
    "goals_met",
    "goals_partly",
    "goals_not_met",
    "goals_not_assessable",
    "fte_total",
)
FIELD_NAMES = tuple(MONEY_FIELDS) + OTHER_FIELDS

# Generated parts follow the narrative section with this key (seed 002's order).
BLOCKS_AFTER = {
    "governance": ("organisation", "goals"),
    "staff": ("staff",),
    "financial_analysis": ("financial_goal", "balance_requirement", "followup", "statements", "notes"),
}


# --- reading the report --------------------------------------------------------------------


def _visible(user) -> Any:
    """Reports of the user's federation: every one for readers of performance; for member
    contacts (whose scope has no member on a federation's row) the federation's own, so
    `report_get` can refuse an unpublished one with 403 rather than hide it."""
    reports = AnnualReport.objects.select_related("federation")
    if has_capability(user, VIEW_PERFORMANCE):
        return scope(user, reports, federation="federation", member=None, department=None)
    if has_capability(user, VIEW_PUBLISHED) and user.federation_id is not None:
        return reports.filter(federation_id=user.federation_id)
    return reports.none()


def reports_for(user) -> Any:
    """The annual reports `user` may open: all of their federation's for readers of
    performance, the published ones for member contacts."""
    reports = _visible(user)
    if not has_capability(user, VIEW_PERFORMANCE):
        reports = reports.filter(published=True)
    return reports.order_by("-year")


def report_get(user, pk: int) -> AnnualReport:
    """One report: 404 outside the user's federation, 403 for a role that may not see it."""
    report = get_object_or_404(_visible(user), pk=pk)
    if not may_view_annual_report(user, report.federation, published=report.published):
        raise PermissionDenied(_("Årsredovisningen är inte publicerad."))
    return report


def section_get(user, report: AnnualReport, pk: int) -> NarrativeSection:
    return get_object_or_404(report.sections.all(), pk=pk)


# --- the document ----------------------------------------------------------------------------


@dataclass
class Part:
    """One entry of the document: a narrative section (text filled) or a generated block."""

    key: str
    title: str
    kind: str  # "text" or the block's name
    paragraphs: list[str] = field(default_factory=list)
    error: str = ""
    section: NarrativeSection | None = None
    tables: list[ReportTable] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)
    summary: str = ""
    staff: dict[str, Any] = field(default_factory=dict)  # `staff_report`'s tables
    nmi: list[dict[str, Any]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"avsnitt-{self.key}".replace("_", "-")


@dataclass
class Document:
    report: AnnualReport
    title: str
    parts: list[Part]
    figures: dict[str, narrative.Figure]
    signatures: list[Any]
    warnings: list[str]


def _money(amount: Decimal | None) -> narrative.Figure | None:
    return None if amount is None else narrative.Figure(amount, "kr", step=THOUSAND)


def _finance(call, warnings: list[str], **kwargs):
    """A finance report, or None with the reason among the warnings (no ledger, not allowed)."""
    try:
        return call(**kwargs)
    except (PermissionDenied, DomainError, ValidationError) as error:
        message = getattr(error, "messages", None) or [str(error)]
        text = " ".join(str(m) for m in message)
        if text not in warnings:
            warnings.append(text)
        return None


def performance_reader(user, report: AnnualReport):
    """Who reads goals and staff for the document. A published report publishes its goal table
    and staff tables with it, so a member contact reading it (allowed by `report_get`) sees them
    although they may not open the goal and staff pages; those parts are then read as the system
    actor. Readers of performance read as themselves."""
    if has_capability(user, VIEW_PERFORMANCE, federation=report.federation):
        return user
    from samverkan.core.actors import system_actor

    return system_actor()


@dataclass
class Data:
    """What the goal and staff parts and the narrative fields share, read once per document
    through the goals and staff selectors (the goals page and the staff page use the same)."""

    blocks: list[goal_selectors.AreaBlock]
    staff: dict[str, Any]
    nmi: list[dict[str, Any]]


def performance_data(user, report: AnnualReport) -> Data:
    reader = performance_reader(user, report)
    federation, year = report.federation, report.year
    return Data(
        blocks=goal_selectors.goal_table(reader, year=year, federation=federation),
        staff=staff_selectors.staff_report(reader, federation, year),
        nmi=survey_selectors.nmi(reader, federation, year),
    )


def _goal_part(blocks: list[goal_selectors.AreaBlock]) -> Part:
    """The goal table of the goals page (per area: goals, targets, results, assessment) and the
    summary line ("13 mål: 10 uppfyllda, 2 delvis, 1 kan inte bedömas")."""
    return Part(
        key="goals",
        title=_("Måluppfyllelse"),
        kind="goals",
        rows=blocks,
        summary=goal_selectors.summary_text(goal_selectors.summary(blocks)),
    )


def _staff_part(data: Data) -> Part:
    """Seed 002's staff tables (four years, small groups suppressed) and the staff survey's NMI."""
    return Part(key="staff_tables", title=_("Personalstatistik"), kind="staff", staff=data.staff, nmi=data.nmi)


def _organisation(federation, year: int) -> list[dict[str, Any]]:
    on = date(year, 12, 31)
    bodies = Body.objects.filter(federation=federation).order_by("kind", "name")
    return [{"body": body, "seats": list(body_seats(body, current_on=on))} for body in bodies]


def figures(
    user, report: AnnualReport, warnings: list[str] | None = None, data: Data | None = None
) -> dict[str, narrative.Figure]:
    """The year's figures for the narrative fields, from finance's statements, the goals and staff."""
    warnings = [] if warnings is None else warnings
    data = performance_data(user, report) if data is None else data
    federation, year = report.federation, report.year
    result: dict[str, narrative.Figure] = {}
    statements: dict[str, Any] = {}
    for kind in ("income", "balance", "cashflow"):
        statements[kind] = _finance(
            finance_statements.statement_report, warnings, user=user, federation=federation, kind=kind, year=year
        )
    for name, (kind, key, previous) in MONEY_FIELDS.items():
        statement = statements[kind]
        if statement is None:
            continue
        for line in statement.lines:
            if line.key == key:
                figure = _money(line.previous if previous else line.amount)
                if figure is not None:
                    result[name] = figure
                break
    goal = _finance(finance_statements.financial_goal_report, warnings, user=user, federation=federation, year=year)
    if goal is not None:
        result["turnover"] = narrative.Figure(goal.current.turnover, "kr", step=THOUSAND)
        result["target_ratio"] = narrative.Figure(goal.target_percent / 100, "%", 1)
        if goal.current.ratio is not None:
            result["surplus_ratio"] = narrative.Figure(goal.current.ratio, "%", 1)
        if goal.previous is not None:
            result["previous_turnover"] = narrative.Figure(goal.previous.turnover, "kr", step=THOUSAND)
            if goal.previous.ratio is not None:
                result["previous_surplus_ratio"] = narrative.Figure(goal.previous.ratio, "%", 1)
    counts = goal_selectors.summary(data.blocks)
    for name, count in (
        ("goals_total", counts.total),
        ("goals_met", counts.met),
        ("goals_partly", counts.partly),
        ("goals_not_met", counts.not_met),
        ("goals_not_assessable", counts.not_assessable),
    ):
        result[name] = narrative.Figure(Decimal(count), "")
    fte = data.staff["fte"]["total"][0]
    if fte is not None:
        result["fte_total"] = narrative.Figure(fte, "", 1)
    return result


def _text_part(section: NarrativeSection, values: dict[str, narrative.Figure]) -> Part:
    part = Part(key=section.key, title=section.title, kind="text", section=section)
    try:
        text = narrative.fill(section.text, values)
    except narrative.UnknownFieldError as error:
        # A field without data this year (e.g. no ledger): show the raw text and say why.
        part.error = _("Uppgift saknas för fälten %(fields)s.") % {
            "fields": ", ".join("{" + name + "}" for name in error.names)
        }
        text = section.text
    part.paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return part


def _block(name: str, user, report: AnnualReport, warnings: list[str], data: Data) -> Part | None:
    federation, year = report.federation, report.year
    if name == "organisation":
        return Part(key=name, title=_("Organisation"), kind=name, rows=_organisation(federation, year))
    if name == "goals":
        return _goal_part(data.blocks)
    if name == "staff":
        return _staff_part(data)
    if name == "financial_goal":
        goal = _finance(finance_statements.financial_goal_report, warnings, user=user, federation=federation, year=year)
        return Part(
            key=name,
            title=_("God ekonomisk hushållning och ekonomisk ställning"),
            kind="tables",
            tables=[goal.table] if goal else [],
        )
    if name == "balance_requirement":
        req = _finance(
            finance_statements.statement_report,
            warnings,
            user=user,
            federation=federation,
            kind="balance-requirement",
            year=year,
        )
        return Part(key=name, title=_("Balanskravsresultat"), kind="tables", tables=[req.table] if req else [])
    if name == "followup":
        tables = []
        for kind in ("operating", "investments"):
            followup = _finance(
                finance_followup.followup_report, warnings, user=user, federation=federation, kind=kind, year=year
            )
            if followup is not None and getattr(followup, "table", None) is not None:
                tables.append(followup.table)
        return Part(key=name, title=_("Driftredovisning och investeringsredovisning"), kind="tables", tables=tables)
    if name == "statements":
        tables = []
        for kind in ("income", "balance", "cashflow"):
            statement = _finance(
                finance_statements.statement_report, warnings, user=user, federation=federation, kind=kind, year=year
            )
            if statement is not None:
                tables.append(statement.table)
        return Part(key=name, title=_("Finansiella rapporter"), kind="tables", tables=tables)
    if name == "notes":
        notes = _finance(finance_statements.notes_report, warnings, user=user, federation=federation, year=year)
        return Part(key=name, title=_("Noter"), kind="tables", tables=list(notes.tables) if notes else [])
    return None


def signatures(report: AnnualReport) -> list[Any]:
    """The board's (direktionens) members on the day of adoption (or at year end): the people
    who sign the report."""
    on = report.adopted_on or date(report.year, 12, 31)
    seats = []
    for body in Body.objects.filter(federation=report.federation, kind=BodyKind.BOARD).order_by("name"):
        seats.extend(s for s in body_seats(body, current_on=on) if s.kind == "member")
    return seats


def finance_reader(user, report: AnnualReport):
    """Who reads finance's reports for the document. A published annual report publishes its
    statements with it, so a member contact reading it (allowed by `report_get`) sees them even
    when the federation has not published the statements on their own; finance is then read as
    the system actor. Everyone else reads as themselves, under finance's own policy."""
    if report.published and not may_view_statements(user, report.federation, published=False):
        from samverkan.core.actors import system_actor

        return system_actor()
    return user


def assemble(user, report: AnnualReport) -> Document:
    """The whole report in seed 002's order (the caller has checked `report_get`)."""
    warnings: list[str] = []
    reader = finance_reader(user, report)
    data = performance_data(user, report)
    values = figures(reader, report, warnings, data)
    parts: list[Part] = []
    for section in report.sections.order_by("position", "pk"):
        parts.append(_text_part(section, values))
        for name in BLOCKS_AFTER.get(section.key, ()):
            block = _block(name, reader, report, warnings, data)
            if block is not None:
                parts.append(block)
    title = _("Årsredovisning %(year)s") % {"year": report.year}
    return Document(
        report=report,
        title=f"{title} – {report.federation.name}",
        parts=parts,
        figures=values,
        signatures=signatures(report),
        warnings=warnings,
    )
