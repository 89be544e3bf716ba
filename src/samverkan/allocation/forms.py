from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.allocation.models import AllocationKey, AllocationRun, CostPool, KeyKind, PoolKind, RunKind, Unit
from samverkan.members.models import Member, Service

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PoolForm(forms.ModelForm):
    class Meta:
        model = CostPool
        fields = [
            "name",
            "kind",
            "period_start",
            "period_end",
            "total",
            "key",
            "comparison_key",
            "services",
            "unit",
            "prorata",
            "description",
        ]
        widgets = {"period_start": DATE, "period_end": DATE, "services": forms.CheckboxSelectMultiple}

    def __init__(self, *args, federation, **kwargs):
        super().__init__(*args, **kwargs)
        keys = AllocationKey.objects.filter(federation=federation)
        self.fields["key"].queryset = keys
        self.fields["comparison_key"].queryset = keys
        self.fields["services"].queryset = Service.objects.filter(federation=federation)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Perioden slutar innan den börjar."))
        return data


class KeyForm(forms.ModelForm):
    class Meta:
        model = AllocationKey
        fields = ["name", "kind", "reference_date", "description"]
        widgets = {"reference_date": DATE}

    def clean(self):
        data = super().clean()
        if data.get("kind") in (KeyKind.POPULATION, KeyKind.USERS) and not data.get("reference_date"):
            self.add_error("reference_date", _("Ange referensdatum, t.ex. 1 november året innan."))
        return data


class KeyValuesForm(forms.Form):
    """One amount or share per member of the federation; empty means the member has no row."""

    def __init__(self, *args, key: AllocationKey, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {v.member_id: v.value for v in key.values.all()}
        self.members = list(Member.objects.filter(federation=key.federation).order_by("name"))
        for member in self.members:
            self.fields[f"m{member.pk}"] = forms.DecimalField(
                label=member.name,
                required=False,
                min_value=0,
                max_digits=15,
                decimal_places=2,
                initial=existing.get(member.pk),
            )

    def values(self) -> dict:
        return {m: self.cleaned_data.get(f"m{m.pk}") for m in self.members}


class KeyComponentForm(forms.Form):
    component = forms.ModelChoiceField(label=_("Nyckel"), queryset=AllocationKey.objects.none())
    weight = forms.DecimalField(label=_("Vikt"), min_value=0, max_digits=9, decimal_places=4, initial=50)

    def __init__(self, *args, mix: AllocationKey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = AllocationKey.objects.filter(federation=mix.federation).exclude(pk=mix.pk)


class RunForm(forms.Form):
    label = forms.CharField(label=_("Benämning"), max_length=200)
    kind = forms.ChoiceField(label=_("Slag"), choices=RunKind.choices, initial=RunKind.ORDINARY)
    key = forms.ModelChoiceField(
        label=_("Nyckel"),
        queryset=AllocationKey.objects.none(),
        required=False,
        help_text=_("Tomt: poolens nyckel. Välj t.ex. den slutliga nyckeln för en slutjustering."),
    )
    participation_date = forms.DateField(
        label=_("Deltagardatum"),
        required=False,
        widget=DATE,
        help_text=_("Vilka som deltar avgörs detta datum; tomt: periodens första dag."),
    )

    def __init__(self, *args, pool: CostPool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].queryset = AllocationKey.objects.filter(federation=pool.federation)


class CompareForm(forms.Form):
    first = forms.ModelChoiceField(label=_("Första körningen (t.ex. preliminär)"), queryset=AllocationRun.objects.none())
    second = forms.ModelChoiceField(label=_("Andra körningen (t.ex. slutlig)"), queryset=AllocationRun.objects.none())

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].queryset = runs
        self.fields["second"].queryset = runs


class DecisionBasisForm(forms.Form):
    fee_pool = forms.ModelChoiceField(label=_("Medlemsavgift (pool)"), queryset=CostPool.objects.none())
    member = forms.ModelChoiceField(
        label=_("Blivande medlem (befintlig post)"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("Välj en kommun som redan är upplagd, eller ange namn och folkmängd nedan."),
    )
    name = forms.CharField(label=_("Namn på ny kommun"), max_length=200, required=False)
    population = forms.IntegerField(label=_("Folkmängd"), min_value=1, required=False)
    services = forms.ModelMultipleChoiceField(
        label=_("Verksamheter som överlämnas"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, federation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_pool"].queryset = CostPool.objects.filter(federation=federation, kind=PoolKind.MEMBERSHIP)
        self.fields["member"].queryset = Member.objects.filter(federation=federation).order_by("name")
        self.fields["services"].queryset = Service.objects.filter(federation=federation)

    def clean(self):
        data = super().clean()
        if not data.get("member") and not (data.get("name") and data.get("population")):
            raise forms.ValidationError(_("Välj en befintlig kommun eller ange namn och folkmängd."))
        return data


class CalculatorForm(forms.Form):
    """The `samverkan allocate` command in the browser: a CSV, a total and a key."""

    file = forms.FileField(label=_("CSV-fil"), help_text=_("Kolumnen member och t.ex. population, users."))
    total = forms.DecimalField(label=_("Belopp att fördela"), max_digits=15, decimal_places=2)
    key = forms.CharField(
        label=_("Nyckel"), initial="population", help_text=_("population, users, equal eller t.ex. equal:50,population:50")
    )
    unit = forms.ChoiceField(label=_("Avrundning"), choices=Unit.choices, initial=Unit.KRONA)
