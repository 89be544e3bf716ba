"""Forms of the minutes pages; the services validate again and have the last word."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import User
from samverkan.core.scoping import ScopedForm
from samverkan.governance.models import AdjusterRole, AttendanceKind, Body, Case, Minutes
from samverkan.governance.selectors.meetings import agenda_cases_for
from samverkan.governance.selectors.minutes import adjuster_users_for, counter_bodies_for
from samverkan.governance.services.minutes import DECISION_TARGETS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINES = forms.Textarea(attrs={"rows": 4})

TARGET_LABELS = {
    "allocation.allocationrun": _("Fördelningskörning"),
    "allocation.costpool": _("Kostnadspool"),
    "catalogue.priceversion": _("Prisversion"),
    "catalogue.catalogueitem": _("Artikel i katalogen"),
    "members.member": _("Medlem (antagning)"),
    "members.handover": _("Överlämnad verksamhet"),
    "billing.invoicerun": _("Faktureringskörning"),
    "governance.agreement": _("Avtal"),
    "governance.agreementrevision": _("Revidering av avtal"),
    "governance.case": _("Ärende"),
}


class MinutesForm(ScopedForm, forms.ModelForm):
    scoped_fields = {"secretary": adjuster_users_for}

    class Meta:
        model = Minutes
        fields = ["secretary", "chair_name", "adjustment_place_time", "kept_at", "agenda_changes"]
        widgets = {"agenda_changes": LINES}


class ParagraphForm(ScopedForm, forms.Form):
    scoped_fields = {"case": agenda_cases_for}

    title = forms.CharField(label=_("Rubrik"), max_length=300)
    case = forms.ModelChoiceField(label=_("Diarienummer"), queryset=Case.objects.none(), required=False)
    text = forms.CharField(label=_("Ärendebeskrivning"), widget=forms.Textarea, required=False)
    decision = forms.CharField(label=_("Beslut"), widget=LINES, required=False)
    dispatch_to = forms.CharField(
        label=_("Sänds till"), widget=LINES, required=False, help_text=_("En mottagare per rad.")
    )
    reservations = forms.CharField(label=_("Reservationer"), widget=LINES, required=False)


class AttendanceForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    title = forms.CharField(label=_("Titel eller parti"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Slag"), choices=AttendanceKind.choices)
    paragraphs = forms.CharField(
        label=_("Närvarande vid §"),
        max_length=40,
        required=False,
        help_text=_("Till exempel ”51-52”. Tomt: hela mötet."),
    )


class AdjusterForm(ScopedForm, forms.Form):
    scoped_fields = {"user": adjuster_users_for}

    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Roll"), choices=AdjusterRole.choices, initial=AdjusterRole.ADJUSTER)


class ApproveForm(forms.Form):
    posted_on = forms.DateField(
        label=_("Anslaget sätts upp"),
        widget=DATE,
        required=False,
        help_text=_("Tomt: i dag, när sista justeraren godkänt."),
    )
    taken_down_on = forms.DateField(
        label=_("Anslaget tas ned"), widget=DATE, required=False, help_text=_("Tomt: när överklagandetiden gått ut.")
    )


class CounterForm(ScopedForm, forms.Form):
    scoped_fields = {"body": counter_bodies_for}

    body = forms.ModelChoiceField(label=_("Organ"), queryset=Body.objects.none())
    year = forms.IntegerField(label=_("År"), min_value=1900, max_value=2200)
    next_number = forms.IntegerField(label=_("Nästa paragrafnummer"), min_value=1)


class DecisionLinkForm(forms.Form):
    target_type = forms.ChoiceField(
        label=_("Vad beslutet gäller"), choices=[(key, TARGET_LABELS[key]) for key in DECISION_TARGETS]
    )
    object_id = forms.IntegerField(label=_("Id-nummer"), min_value=1)
    description = forms.CharField(label=_("Vad beslutet ändrade"), max_length=300, required=False)
