"""Forms of the finance pages: budget and forecast import, forecasts, projects, appropriations,
the account mapping and the settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.fields import NumberFormField, UploadField
from samverkan.core.params import MAX_YEAR, MIN_YEAR
from samverkan.domain.ledger_lines import MAPPING_LINES
from samverkan.finance.importers.budget_xlsx import MAX_BYTES
from samverkan.finance.lines import LINE_LABELS
from samverkan.finance.models import BudgetKind, FinanceSettings, InvestmentProject

FOLLOWUPS = [(4, _("T1 (januari–april)")), (8, _("T2 (januari–augusti)")), (12, _("Helår"))]


def _year(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("År"), min_value=MIN_YEAR, max_value=MAX_YEAR, **kwargs)


class BudgetImportForm(forms.Form):
    year = _year()
    name = forms.CharField(
        label=_("Budgetversion"),
        max_length=100,
        initial=_("Budget"),
        help_text=_("En version med samma namn och år ersätts helt."),
    )
    kind = forms.ChoiceField(label=_("Slag"), choices=BudgetKind.choices, initial=BudgetKind.ADOPTED)
    file = UploadField(
        label=_("Budgetmall (XLSX)"),
        max_bytes=MAX_BYTES,
        help_text=_("Bladet Budget i mallen, högst 50 000 rader."),
    )


class BudgetCopyForm(forms.Form):
    name = forms.CharField(label=_("Namn på den nya versionen"), max_length=100, initial=_("Reviderad budget"))
    kind = forms.ChoiceField(label=_("Slag"), choices=BudgetKind.choices, initial=BudgetKind.REVISED)


class ForecastImportForm(forms.Form):
    year = _year()
    as_of_month = forms.TypedChoiceField(label=_("Uppföljning"), choices=FOLLOWUPS, coerce=int, initial=4)
    file = UploadField(label=_("Budgetmall (XLSX) med bladet Prognos"), max_bytes=MAX_BYTES)


class ForecastForm(forms.Form):
    """One amount and comment per activity (the activity's net result, report sign)."""

    def __init__(self, *args, activities: dict[str, str], existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = activities
        for code, name in activities.items():
            current = existing.get(code)
            self.fields[f"amount_{code}"] = NumberFormField(
                label=_("Prognos helår för %(activity)s (kr)") % {"activity": f"{code} {name}".strip()},
                required=False,
                max_digits=15,
                decimal_places=2,
                initial=current.amount if current else None,
            )
            self.fields[f"comment_{code}"] = forms.CharField(
                label=_("Kommentar till %(activity)s") % {"activity": code},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.comment if current else "",
            )

    def values(self):
        for code in self.activities:
            yield code, self.cleaned_data.get(f"amount_{code}"), self.cleaned_data.get(f"comment_{code}") or ""


class ProjectForm(forms.ModelForm):
    class Meta:
        model = InvestmentProject
        fields = ["code", "name", "depreciation_years"]


class AppropriationForm(forms.Form):
    year = _year()
    budget = NumberFormField(label=_("Årsbudget (kr)"), max_digits=15, decimal_places=2, initial=0)
    extra_granted = NumberFormField(label=_("Extra beviljat (kr)"), max_digits=15, decimal_places=2, initial=0)
    carried_over = NumberFormField(
        label=_("Överfört från föregående år (kr)"), max_digits=15, decimal_places=2, initial=0
    )
    forecast = NumberFormField(label=_("Prognos för helåret (kr)"), max_digits=15, decimal_places=2, required=False)
    comment = forms.CharField(
        label=_("Kommentar"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MappingRangeForm(forms.Form):
    first = forms.CharField(label=_("Från konto"), max_length=20, help_text=_("T.ex. 30 (hela gruppen) eller 3010."))
    last = forms.CharField(label=_("Till konto"), max_length=20)
    line = forms.ChoiceField(label=_("Rad"), choices=[(key, LINE_LABELS[key]) for key in MAPPING_LINES])


class SettingsForm(forms.ModelForm):
    financial_goal_percent = NumberFormField(
        label=_("Finansiellt mål: överskott i procent av omsättningen"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text=_("T.ex. 2 för ett överskott på minst 2 % av omsättningen."),
    )

    class Meta:
        model = FinanceSettings
        fields = [
            "activity_dimension",
            "project_dimension",
            "deviation_convention",
            "print_unit",
            "line_grouping",
            "financial_goal_percent",
            "publish_statements",
        ]
