from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.assets.models import ASSET_EDITABLE_FIELDS, Asset, AssetStatus, AssetType
from samverkan.members.selectors import departments_for, members_for

# Depreciation schedules run up to six years past the purchase month and end dates must stay
# inside datetime's range (year 9999); a register of municipal equipment never needs more.
EARLIEST_PURCHASE, LATEST_PURCHASE = date(1900, 1, 1), date(2200, 12, 31)


def validate_purchase_date(value: date) -> date:
    if not EARLIEST_PURCHASE <= value <= LATEST_PURCHASE:
        raise ValidationError(_("Ange ett anskaffningsdatum mellan 1900 och 2200."))
    return value


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = ASSET_EDITABLE_FIELDS
        widgets = {"purchase_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members_for(user)
        self.fields["department"].queryset = departments_for(user)

    def clean_purchase_date(self):
        return validate_purchase_date(self.cleaned_data["purchase_date"])


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), choices=AssetStatus.choices)
    reason = forms.CharField(label=_("Anledning"), max_length=300, required=False)
    on = forms.DateField(label=_("Datum"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}))


class TicketLinkForm(forms.Form):
    ticket = forms.IntegerField(label=_("Ärendenummer"), min_value=1)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        help_text=_(
            "Kolumner: inventarienummer, typ, beskrivning, serienummer, anskaffningsdatum, "
            "anskaffningsvärde, avskrivningstid, kommunkod, förvaltning, innehavare, status."
        ),
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Alla")), *AssetStatus.choices], required=False)
    asset_type = forms.ChoiceField(label=_("Typ"), choices=[("", _("Alla")), *AssetType.choices], required=False)
