from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.billing.models import FREQUENCY_CHOICES, BillingProfile
from samverkan.catalogue.models import CatalogueItem, VatCodeChoice
from samverkan.catalogue.selectors import items_for
from samverkan.core.fields import NumberFormField
from samverkan.core.scoping import ScopedForm
from samverkan.core.templatetags.samverkan import qty_unit
from samverkan.domain.periods import parse_period
from samverkan.members.models import Department, Member
from samverkan.members.selectors import departments_for, members_for

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
                label=f"{line.description} ({qty_unit(line.quantity, line.unit_code)})",
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
            "default_frequency",
            "four_eyes",
            "change_warning_percent",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_frequency"].required = False  # left out: unchanged

    def clean_default_frequency(self):
        return self.cleaned_data.get("default_frequency") or self.instance.default_frequency


class MemberSettingForm(forms.Form):
    per_reference = forms.BooleanField(label=_("En faktura per fakturareferens"), required=False)
    buyer_reference = forms.CharField(label=_("Fakturareferens för samlingsfaktura"), max_length=100, required=False)


class FrequencyRuleForm(ScopedForm, forms.Form):
    """A service's or an activity's invoicing frequency (exactly one of the two)."""

    scoped_fields = {"item": items_for}

    item = forms.ModelChoiceField(label=_("Tjänst"), queryset=CatalogueItem.objects.none(), required=False)
    activity = forms.CharField(
        label=_("eller verksamhet (kostnadsställe)"), max_length=20, required=False, help_text=_("T.ex. 81143.")
    )
    frequency = forms.ChoiceField(label=_("Faktureringsfrekvens"), choices=FREQUENCY_CHOICES)

    def clean(self):
        data = super().clean()
        if bool(data.get("item")) == bool((data.get("activity") or "").strip()):
            raise forms.ValidationError(_("Välj antingen en tjänst eller ange en verksamhet."))
        return data


class ManualLineForm(ScopedForm, forms.Form):
    scoped_fields = {"member": members_for, "department": departments_for}

    member = forms.ModelChoiceField(label=_("Medlem"), queryset=Member.objects.none())
    department = forms.ModelChoiceField(
        label=_("Förvaltning"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Förvaltningens fakturareferens följer med raden."),
    )
    description = forms.CharField(label=_("Text på fakturan"), max_length=300)
    quantity = NumberFormField(label=_("Antal"), max_digits=14, decimal_places=4, initial=1)
    unit_price = NumberFormField(label=_("Á-pris (kr, exkl. moms)"), min_value=0, max_digits=14, decimal_places=2)
    vat_code = forms.ChoiceField(label=_("Momskod"), choices=VatCodeChoice.choices, initial=VatCodeChoice.VAT_25)
    revenue_account = forms.CharField(label=_("Intäktskonto"), max_length=10, initial="3510")
    activity = forms.CharField(label=_("Verksamhet (kostnadsställe)"), max_length=20, required=False)
    period = forms.CharField(label=_("Period"), max_length=10, help_text=_("T.ex. 2025-03, 2025-Q1 eller 2025-T1."))

    def clean_period(self):
        try:
            return str(parse_period(self.cleaned_data["period"]))
        except ValueError:
            raise forms.ValidationError(_("Ange en period som 2025-Q1, 2025-T1, 2025-03 eller 2025.")) from None
