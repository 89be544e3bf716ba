"""Pages of the annual report: the list, the report as one web page with a table of contents,
its PDF, section editing, adoption and publication. Member contacts see a report only once it is
published (`may_view_annual_report`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samverkan.core.forms import add_error_messages, add_service_errors
from samverkan.core.permissions import capability_required
from samverkan.domain.errors import DomainError
from samverkan.performance.exporters import annual_pdf
from samverkan.performance.policies import EDIT_ANNUAL_REPORT, VIEW_PUBLISHED
from samverkan.performance.selectors import annual as selectors
from samverkan.performance.services import annual as services


class AnnualReportYearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("År"), min_value=1900, max_value=2200)


class AnnualSectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=200)
    text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=gettext_lazy(
            "Stycken skiljs med en tom rad. Siffror skrivs som fält, t.ex. {result} eller {surplus_ratio}, "
            "och hämtas ur räkenskaperna."
        ),
    )


class AnnualAdoptForm(forms.Form):
    adopted_on = forms.DateField(label=gettext_lazy("Fastställd den"), widget=forms.DateInput(attrs={"type": "date"}))


@capability_required(VIEW_PUBLISHED)
def annual_list(request):
    return render(
        request,
        "performance/annual_list.html",
        {"title": _("Årsredovisningar"), "reports": selectors.reports_for(request.user)},
    )


@capability_required(EDIT_ANNUAL_REPORT)
def annual_create(request):
    form = AnnualReportYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                acting_user=request.user, federation=request.user.federation, year=form.cleaned_data["year"]
            )
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            return redirect("performance:annual_detail", pk=report.pk)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("Ny årsredovisning"), "cancel_url": reverse("performance:annual_list")},
    )


@capability_required(VIEW_PUBLISHED)
def annual_detail(request, pk: int):
    report = selectors.report_get(request.user, pk)
    document = selectors.assemble(request.user, report)
    return render(
        request,
        "performance/annual_detail.html",
        {"title": document.title, "document": document, "report": report, "fields": selectors.FIELD_NAMES},
    )


@capability_required(VIEW_PUBLISHED)
def annual_pdf_download(request, pk: int):
    report = selectors.report_get(request.user, pk)
    pdf = annual_pdf.render(selectors.assemble(request.user, report))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="arsredovisning-{report.year}.pdf"'
    return response


@capability_required(EDIT_ANNUAL_REPORT)
def annual_section_edit(request, pk: int, section_pk: int):
    report = selectors.report_get(request.user, pk)
    section = selectors.section_get(request.user, report, section_pk)
    form = AnnualSectionForm(request.POST or None, initial={"title": section.title, "text": section.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(acting_user=request.user, section=section, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            return redirect(
                reverse("performance:annual_detail", args=[report.pk]) + f"#avsnitt-{section.key}".replace("_", "-")
            )
    fields = ", ".join("{" + name + "}" for name in selectors.FIELD_NAMES)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Ändra avsnitt: %(title)s") % {"title": section.title},
            "intro": _("Fält som kan användas: %(fields)s.") % {"fields": fields},
            "cancel_url": reverse("performance:annual_detail", args=[report.pk]),
        },
    )


@capability_required(EDIT_ANNUAL_REPORT)
def annual_adopt(request, pk: int):
    report = selectors.report_get(request.user, pk)
    form = AnnualAdoptForm(request.POST or None, initial={"adopted_on": report.adopted_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.adopt(acting_user=request.user, report=report, adopted_on=form.cleaned_data["adopted_on"])
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            return redirect("performance:annual_detail", pk=report.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Fastställ årsredovisning %(year)s") % {"year": report.year},
            "cancel_url": reverse("performance:annual_detail", args=[report.pk]),
        },
    )


@require_POST
@capability_required(EDIT_ANNUAL_REPORT)
def annual_publish(request, pk: int):
    report = selectors.report_get(request.user, pk)
    try:
        services.publish(acting_user=request.user, report=report, published=request.POST.get("published") != "0")
    except (ValidationError, DomainError) as exc:
        add_error_messages(request, exc)
    return redirect("performance:annual_detail", pk=report.pk)


urlpatterns = [
    path("arsredovisning/", annual_list, name="annual_list"),
    path("arsredovisning/ny/", annual_create, name="annual_create"),
    path("arsredovisning/<int:pk>/", annual_detail, name="annual_detail"),
    path("arsredovisning/<int:pk>/pdf/", annual_pdf_download, name="annual_pdf"),
    path("arsredovisning/<int:pk>/avsnitt/<int:section_pk>/", annual_section_edit, name="annual_section_edit"),
    path("arsredovisning/<int:pk>/faststall/", annual_adopt, name="annual_adopt"),
    path("arsredovisning/<int:pk>/publicera/", annual_publish, name="annual_publish"),
]
