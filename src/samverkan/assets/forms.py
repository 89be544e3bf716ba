from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.assets.importers.register import MAX_BYTES, MAX_ROWS
from samverkan.assets.models import ASSET_EDITABLE_FIELDS, Asset, AssetStatus, AssetType
from samverkan.core.fields import UploadField
from samverkan.core.scoping import ScopedForm
from samverkan.members.selectors import departments_for, members_for


class AssetForm(ScopedForm, forms.ModelForm):
    scoped_fields = {"member": members_for, "department": departments_for}

    class Meta:
        model = Asset
        fields = ASSET_EDITABLE_FIELDS
        widgets = {"purchase_date": forms.DateInput(attrs={"type": "date"})}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), choices=AssetStatus.choices)
    reason = forms.CharField(label=_("Anledning"), max_length=300, required=False)
    on = forms.DateField(label=_("Datum"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}))


class TicketLinkForm(forms.Form):
    ticket = forms.IntegerField(label=_("Ärendenummer"), min_value=1)


class ImportForm(forms.Form):
    file = UploadField(
        label=_("Fil (CSV eller XLSX)"),
        help_text=format_lazy(
            "{} {}",
            _(
                "Kolumner: inventarienummer, typ, beskrivning, serienummer, anskaffningsdatum, "
                "anskaffningsvärde, avskrivningstid, kommunkod, förvaltning, innehavare, status."
            ),
            format_lazy(_("Högst {} rader."), f"{MAX_ROWS:,}".replace(",", "\u00a0")),
        ),
        max_bytes=MAX_BYTES,
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Alla")), *AssetStatus.choices], required=False)
    asset_type = forms.ChoiceField(label=_("Typ"), choices=[("", _("Alla")), *AssetType.choices], required=False)
