"""Forms of the agreement register and of records management (the plan's rules, disposal,
personal data). Related fields choose among the user's federation's rows only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.fields import UploadField
from samverkan.core.scoping import ScopedForm
from samverkan.governance.models import Agreement, AgreementRevision, RetentionRule
from samverkan.governance.selectors.agreements import cases_for, paragraphs_for, staff_for
from samverkan.governance.services.agreements import AGREEMENT_FIELDS, REVISION_FIELDS
from samverkan.governance.services.records import EraseMode
from samverkan.members.selectors import members_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_AGREEMENT_BYTES = 20 * 1024 * 1024


class AgreementForm(ScopedForm, forms.ModelForm):
    scoped_fields = {"host_member": members_for, "responsible": staff_for, "case": cases_for}
    upload = UploadField(label=_("Avtalet (fil)"), required=False, max_bytes=MAX_AGREEMENT_BYTES)

    class Meta:
        model = Agreement
        fields = list(AGREEMENT_FIELDS)
        widgets = {
            "valid_from": DATE,
            "valid_to": DATE,
            "notice_deadline": DATE,
            "review_by": DATE,
            "parties": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "renewal": _("Till exempel ”förlängs med ett år om det inte sägs upp senast den 30 december”."),
            "notice_deadline": _("Lämna tomt för att räkna fram den ur avtalstid, förlängning och uppsägningstid."),
        }


class RevisionForm(ScopedForm, forms.ModelForm):
    scoped_fields = {"paragraph": paragraphs_for}

    class Meta:
        model = AgreementRevision
        fields = list(REVISION_FIELDS)
        widgets = {"decided_on": DATE, "review_by": DATE, "change": forms.Textarea(attrs={"rows": 3})}


class RuleForm(forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = ["keep_years", "dispose", "legal_basis"]


class DisposeForm(forms.Form):
    dry_run = forms.BooleanField(label=_("Provkörning (räkna bara)"), required=False, initial=True)


class PersonQueryForm(forms.Form):
    query = forms.CharField(
        label=_("Person"),
        max_length=200,
        help_text=_("Namn, e-postadress, telefonnummer eller användarnamn."),
    )


class EraseForm(PersonQueryForm):
    mode = forms.ChoiceField(
        label=_("Åtgärd"),
        choices=[(EraseMode.PSEUDONYMISE, _("Pseudonymisera")), (EraseMode.ERASE, _("Radera"))],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(label=_("Jag har kontrollerat registerutdraget och vill ändra uppgifterna."))
