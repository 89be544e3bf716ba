from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.core.fields import RatioFormField
from samverkan.core.scoping import ScopedForm
from samverkan.domain import erlang
from samverkan.domain.service_level import Convention
from samverkan.members.models import Service
from samverkan.members.selectors import members_for, services_for
from samverkan.telephony.importers.csv_records import mapping_from_spec
from samverkan.telephony.models import ImportBatch, Queue
from samverkan.telephony.selectors import queues_for
from samverkan.telephony.validators import MAX_FILE_BYTES, MAX_LINE_CHARS

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


def services_with_queues_for(user):
    return Service.objects.filter(call_queues__in=queues_for(user)).distinct().order_by("name")


class ReportForm(ScopedForm, forms.Form):
    scoped_fields = {"service": services_with_queues_for, "queue": queues_for}

    year = forms.TypedChoiceField(label=_("År"), coerce=int, required=False)
    per = forms.ChoiceField(label=_("Per"), choices=PER_CHOICES, required=False)
    service = forms.ModelChoiceField(
        label=_("Verksamhet"), queryset=Service.objects.none(), required=False, empty_label=_("Alla verksamheter")
    )
    queue = forms.ModelChoiceField(
        label=_("Kö"), queryset=Queue.objects.none(), required=False, empty_label=_("Alla köer")
    )
    convention = forms.ChoiceField(label=_("Beräkning"), choices=CONVENTION_CHOICES, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Alla år"))] + [(y, str(y)) for y in years]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=format_lazy(
            _("Högst {size} GB, rader högst {line} tecken; UTF-8 (med eller utan BOM) eller UTF-16."),
            size=MAX_FILE_BYTES // 1024**3,
            line=f"{MAX_LINE_CHARS:,}".replace(",", "\u00a0"),
        ),
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=ImportBatch.Format.choices)
    csv_columns = forms.CharField(
        label=_("Kolumner i CSV-filen"),
        required=False,
        max_length=500,
        help_text=_(
            "Bara för CSV med egna rubriker, t.ex. callid=Samtal,queue=Kö,entered=Start,wait=Väntetid,"
            "outcome=Utfall,talk=Samtalstid"
        ),
    )
    csv_delimiter = forms.CharField(
        label=_("Avgränsare i CSV-filen"),
        required=False,
        max_length=1,
        strip=False,
        help_text=_("Tomt: känns igen på rubrikraden (komma, semikolon eller tabb)."),
    )
    skip_bad_lines = forms.BooleanField(
        label=_("Hoppa över felaktiga rader"),
        required=False,
        help_text=_("Annars avbryts hela importen vid första felaktiga rad och inget sparas."),
    )

    def clean(self):
        data = super().clean()
        try:
            data["csv_mapping"] = mapping_from_spec(data.get("csv_columns") or "", data.get("csv_delimiter") or None)
        except ValueError:
            self.add_error(
                "csv_columns", _("Ange fält=kolumn med fälten callid, queue, entered, wait, outcome, talk, agent.")
            )
        return data


class ErlangForm(forms.Form):
    calls = forms.IntegerField(label=_("Samtal per intervall"), min_value=0, max_value=erlang.MAX_CALLS, initial=100)
    interval = forms.TypedChoiceField(
        label=_("Intervall"),
        coerce=int,
        initial=1800,
        choices=[(900, _("15 minuter")), (1800, _("30 minuter")), (3600, _("60 minuter"))],
    )
    aht = forms.IntegerField(
        label=_("Genomsnittlig hanteringstid (s)"), min_value=1, max_value=erlang.MAX_HANDLE_SECONDS, initial=180
    )
    # Ratios follow the one rule of page, API and CLI: a share (0,8) or a percentage with % (80 %).
    target = RatioFormField(
        label=_("Mål för servicenivå"), min_value=Decimal("0.01"), max_value=Decimal("0.999"), initial=Decimal("0.8")
    )
    within = forms.IntegerField(
        label=_("Inom (sekunder)"), min_value=0, max_value=erlang.MAX_WITHIN_SECONDS, initial=20
    )
    shrinkage = RatioFormField(label=_("Frånvaro/shrinkage"), max_value=Decimal("0.95"), initial=Decimal(0))
    max_occupancy = RatioFormField(label=_("Högsta beläggning"), min_value=Decimal("0.1"), initial=Decimal(1))
    patience = forms.IntegerField(
        label=_("Tålamod innan den som ringer lägger på (s)"),
        required=False,
        min_value=1,
        max_value=erlang.MAX_PATIENCE_SECONDS,
        help_text=_("Tomt: Erlang C (ingen ger upp). Ifyllt: Erlang A, där servicenivån räknas på alla inkomna."),
    )


class StaffingForm(ScopedForm, forms.Form):
    scoped_fields = {"queue": queues_for}

    queue = forms.ModelChoiceField(label=_("Kö"), queryset=Queue.objects.none())
    day = forms.DateField(label=_("Dag"), widget=DATE)
    target = RatioFormField(
        label=_("Mål för servicenivå"), min_value=Decimal("0.01"), max_value=Decimal("0.999"), initial=Decimal("0.9")
    )
    shrinkage = RatioFormField(label=_("Frånvaro/shrinkage"), max_value=Decimal("0.95"), initial=Decimal("0.3"))


class QueueForm(ScopedForm, forms.ModelForm):
    scoped_fields = {"member": members_for, "service": services_for}

    class Meta:
        model = Queue
        fields = ["label", "member", "service", "within_seconds", "goal", "convention", "short_abandon_seconds"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.scoped_fields:  # a platform superuser sees the queue's federation's rows only
            self.fields[name].queryset = self.fields[name].queryset.filter(federation=self.instance.federation_id)
