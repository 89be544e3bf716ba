"""Forms of the goal pages: areas, goals, indicators, targets, hand-entered values, assessments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.fields import NumberFormField, UploadField
from samverkan.core.scoping import ScopedForm
from samverkan.performance.models import Direction, Fulfilment, GoalArea, IndicatorSource, SurveyArea
from samverkan.performance.selectors import goals as selectors
from samverkan.portal.models import Team
from samverkan.portal.selectors import teams_for
from samverkan.telephony.models import Queue
from samverkan.telephony.selectors import queues_for

YEAR = {"min_value": 2000, "max_value": 2100}


class GoalAreaForm(forms.Form):
    name = forms.CharField(label=_("Målområde"), max_length=200)
    position = forms.IntegerField(label=_("Ordning"), min_value=0, max_value=999, initial=0)


class GoalForm(ScopedForm, forms.Form):
    scoped_fields = {"area": selectors.areas_for}

    area = forms.ModelChoiceField(label=_("Målområde"), queryset=GoalArea.objects.all())
    text = forms.CharField(label=_("Mål"), widget=forms.Textarea(attrs={"rows": 3}))
    first_year = forms.IntegerField(label=_("Från år"), **YEAR)
    last_year = forms.IntegerField(label=_("Till år"), **YEAR)
    position = forms.IntegerField(label=_("Ordning"), min_value=0, max_value=999, initial=0)


class IndicatorForm(ScopedForm, forms.Form):
    scoped_fields = {"queue": queues_for, "team": teams_for, "survey_area": selectors.survey_areas_for}

    name = forms.CharField(label=_("Indikator"), max_length=300)
    unit = forms.CharField(
        label=_("Enhet"), max_length=20, required=False, help_text=_("Till exempel %, st eller NKI.")
    )
    source = forms.ChoiceField(label=_("Källa"), choices=IndicatorSource.choices)
    queue = forms.ModelChoiceField(
        label=_("Telefonkö"),
        queryset=Queue.objects.all(),
        required=False,
        help_text=_("För servicenivå."),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        required=False,
        help_text=_("För ärenden och NKI (tomt: alla)."),
    )
    survey_area = forms.ModelChoiceField(
        label=_("Område i kundundersökningen"), queryset=SurveyArea.objects.all(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Tid som mäts (SLA)"),
        choices=[("resolution", _("Lösningstid")), ("response", _("Svarstid"))],
        initial="resolution",
    )
    position = forms.IntegerField(label=_("Ordning"), min_value=0, max_value=999, initial=0)

    def service_data(self) -> dict:
        """The cleaned fields as the service takes them (the references folded into parameters)."""
        data = dict(self.cleaned_data)
        parameters = {}
        for field, key in (("queue", "queue"), ("team", "team"), ("survey_area", "area")):
            row = data.pop(field)
            if row is not None:
                parameters[key] = row.pk
        kind = data.pop("kind")
        if data["source"] == IndicatorSource.SLA and kind == "response":
            parameters["kind"] = kind
        data["parameters"] = parameters
        return data


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("År"), **YEAR)
    direction = forms.ChoiceField(label=_("Riktning"), choices=Direction.choices)
    value = NumberFormField(
        label=_("Målvärde"),
        decimal_places=4,
        max_digits=14,
        required=False,
        help_text=_("Tomt vid jämförelse med föregående år."),
    )


class ManualValueForm(forms.Form):
    year = forms.IntegerField(label=_("År"), **YEAR)
    value = NumberFormField(label=_("Värde"), decimal_places=4, max_digits=14)
    source = forms.CharField(
        label=_("Källa"), max_length=300, help_text=_("Varifrån värdet kommer, till exempel en enkät.")
    )
    document = UploadField(label=_("Underlag"), required=False)


class AssessmentForm(forms.Form):
    fulfilment = forms.ChoiceField(label=_("Bedömning"), choices=Fulfilment.choices)
    comment = forms.CharField(label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
