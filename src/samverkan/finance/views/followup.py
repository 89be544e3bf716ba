"""Pages of the follow-up (driftuppföljning), the operating statement (driftredovisning) and the
investment report: a period selector, the chart, the table and XLSX/PDF downloads."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core import charts
from samverkan.core.forms import add_service_errors
from samverkan.core.params import year_or
from samverkan.core.permissions import capability_required
from samverkan.domain.errors import DomainError
from samverkan.domain.report_table import printed
from samverkan.finance.exporters import report_pdf, report_xlsx
from samverkan.finance.policies import VIEW_REPORTS
from samverkan.finance.selectors import followup as selectors
from samverkan.finance.selectors import ledger as ledger_selectors
from samverkan.finance.usecases.followup import followup_report
from samverkan.members.selectors import federation_for

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FILE_NAMES = {"operating": "driftredovisning", "followup": "driftuppfoljning", "investments": "investeringar"}
PAGE_TITLES = {
    "operating": gettext_lazy("Driftredovisning"),
    "followup": gettext_lazy("Driftuppföljning"),
    "investments": gettext_lazy("Investeringsredovisning"),
}
MONTH_NAMES = (
    gettext_lazy("januari"),
    gettext_lazy("februari"),
    gettext_lazy("mars"),
    gettext_lazy("april"),
    gettext_lazy("maj"),
    gettext_lazy("juni"),
    gettext_lazy("juli"),
    gettext_lazy("augusti"),
    gettext_lazy("september"),
    gettext_lazy("oktober"),
    gettext_lazy("november"),
    gettext_lazy("december"),
)
RANGE = re.compile(r"^\d{4}-(\d{1,2})(?:\.\.\d{4}-(\d{1,2}))?$")
CHART_DESCRIPTIONS = {
    "operating": gettext_lazy("Budget och utfall per verksamhet; samma belopp finns i tabellen."),
    "followup": gettext_lazy(
        "Budget och utfall för perioden och prognos för helåret per verksamhet; samma belopp finns i tabellen."
    ),
    "investments": gettext_lazy("Anslag, utfall och prognos per projekt; samma belopp finns i tabellen."),
}
PERIOD_CHOICES = [
    ("T1", gettext_lazy("Januari–april (T1)")),
    ("T2", gettext_lazy("Januari–augusti (T2)")),
    ("Y", gettext_lazy("Helår")),
    ("range", gettext_lazy("Egna månader")),
]


class PeriodForm(forms.Form):
    """The period selector: year, T1/T2/the year or a month range, optionally a budget version."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIOD_CHOICES, required=False)
    budget = forms.ChoiceField(label=gettext_lazy("Budgetversion"), required=False)

    def __init__(self, *args, years: list[int], budgets: list[str], with_budget: bool, **kwargs):
        super().__init__(*args, **kwargs)
        months = [("", "–"), *enumerate(MONTH_NAMES, start=1)]
        self.fields["ar"] = forms.TypedChoiceField(label=_("År"), coerce=int, choices=[(y, str(y)) for y in years])
        for name, label in (("fran", _("Från månad")), ("till", _("Till och med månad"))):
            self.fields[name] = forms.TypedChoiceField(
                label=label, coerce=int, required=False, empty_value=None, choices=months
            )
        self.fields["budget"].choices = [("", _("Gällande budget"))] + [(b, b) for b in budgets]
        if not with_budget:
            del self.fields["budget"]
        self.order_fields(["ar", "period", "fran", "till", "budget"])

    def period_code(self) -> str:
        data = self.cleaned_data
        if data.get("period") == "range":
            first, last = data.get("fran") or 1, data.get("till") or 12
            return f"{data['ar']}-{first:02d}..{data['ar']}-{last:02d}"
        return data.get("period") or "Y"


def _years(user, federation) -> list[int]:
    years = sorted({fy.year for fy in ledger_selectors.fiscal_years(user).filter(federation=federation)}, reverse=True)
    return years or [date.today().year]


def _page(request, kind: str):
    federation = federation_for(request.user, request.GET.get("forbund"), guess=True)
    years = _years(request.user, federation)
    query = request.GET.copy()
    query.setdefault("ar", str(years[0]))
    if not query.get("period"):
        query["period"] = "Y"  # shown as chosen: the report of the whole year
    written = RANGE.match(query.get("period", "").strip())
    if written:  # ?period=2023-02..2023-03, as the API and the CLI write it
        first, last = int(written[1]), int(written[2] or written[1])
        query["period"], query["fran"], query["till"] = "range", str(first), str(last)
    year_guess = year_or(query["ar"], years[0])
    budget_names = selectors.budget_names(federation, year_guess)
    form = PeriodForm(query, years=years, budgets=budget_names, with_budget=kind != "investments")
    report = chart = None
    if form.is_valid():
        try:
            report = followup_report(
                user=request.user,
                federation=federation,
                kind=kind,
                year=form.cleaned_data["ar"],
                period=form.period_code(),
                budget=form.cleaned_data.get("budget") or None,
            )
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
    if report is not None:
        download = request.GET.get("format")
        if download in CONTENT_TYPES:
            return _download(report, kind, download)
        labels, series = report.chart()
        if labels:
            unit = report.table.unit
            chart = charts.bar_chart(
                labels,
                [charts.Series(name, values) for name, values in series],
                title=str(PAGE_TITLES[kind]),
                desc=str(CHART_DESCRIPTIONS[kind]),
                fmt=lambda v: f"{charts.number(printed(Decimal(v), unit))} {unit.value}",
                tick_fmt=lambda v: charts.number(printed(Decimal(v), unit)),
                width=720,
                height=300,
            )
    return render(
        request,
        "finance/followup.html",
        {
            "title": PAGE_TITLES[kind],
            "kind": kind,
            "form": form,
            "report": report,
            "table": report.table if report else None,
            "chart": chart,
            "federation": federation,
            "query": request.GET.urlencode(),
        },
    )


def _download(report, kind: str, fmt: str) -> HttpResponse:
    body = (report_xlsx if fmt == "xlsx" else report_pdf).render(report.table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"{FILE_NAMES[kind]}-{report.period.code.replace('..', '_')}-{report.year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@capability_required(VIEW_REPORTS)
def followup(request):
    return _page(request, "followup")


@capability_required(VIEW_REPORTS)
def operating(request):
    return _page(request, "operating")


@capability_required(VIEW_REPORTS)
def investments(request):
    return _page(request, "investments")


urlpatterns = [
    path("uppfoljning/", followup, name="followup"),
    path("driftredovisning/", operating, name="operating"),
    path("investeringar/", investments, name="investments"),
]
