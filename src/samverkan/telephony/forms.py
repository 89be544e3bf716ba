from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.domain.service_level import Convention
from samverkan.members.models import Service
from samverkan.telephony.importers.csv_records import mapping_from_spec
from samverkan.telephony.models import ImportBatch, Queue

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PER_CHOICES = [
    ("queue", _("Kö")),
    ("member", _("Medlem")),
    ("service", _("Verksamhet")),
    ("year", _("År")),
    ("month", _("Månad")),
    ("day", _("Dag")),
    ("weekday", _("Veckodag")),
    ("hour", _("Timme på dygnet")),
]
CONVENTION_CHOICES = [
    ("", _("Köns egen (anges på rapporten)")),
    (Convention.ABANDON_ADJUSTED.value, _("Besvarade inom T / (besvarade + avbrutna efter korta avbrott)")),
    (Convention.ANSWERED.value, _("Besvarade inom T / besvarade")),
    (Convention.OFFERED.value, _("Besvarade inom T / alla inkomna")),
    (Convention.ASTERISK_SL2.value, _("(Besvarade + avbrutna inom T) / (besvarade + avbrutna)")),
]


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), coerce=int, required=False)
    per = forms.ChoiceField(label=_("Per"), choices=PER_CHOICES, required=False)
    service = forms.ModelChoiceField(
        label=_("Verksamhet"), queryset=Service.objects.none(), required=False, empty_label=_("Alla verksamheter")
    )
    queue = forms.ModelChoiceField(
        label=_("Kö"), queryset=Queue.objects.none(), required=False, empty_label=_("Alla köer")
    )
    convention = forms.ChoiceField(label=_("Beräkning"), choices=CONVENTION_CHOICES, required=False)

    def __init__(self, *args, queues, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues
        self.fields["service"].queryset = Service.objects.filter(call_queues__in=queues).distinct().order_by("name")
        self.fields["year"].choices = [("", _("Alla år"))] + [(y, str(y)) for y in years]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fil"))
    file_format = forms.ChoiceField(label=_("Format"), choices=ImportBatch.Format.choices)
    csv_columns = forms.CharField(
        label=_("Kolumner i CSV-filen"),
        required=False,
        help_text=_(
            "Bara för CSV med egna rubriker, t.ex. callid=Samtal,queue=Kö,entered=Start,wait=Väntetid,"
            "outcome=Utfall,talk=Samtalstid"
        ),
    )
    csv_delimiter = forms.CharField(label=_("Avgränsare i CSV-filen"), required=False, max_length=1, initial=",")
    skip_bad_lines = forms.BooleanField(
        label=_("Hoppa över felaktiga rader"),
        required=False,
        help_text=_("Annars avbryts hela importen vid första felaktiga rad och inget sparas."),
    )

    def clean(self):
        data = super().clean()
        try:
            data["csv_mapping"] = mapping_from_spec(data.get("csv_columns") or "", data.get("csv_delimiter") or ",")
        except ValueError:
            self.add_error(
                "csv_columns", _("Ange fält=kolumn med fälten callid, queue, entered, wait, outcome, talk, agent.")
            )
        return data


class ErlangForm(forms.Form):
    calls = forms.IntegerField(label=_("Samtal per intervall"), min_value=0, max_value=1_000_000, initial=100)
    interval = forms.TypedChoiceField(
        label=_("Intervall"),
        coerce=int,
        initial=1800,
        choices=[(900, _("15 minuter")), (1800, _("30 minuter")), (3600, _("60 minuter"))],
    )
    aht = forms.IntegerField(label=_("Genomsnittlig hanteringstid (s)"), min_value=1, max_value=36_000, initial=180)
    target = forms.DecimalField(
        label=_("Mål för servicenivå (%)"),
        min_value=Decimal("1"),
        max_value=Decimal("99.9"),
        initial=80,
        decimal_places=1,
    )
    within = forms.IntegerField(label=_("Inom (sekunder)"), min_value=0, max_value=3600, initial=20)
    shrinkage = forms.DecimalField(
        label=_("Frånvaro/shrinkage (%)"), min_value=0, max_value=Decimal("95"), initial=0, decimal_places=1
    )
    max_occupancy = forms.DecimalField(
        label=_("Högsta beläggning (%)"),
        min_value=Decimal("10"),
        max_value=Decimal("100"),
        initial=100,
        decimal_places=1,
    )
    patience = forms.IntegerField(
        label=_("Tålamod innan den som ringer lägger på (s)"),
        required=False,
        min_value=1,
        max_value=36_000,
        help_text=_("Tomt: Erlang C (ingen ger upp). Ifyllt: Erlang A, där servicenivån räknas på alla inkomna."),
    )


class StaffingForm(forms.Form):
    queue = forms.ModelChoiceField(label=_("Kö"), queryset=Queue.objects.none())
    day = forms.DateField(label=_("Dag"), widget=DATE)
    target = forms.DecimalField(
        label=_("Mål för servicenivå (%)"),
        min_value=Decimal("1"),
        max_value=Decimal("99.9"),
        initial=90,
        decimal_places=1,
    )
    shrinkage = forms.DecimalField(
        label=_("Frånvaro/shrinkage (%)"), min_value=0, max_value=Decimal("95"), initial=30, decimal_places=1
    )

    def __init__(self, *args, queues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues


class QueueForm(forms.ModelForm):
    class Meta:
        model = Queue
        fields = ["label", "member", "service", "within_seconds", "goal", "convention", "short_abandon_seconds"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        federation = self.instance.federation
        self.fields["member"].queryset = federation.members.all()
        self.fields["service"].queryset = federation.services.all()
