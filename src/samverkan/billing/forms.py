from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.billing.models import BillingProfile
from samverkan.domain.periods import parse_period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RunForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=10, help_text=_("T.ex. 2025-Q1 (kvartal), 2025-T1 (tertial), 2025-03 eller 2025.")
    )
    timing = forms.ChoiceField(
        label=_("Fakturering"), choices=[("arrears", _("i efterskott")), ("advance", _("i förskott"))]
    )
    prorata_rule = forms.ChoiceField(
        label=_("Del av period"), choices=[("days", _("per dag")), ("whole_months", _("påbörjad månad debiteras"))]
    )
    issue_date = forms.DateField(
        label=_("Fakturadatum"),
        widget=DATE,
        required=False,
        help_text=_("Tomt: dagen efter perioden (i efterskott) eller periodens första dag (i förskott)."),
    )

    def clean_period(self):
        try:
            return str(parse_period(self.cleaned_data["period"]))
        except ValueError:
            raise forms.ValidationError(_("Ange en period som 2025-Q1, 2025-T1, 2025-03 eller 2025.")) from None


class CreditForm(forms.Form):
    reason = forms.CharField(label=_("Orsak"), max_length=300)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=f"{line.description} ({line.quantity.normalize()} {line.unit_code})",
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=4,
                help_text=_("Antal att kreditera; tomt = ingenting."),
            )

    def quantities(self):
        return {
            line.pk: self.cleaned_data[f"line_{line.pk}"]
            for line in self.lines
            if self.cleaned_data.get(f"line_{line.pk}")
        }


class ProfileForm(forms.ModelForm):
    class Meta:
        model = BillingProfile
        fields = [
            "invoice_series",
            "credit_series",
            "payment_days",
            "receivable_account",
            "vat_account_25",
            "vat_account_12",
            "vat_account_6",
            "rounding_account",
            "allocation_account",
            "allocation_activity",
            "sie_series",
            "sie_per_run",
            "round_to_krona",
            "timing",
            "advance_days",
        ]


class MemberSettingForm(forms.Form):
    per_reference = forms.BooleanField(label=_("En faktura per fakturareferens"), required=False)
    buyer_reference = forms.CharField(label=_("Fakturareferens för samlingsfaktura"), max_length=100, required=False)
