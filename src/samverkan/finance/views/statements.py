"""Pages of finance: the annual report's statements, each with a year selector and XLSX/PDF.

Member contacts hold the capability to read *published* statements; until the federation
publishes them the page tells them so instead of showing figures (the use case refuses)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core.permissions import capability_required
from samverkan.domain.errors import DomainError
from samverkan.finance.exporters import report_pdf, report_xlsx
from samverkan.finance.policies import VIEW_PUBLISHED_STATEMENTS, may_view_statements
from samverkan.finance.selectors.mapping import finance_settings
from samverkan.finance.selectors.statements import statement_years
from samverkan.finance.usecases import statements as usecases

# (URL name, path, title, what to compute, file name)
PAGES = (
    ("income", "resultatrakning/", gettext_lazy("Resultaträkning"), "income", "resultatrakning"),
    ("balance", "balansrakning/", gettext_lazy("Balansräkning"), "balance", "balansrakning"),
    ("cashflow", "kassaflode/", gettext_lazy("Kassaflödesanalys"), "cashflow", "kassaflodesanalys"),
    (
        "balance_requirement",
        "balanskrav/",
        gettext_lazy("Balanskravsresultat"),
        "balance-requirement",
        "balanskravsresultat",
    ),
    ("financial_goal", "finansiellt-mal/", gettext_lazy("Finansiellt mål"), "financial-goal", "finansiellt-mal"),
    ("notes", "noter/", gettext_lazy("Noter"), "notes", "noter"),
)


def tables_for(*, user, federation, kind: str, year) -> list:
    """The ReportTables of one page (the notes have several)."""
    if kind == "financial-goal":
        return [usecases.financial_goal_report(user=user, federation=federation, year=year).table]
    if kind == "notes":
        return list(usecases.notes_report(user=user, federation=federation, year=year).tables)
    return [usecases.statement_report(user=user, federation=federation, kind=kind, year=year).table]


def _page(name: str, title, kind: str, filename: str):
    @capability_required(VIEW_PUBLISHED_STATEMENTS)
    def view(request):
        federation = request.user.federation
        if federation is None:
            raise Http404
        published = finance_settings(federation).publish_statements
        allowed = may_view_statements(request.user, federation, published=published)
        years = statement_years(federation) if allowed else []
        raw = request.GET.get("ar") or (str(years[0]) if years else "")
        context = {
            "title": str(title),
            "subnav": [
                {"url": reverse(f"finance:{other}"), "label": label, "current": other == name}
                for other, _path, label, _kind, _file in PAGES
            ],
            "years": years,
            "year": int(raw) if raw.isascii() and raw.isdigit() else raw,
            "tables": [],
            "error": "",
        }
        if not allowed:  # a member contact before publication (others were refused above)
            context["error"] = _("Årsredovisningens rapporter är inte publicerade för medlemmarna ännu.")
            return render(request, "finance/statement.html", context)
        if not raw:
            context["error"] = _("Ingen huvudbok är importerad ännu.")
            return render(request, "finance/statement.html", context)
        try:
            tables = tables_for(user=request.user, federation=federation, kind=kind, year=raw)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            return render(request, "finance/statement.html", context)
        except DomainError as exc:
            context["error"] = str(exc)
            return render(request, "finance/statement.html", context)
        wanted = request.GET.get("format", "")
        if wanted == "xlsx":
            response = HttpResponse(
                report_xlsx.render(tables),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}-{int(raw)}.xlsx"'
            response["Content-Security-Policy"] = "default-src 'none'; sandbox"
            return response
        if wanted == "pdf":
            response = HttpResponse(report_pdf.render(tables), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{filename}-{int(raw)}.pdf"'
            response["Content-Security-Policy"] = "default-src 'none'; sandbox"
            return response
        context["tables"] = tables
        return render(request, "finance/statement.html", context)

    view.__name__ = f"{name}_page"
    return view


urlpatterns = [
    path(route, _page(name, title, kind, filename), name=name) for name, route, title, kind, filename in PAGES
]
