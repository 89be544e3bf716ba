"""Pages of performance: the yearly customer survey (and the staff survey's NMI)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core.fields import NumberFormField, UploadField
from samverkan.core.forms import add_service_errors
from samverkan.core.params import year_or
from samverkan.core.permissions import capability_required, has_capability
from samverkan.domain.errors import DomainError
from samverkan.performance.policies import EDIT_GOALS, VIEW_PERFORMANCE
from samverkan.performance.selectors import survey as selectors
from samverkan.performance.services.staff import MAX_SURVEY_BYTES, survey_import, survey_result_set

QUESTIONS = [
    ("", gettext_lazy("NKI (sammanvägt)")),
    ("bemötande", gettext_lazy("Bemötande")),
    ("återkoppling", gettext_lazy("Återkoppling")),
    ("kompetens", gettext_lazy("Kompetens")),
]


class SurveyResultForm(forms.Form):
    area = forms.CharField(
        label=gettext_lazy("Tjänsteområde"),
        max_length=200,
        help_text=gettext_lazy("T.ex. Kundtjänst eller IT. NMI registreras under «Medarbetarundersökning (NMI)»."),
    )
    year = forms.IntegerField(label=gettext_lazy("År"), min_value=2000, max_value=2100)
    question = forms.CharField(
        label=gettext_lazy("Fråga"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Lämna tom för NKI; annars bemötande, återkoppling eller kompetens."),
    )
    value = NumberFormField(label=gettext_lazy("Värde"), max_digits=6, decimal_places=2, min_value=0)
    respondents = forms.IntegerField(
        label=gettext_lazy("Antal svarande"), min_value=0, max_value=1_000_000, required=False
    )


class SurveyImportForm(forms.Form):
    file = UploadField(
        label=gettext_lazy("CSV-fil"),
        help_text=gettext_lazy("Kolumner: område, år, fråga, värde, svarande (fråga tom = NKI)."),
        max_bytes=MAX_SURVEY_BYTES,
    )


@capability_required(VIEW_PERFORMANCE)
def survey_report(request):
    fed = request.user.federation_id
    latest = selectors.survey_results(request.user, fed).order_by("-year").values_list("year", flat=True).first()
    year = year_or(request.GET.get("ar"), latest or datetime.date.today().year - 1)
    return render(
        request,
        "performance/survey_report.html",
        {
            "title": _("Kundundersökning %(year)s") % {"year": year},
            "table": selectors.nki_table(request.user, fed, year),
            "nmi": selectors.nmi(request.user, fed, year),
            "can_edit": has_capability(request.user, EDIT_GOALS),
        },
    )


@capability_required(EDIT_GOALS)
def survey_result_page(request):
    form = SurveyResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = survey_result_set(
                acting_user=request.user,
                federation=request.user.federation,
                area=data["area"],
                year=data["year"],
                question=data["question"],
                value=data["value"],
                respondents=data["respondents"],
            )
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            return redirect(f"{reverse('performance:survey')}?ar={result.year}")
    return render(
        request,
        "core/form.html",
        {"title": _("Registrera resultat"), "form": form, "cancel_url": reverse("performance:survey")},
    )


@capability_required(EDIT_GOALS)
def survey_import_page(request):
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_import(
                acting_user=request.user, federation=request.user.federation, data=form.cleaned_data["file"].read()
            )
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            return redirect("performance:survey")
    return render(
        request,
        "core/form.html",
        {
            "title": _("Importera kundundersökning"),
            "form": form,
            "multipart": True,
            "cancel_url": reverse("performance:survey"),
        },
    )


urlpatterns = [
    path("kundundersokning/", survey_report, name="survey"),
    path("kundundersokning/registrera/", survey_result_page, name="survey_result"),
    path("kundundersokning/importera/", survey_import_page, name="survey_import"),
]
