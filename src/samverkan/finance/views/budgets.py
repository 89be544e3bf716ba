"""Pages of finance: budgets (versions, XLSX template), forecasts, investment projects and
appropriations, the account mapping and the finance settings."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import job_uploads
from samverkan.core.forms import add_error_messages, add_service_errors, form_page
from samverkan.core.params import year_or
from samverkan.core.permissions import capability_required, has_capability, require
from samverkan.domain.ledger_lines import MAPPING_LINES, MappingRange, Statement, resolve
from samverkan.finance.exporters import budget_xlsx as budget_export
from samverkan.finance.forms import (
    FOLLOWUPS,
    AppropriationForm,
    BudgetCopyForm,
    BudgetImportForm,
    ForecastForm,
    ForecastImportForm,
    MappingRangeForm,
    ProjectForm,
    SettingsForm,
)
from samverkan.finance.lines import OPERATING_LABELS, STATEMENT_LABELS, line_label
from samverkan.finance.models import Account
from samverkan.finance.policies import EDIT_BUDGET, EDIT_MAPPING, VIEW_LEDGER, VIEW_REPORTS
from samverkan.finance.selectors import budgets as selectors
from samverkan.finance.selectors import mapping as mapping_selectors
from samverkan.finance.services import budgets as services
from samverkan.finance.services import mapping as mapping_services
from samverkan.finance.tasks import BUDGET_KIND, FORECAST_KIND, start_budget, start_forecast

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUBNAV = "finance/budget_subnav.html"


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _this_year() -> int:
    return timezone.localdate().year


# ---- budgets --------------------------------------------------------------------------------


@capability_required(VIEW_REPORTS)
def budget_list(request):
    return render(
        request,
        "finance/budget_list.html",
        {
            "title": _("Budgetar"),
            "budgets": selectors.budgets(request.user),
            "may_edit": has_capability(request.user, EDIT_BUDGET),
        },
    )


def _report_rows(budget) -> tuple[list[dict], list[Decimal]]:
    """The budget's rows with the report's sign (income positive) and the column totals."""
    names = mapping_selectors.account_names(budget.federation)
    rows = []
    totals = [Decimal(0)] * 13
    for row in selectors.budget_rows(budget):
        months = [-m for m in row.months]
        year_total = sum(months, Decimal(0))
        rows.append(
            {
                "activity": row.activity,
                "account": row.account,
                "name": names.get(row.account, ""),
                "year": year_total,
                "months": months,
            }
        )
        totals = [t + v for t, v in zip(totals, [year_total, *months], strict=True)]
    return rows, totals


@capability_required(VIEW_REPORTS)
def budget_detail(request, pk: int):
    budget = selectors.budget_get(request.user, pk)
    rows, totals = _report_rows(budget)
    names = selectors.activities(budget.federation)
    groups: dict[str, dict] = {}
    for row in rows:  # sorted by activity: one group (with its subtotal) per activity
        group = groups.setdefault(
            row["activity"],
            {
                "activity": row["activity"],
                "name": names.get(row["activity"], ""),
                "rows": [],
                "totals": [Decimal(0)] * 13,
            },
        )
        group["rows"].append(row)
        group["totals"] = [t + v for t, v in zip(group["totals"], [row["year"], *row["months"]], strict=True)]
    return render(
        request,
        "finance/budget_detail.html",
        {
            "title": _("Budget: %(name)s %(year)s") % {"name": budget.name, "year": budget.year},
            "budget": budget,
            "groups": list(groups.values()),
            "has_rows": bool(rows),
            "totals": totals,
            "month_names": [
                _("jan"),
                _("feb"),
                _("mar"),
                _("apr"),
                _("maj"),
                _("jun"),
                _("jul"),
                _("aug"),
                _("sep"),
                _("okt"),
                _("nov"),
                _("dec"),
            ],
            "may_edit": has_capability(request.user, EDIT_BUDGET, obj=budget),
        },
    )


@capability_required(VIEW_REPORTS)
def budget_export_xlsx(request, pk: int):
    budget = selectors.budget_get(request.user, pk)
    rows, _totals = _report_rows(budget)
    data = budget_export.render(
        rows=[budget_export.TemplateRow(r["activity"], r["account"], r["name"], r["months"]) for r in rows],
        forecasts=_forecast_template_rows(budget.federation, budget.year, None),
        title=f"{budget.name} {budget.year}",
    )
    return _xlsx(data, f"budget-{budget.year}-{slugify(budget.name) or budget.pk}.xlsx")


def _forecast_template_rows(federation, year: int, as_of_month: int | None):
    activities = selectors.activities(federation)
    existing = {}
    if as_of_month:
        existing = {(f.activity, f.line): f for f in selectors.forecasts_for(federation, year, as_of_month)}
    rows = []
    for code, name in activities.items():
        current = existing.pop((code, ""), None)
        rows.append(
            budget_export.ForecastTemplateRow(
                code, name, "", current.amount if current else None, current.comment if current else ""
            )
        )
    for (code, line), forecast in sorted(existing.items()):
        rows.append(
            budget_export.ForecastTemplateRow(
                code, activities.get(code, ""), str(OPERATING_LABELS.get(line, line)), forecast.amount, forecast.comment
            )
        )
    return rows


@capability_required(EDIT_BUDGET)
def budget_template(request):
    federation = request.user.federation
    if federation is None:
        raise Http404
    ranges = mapping_selectors.mapping_ranges(federation)
    accounts = list(Account.objects.filter(federation=federation).values_list("number", "name"))
    mapped, _unmapped = resolve(ranges, [number for number, _name in accounts])
    income_accounts = [
        (number, name)
        for number, name in accounts
        if number in mapped and MAPPING_LINES[mapped[number]].statement == Statement.INCOME
    ]
    year = year_or(request.GET.get("ar"), _this_year())
    data = budget_export.render(
        rows=budget_export.empty_rows(selectors.activities(federation), income_accounts),
        forecasts=_forecast_template_rows(federation, year, None),
        title=_("Budgetmall %(year)s") % {"year": year},
    )
    return _xlsx(data, f"budgetmall-{year}.xlsx")


@capability_required(EDIT_BUDGET)
def budget_import(request):
    """Upload the template: a background job imports it; this page follows it (``?jobb=<id>``)."""
    form = BudgetImportForm(request.POST or None, request.FILES or None, initial={"year": _this_year() + 1})
    if request.method == "POST" and form.is_valid():
        here = reverse("finance:budget-import")
        data = form.cleaned_data
        job = start_budget(
            acting_user=request.user,
            upload=data["file"],
            year=data["year"],
            name=data["name"],
            kind=data["kind"],
            origin_url=here,
        )
        return redirect(f"{here}?{job_uploads.QUERY}={job.pk}")
    return form_page(
        request,
        form,
        _("Importera budget"),
        intro=_("Fyll i budgetmallen (XLSX): belopp i kronor med intäkter positiva och kostnader negativa."),
        multipart=True,
        cancel_url=reverse("finance:budget-list"),
        subnav=SUBNAV,
        job=job_uploads.shown(request, BUDGET_KIND),
    )


@capability_required(EDIT_BUDGET)
def budget_copy(request, pk: int):
    budget = selectors.budget_get(request.user, pk)
    form = BudgetCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.budget_copy(acting_user=request.user, budget=budget, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Budgeten är kopierad."))
            return redirect("finance:budget-detail", pk=copy.pk)
    return form_page(
        request,
        form,
        _("Kopiera %(name)s %(year)s") % {"name": budget.name, "year": budget.year},
        cancel_url=reverse("finance:budget-detail", args=[budget.pk]),
        subnav=SUBNAV,
    )


@capability_required(EDIT_BUDGET)
@require_POST
def budget_delete(request, pk: int):
    budget = selectors.budget_get(request.user, pk)
    services.budget_delete(acting_user=request.user, budget=budget)
    messages.success(request, _("Budgeten är borttagen."))
    return redirect("finance:budget-list")


# ---- forecasts ------------------------------------------------------------------------------


def _followup(value: str | None) -> int:
    return int(value) if value in ("4", "8", "12") else 4


@capability_required(VIEW_REPORTS)
def forecast_list(request):
    federation = request.user.federation
    if federation is None:
        raise Http404
    year = year_or(request.GET.get("ar"), _this_year())
    month = _followup(request.GET.get("uppfoljning"))
    found = list(selectors.forecasts_for(federation, year, month))
    activities = selectors.activities(federation)
    may_edit = has_capability(request.user, EDIT_BUDGET)
    form = None
    if may_edit:
        form = ForecastForm(
            request.POST or None,
            activities=activities,
            existing={f.activity: f for f in found if not f.line},
        )
    if request.method == "POST":
        require(request.user, EDIT_BUDGET)
        if form is not None and form.is_valid():
            try:
                for code, amount, comment in form.values():
                    services.forecast_set(
                        acting_user=request.user,
                        federation=federation,
                        year=year,
                        as_of_month=month,
                        activity=code,
                        line="",
                        amount=amount,
                        comment=comment,
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Prognoserna är sparade."))
                return redirect(f"{reverse('finance:forecast-list')}?ar={year}&uppfoljning={month}")
    rows = [
        {
            "activity": f.activity,
            "name": activities.get(f.activity, ""),
            "line": str(OPERATING_LABELS.get(f.line, _("Verksamhetens resultat")))
            if f.line
            else _("Verksamhetens resultat"),
            "amount": f.amount,
            "comment": f.comment,
            "updated_at": f.updated_at,
        }
        for f in found
    ]
    return render(
        request,
        "finance/forecast_list.html",
        {
            "title": _("Prognoser"),
            "subnav": SUBNAV,
            "year": year,
            "month": month,
            "followup_label": dict(FOLLOWUPS)[month],
            "followups": FOLLOWUPS,
            "rows": rows,
            "form": form,
            "may_edit": may_edit,
            "has_activities": bool(activities),
        },
    )


@capability_required(EDIT_BUDGET)
def forecast_import(request):
    """Upload the sheet: a background job imports it; this page follows it (``?jobb=<id>``)."""
    form = ForecastImportForm(request.POST or None, request.FILES or None, initial={"year": _this_year()})
    if request.method == "POST" and form.is_valid():
        here = reverse("finance:forecast-import")
        data = form.cleaned_data
        job = start_forecast(
            acting_user=request.user,
            upload=data["file"],
            year=data["year"],
            as_of_month=data["as_of_month"],
            origin_url=here,
        )
        return redirect(f"{here}?{job_uploads.QUERY}={job.pk}")
    return form_page(
        request,
        form,
        _("Importera prognoser"),
        intro=_("Bladet Prognos i budgetmallen: verksamhet, rad, prognos för helåret och kommentar."),
        multipart=True,
        cancel_url=reverse("finance:forecast-list"),
        subnav=SUBNAV,
        job=job_uploads.shown(request, FORECAST_KIND),
    )


# ---- investment projects and appropriations --------------------------------------------------


@capability_required(VIEW_REPORTS)
def project_list(request):
    year = year_or(request.GET.get("ar"), _this_year())
    projects = list(selectors.projects(request.user).order_by("code"))
    federation = request.user.federation
    by_project = {a.project_id: a for a in selectors.appropriations_for(federation, year)} if federation else {}
    rows = []
    for project in projects:
        appropriation = by_project.get(project.pk)
        total = (
            appropriation.budget + appropriation.extra_granted + appropriation.carried_over if appropriation else None
        )
        rows.append({"project": project, "appropriation": appropriation, "total": total})
    return render(
        request,
        "finance/projects_list.html",
        {
            "title": _("Investeringsprojekt och anslag"),
            "subnav": SUBNAV,
            "year": year,
            "rows": rows,
            "may_edit": has_capability(request.user, EDIT_BUDGET),
        },
    )


@capability_required(EDIT_BUDGET)
def project_create(request):
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_create(acting_user=request.user, federation=request.user.federation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Projektet är skapat."))
            return redirect("finance:project-list")
    return form_page(
        request, form, _("Nytt investeringsprojekt"), cancel_url=reverse("finance:project-list"), subnav=SUBNAV
    )


@capability_required(EDIT_BUDGET)
def project_edit(request, pk: int):
    project = get_object_or_404(selectors.projects(request.user), pk=pk)
    form = ProjectForm(request.POST or None, instance=get_object_or_404(selectors.projects(request.user), pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(acting_user=request.user, project=project, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("finance:project-list")
    return form_page(
        request,
        form,
        _("Ändra %(project)s") % {"project": project},
        cancel_url=reverse("finance:project-list"),
        subnav=SUBNAV,
    )


@capability_required(EDIT_BUDGET)
@require_POST
def project_delete(request, pk: int):
    project = get_object_or_404(selectors.projects(request.user), pk=pk)
    try:
        services.project_delete(acting_user=request.user, project=project)
    except ValidationError as exc:
        add_error_messages(request, exc)
    else:
        messages.success(request, _("Projektet är borttaget."))
    return redirect("finance:project-list")


@capability_required(EDIT_BUDGET)
def appropriation_edit(request, pk: int):
    project = get_object_or_404(selectors.projects(request.user), pk=pk)
    year = year_or(request.GET.get("ar"), _this_year())
    current = project.appropriations.filter(year=year).first()
    initial = {"year": year}
    if current:
        initial.update(
            budget=current.budget,
            extra_granted=current.extra_granted,
            carried_over=current.carried_over,
            forecast=current.forecast,
            comment=current.comment,
        )
    form = AppropriationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.appropriation_set(acting_user=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Anslaget är sparat."))
            return redirect(f"{reverse('finance:project-list')}?ar={form.cleaned_data['year']}")
    return form_page(
        request,
        form,
        _("Anslag för %(project)s") % {"project": project},
        cancel_url=reverse("finance:project-list"),
        subnav=SUBNAV,
    )


# ---- account mapping ------------------------------------------------------------------------


@capability_required(VIEW_LEDGER)
def mapping(request):
    federation = request.user.federation
    if federation is None:
        raise Http404
    own = list(mapping_selectors.mapping_rows(request.user, federation).order_by("first", "last"))
    ranges = mapping_selectors.mapping_ranges(federation)
    year, balances = mapping_selectors.account_balances(federation)
    names = mapping_selectors.account_names(federation)
    mapped, unmapped = resolve(ranges, [*names, *balances])
    accounts = [
        {
            "number": number,
            "name": names.get(number, ""),
            "line": line_label(mapped[number]) if number in mapped else "",
            "balance": balances.get(number),
            "problem": number not in mapped and bool(balances.get(number)),
        }
        for number in sorted({*names, *balances}, key=lambda n: (len(n), n))
    ]
    range_rows = [
        {
            "pk": row.pk if own else None,
            "first": row.first,
            "last": row.last,
            "line": line_label(row.line),
            "statement": STATEMENT_LABELS.get(MAPPING_LINES[row.line].statement.value, "")
            if row.line in MAPPING_LINES
            else "",
        }
        for row in (own or ranges)
    ]
    return render(
        request,
        "finance/mapping.html",
        {
            "title": _("Kontomappning"),
            "subnav": SUBNAV,
            "own": bool(own),
            "ranges": range_rows,
            "accounts": accounts,
            "unmapped_with_balance": [a for a in accounts if a["problem"]],
            "unmapped": unmapped,
            "year": year,
            "may_edit": has_capability(request.user, EDIT_MAPPING),
        },
    )


def _current_ranges(federation) -> list[MappingRange]:
    return list(mapping_selectors.mapping_ranges(federation))


def _mapping_form(request, *, replace: tuple[str, str] | None, initial: dict, title: str):
    federation = request.user.federation
    if federation is None:
        raise Http404
    form = MappingRangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ranges = [r for r in _current_ranges(federation) if replace is None or (r.first, r.last) != replace]
        ranges.append(MappingRange(data["first"].strip(), data["last"].strip(), data["line"]))
        try:
            mapping_services.mapping_set(acting_user=request.user, federation=federation, ranges=ranges)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kontomappningen är sparad."))
            return redirect("finance:mapping")
    return form_page(request, form, title, cancel_url=reverse("finance:mapping"), subnav=SUBNAV)


@capability_required(EDIT_MAPPING)
def mapping_add(request):
    return _mapping_form(request, replace=None, initial={}, title=_("Nytt kontointervall"))


@capability_required(EDIT_MAPPING)
def mapping_edit(request, pk: int):
    row = get_object_or_404(mapping_selectors.mapping_rows(request.user), pk=pk)
    return _mapping_form(
        request,
        replace=(row.first, row.last),
        initial={"first": row.first, "last": row.last, "line": row.line},
        title=_("Ändra kontointervall %(first)s–%(last)s") % {"first": row.first, "last": row.last},
    )


@capability_required(EDIT_MAPPING)
@require_POST
def mapping_delete(request, pk: int):
    row = get_object_or_404(mapping_selectors.mapping_rows(request.user), pk=pk)
    ranges = [r for r in _current_ranges(row.federation) if (r.first, r.last) != (row.first, row.last)]
    try:
        mapping_services.mapping_set(acting_user=request.user, federation=row.federation, ranges=ranges)
    except ValidationError as exc:
        add_error_messages(request, exc)
    else:
        messages.success(request, _("Kontointervallet är borttaget."))
    return redirect("finance:mapping")


@capability_required(EDIT_MAPPING)
@require_POST
def mapping_install_default(request):
    federation = request.user.federation
    if federation is None:
        raise Http404
    mapping_services.install_default_mapping(acting_user=request.user, federation=federation)
    messages.success(request, _("Standardmappningen för Kommun-Bas är installerad."))
    return redirect("finance:mapping")


# ---- settings -------------------------------------------------------------------------------


@capability_required(EDIT_MAPPING)
def settings_edit(request):
    federation = request.user.federation
    if federation is None:
        raise Http404
    form = SettingsForm(request.POST or None, instance=mapping_selectors.finance_settings(federation))
    if request.method == "POST" and form.is_valid():
        try:
            mapping_services.settings_update(acting_user=request.user, federation=federation, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Inställningarna är sparade."))
            return redirect("finance:settings")
    return form_page(request, form, _("Ekonomiinställningar"), subnav=SUBNAV)


urlpatterns = [
    path("budgetar/", budget_list, name="budget-list"),
    path("budgetar/importera/", budget_import, name="budget-import"),
    path("budgetar/mall/", budget_template, name="budget-template"),
    path("budgetar/<int:pk>/", budget_detail, name="budget-detail"),
    path("budgetar/<int:pk>/xlsx/", budget_export_xlsx, name="budget-export"),
    path("budgetar/<int:pk>/kopiera/", budget_copy, name="budget-copy"),
    path("budgetar/<int:pk>/ta-bort/", budget_delete, name="budget-delete"),
    path("prognoser/", forecast_list, name="forecast-list"),
    path("prognoser/importera/", forecast_import, name="forecast-import"),
    path("investeringsprojekt/", project_list, name="project-list"),
    path("investeringsprojekt/nytt/", project_create, name="project-create"),
    path("investeringsprojekt/<int:pk>/", project_edit, name="project-edit"),
    path("investeringsprojekt/<int:pk>/ta-bort/", project_delete, name="project-delete"),
    path("investeringsprojekt/<int:pk>/anslag/", appropriation_edit, name="appropriation-edit"),
    path("kontomappning/", mapping, name="mapping"),
    path("kontomappning/nytt/", mapping_add, name="mapping-add"),
    path("kontomappning/standard/", mapping_install_default, name="mapping-install-default"),
    path("kontomappning/<int:pk>/", mapping_edit, name="mapping-edit"),
    path("kontomappning/<int:pk>/ta-bort/", mapping_delete, name="mapping-delete"),
    path("installningar/", settings_edit, name="settings"),
]
