from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.fields import UploadField
from samverkan.core.scoping import ScopedForm
from samverkan.members.importers.scb_population import MAX_BYTES
from samverkan.members.models import Contact, Department, HandOver, Member, MemberFigure
from samverkan.members.selectors import services_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberForm(forms.ModelForm):
    joined = forms.DateField(label=_("Inträde"), widget=DATE)

    class Meta:
        model = Member
        fields = ["name", "kommunkod", "orgnr", "street", "postal_code", "city", "invoice_email", "peppol_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["joined"]


class MemberLeaveForm(forms.Form):
    end = forms.DateField(label=_("Utträde (sista dag)"), widget=DATE)


class HandOverForm(ScopedForm, forms.ModelForm):
    scoped_fields = {"service": services_for}

    class Meta:
        model = HandOver
        fields = ["service", "start", "end", "extent", "note"]
        widgets = {"start": DATE, "end": DATE}


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "code", "invoice_reference", "active"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "email", "phone", "is_invoice_contact"]


class FigureForm(forms.ModelForm):
    class Meta:
        model = MemberFigure
        fields = ["kind", "reference_date", "value", "source"]
        widgets = {"reference_date": DATE}


class PopulationImportForm(forms.Form):
    file = UploadField(label=_("Fil från SCB (CSV)"), max_bytes=MAX_BYTES)
    reference_date = forms.DateField(
        label=_("Referensdatum"),
        required=False,
        widget=DATE,
        help_text=_("Lämna tomt för att läsa det ur filen (1 november om tabellen säger så, annars årets sista dag)."),
    )


class ServiceDateForm(forms.Form):
    on = forms.DateField(label=_("Datum"), widget=DATE)
