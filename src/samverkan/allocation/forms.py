from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.allocation.models import (
    KEY_FIELDS,
    POOL_FIELDS,
    AllocationKey,
    AllocationRun,
    CostPool,
    KeyKind,
    PoolKind,
    RunKind,
    Unit,
)
from samverkan.allocation.selectors import keys_for, pools_for, runs_for
from samverkan.core.fields import NumberFormField, UploadField
from samverkan.core.scoping import ScopedForm
from samverkan.domain.money import to_decimal, within_limit
from samverkan.members.models import Member, Service
from samverkan.members.selectors import members_for, services_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PoolForm(ScopedForm, forms.ModelForm):
    scoped_fields = {"key": keys_for, "comparison_key": keys_for, "services": services_for}

    class Meta:
        model = CostPool
        fields = POOL_FIELDS
        widgets = {"period_start": DATE, "period_end": DATE, "services": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a platform superuser editing a pool sees that federation's rows only
            for name in self.scoped_fields:
                field = self.fields[name]
                field.queryset = field.queryset.filter(federation=self.instance.federation_id)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Perioden slutar innan den börjar."))
        return data


class KeyForm(forms.ModelForm):
    class Meta:
        model = AllocationKey
        fields = KEY_FIELDS
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
            self.fields[f"m{member.pk}"] = NumberFormField(
                label=member.name,
                required=False,
                min_value=0,
                max_digits=15,
                decimal_places=2,
                initial=existing.get(member.pk),
            )

    def values(self) -> dict:
        return {m: self.cleaned_data.get(f"m{m.pk}") for m in self.members}


class KeyComponentForm(ScopedForm, forms.Form):
    scoped_fields = {"component": keys_for}

    component = forms.ModelChoiceField(label=_("Nyckel"), queryset=AllocationKey.objects.none())
    weight = NumberFormField(label=_("Vikt"), min_value=0, max_digits=9, decimal_places=4, initial=50)

    def __init__(self, *args, mix: AllocationKey, **kwargs):
        super().__init__(*args, **kwargs)
        component = self.fields["component"]
        component.queryset = component.queryset.filter(federation=mix.federation_id).exclude(pk=mix.pk)


class RunForm(ScopedForm, forms.Form):
    scoped_fields = {"key": keys_for}

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
        key = self.fields["key"]
        key.queryset = key.queryset.filter(federation=pool.federation_id)


class CompareForm(ScopedForm, forms.Form):
    scoped_fields = {"first": runs_for, "second": runs_for}

    first = forms.ModelChoiceField(
        label=_("Första körningen (t.ex. preliminär)"), queryset=AllocationRun.objects.none()
    )
    second = forms.ModelChoiceField(label=_("Andra körningen (t.ex. slutlig)"), queryset=AllocationRun.objects.none())


class DecisionBasisForm(ScopedForm, forms.Form):
    scoped_fields = {"fee_pool": pools_for, "member": members_for, "services": services_for}

    fee_pool = forms.ModelChoiceField(label=_("Medlemsavgift (pool)"), queryset=CostPool.objects.none())
    member = forms.ModelChoiceField(
        label=_("Blivande medlem (befintlig post)"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("Välj en kommun som redan är upplagd, eller ange namn och folkmängd nedan."),
    )
    name = forms.CharField(label=_("Namn på ny kommun"), max_length=200, required=False)
    population = forms.IntegerField(label=_("Folkmängd"), min_value=1, max_value=100_000_000, required=False)
    services = forms.ModelMultipleChoiceField(
        label=_("Verksamheter som överlämnas"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_pool"].queryset = self.fields["fee_pool"].queryset.filter(kind=PoolKind.MEMBERSHIP)
        self.fields["member"].queryset = self.fields["member"].queryset.order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("member") and not (data.get("name") and data.get("population")):
            raise forms.ValidationError(_("Välj en befintlig kommun eller ange namn och folkmängd."))
        return data


KEY_FILE_BYTES = 2 * 1024 * 1024  # a key table has a row per member: tens of rows, never megabytes


class CalculatorForm(forms.Form):
    """The `samverkan allocate` command in the browser: a CSV, a total and a key."""

    file = UploadField(
        label=_("CSV-fil"),
        help_text=_(
            "En rad per medlem: kolumnen member (medlemmens namn) och de tal som fördelas efter, "
            "t.ex. population (folkmängd) och users (användare)."
        ),
        max_bytes=KEY_FILE_BYTES,
    )
    total = NumberFormField(label=_("Belopp att fördela"), max_digits=15, decimal_places=2)
    key = forms.CharField(
        label=_("Fördela efter"),
        initial=_("folkmängd"),
    )
    unit = forms.ChoiceField(label=_("Avrundning"), choices=Unit.choices, initial=Unit.KRONA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # formatted here, in the request's language: the text holds "%" signs
        self.fields["key"].help_text = (
            _(
                "Folkmängd, användare, en annan kolumn i filen, lika delar – eller en blandning med "
                "andelar i procent, t.ex. ”50 %% lika delar och 50 %% folkmängd”."
            )
            % {}
        )

    def clean_key(self) -> str:
        return key_spec_from_words(self.cleaned_data["key"])


# Swedish words for the key variables of `domain.keys.parse_key_spec` (the CLI's syntax).
KEY_WORDS = (("lika delar", "equal"), ("lika", "equal"), ("folkmängd", "population"), ("användare", "users"))
_NUMBER = r"\d+(?:[.,]\d+)?"
_KEY_PART = re.compile(rf"(?:(?P<before>{_NUMBER})\s*%?\s+)?(?P<name>[\w-]+)(?:\s*:?\s*(?P<after>{_NUMBER})\s*%?)?")


def key_spec_from_words(text: str) -> str:
    """ "50 % lika delar och 50 % folkmängd" → "equal:50,population:50"; the CLI syntax passes as is."""
    spec = text.strip()
    for word, code in KEY_WORDS:  # a column of the file keeps its own spelling
        spec = re.sub(rf"(?<!\w){word}(?!\w)", code, spec, flags=re.IGNORECASE)
    parts = []
    for part in (p.strip() for p in re.split(r",|\+|(?<!\w)och(?!\w)", spec, flags=re.IGNORECASE)):
        if not part:
            continue
        match = _KEY_PART.fullmatch(part)
        if match is None:
            raise forms.ValidationError(
                _(
                    "Förstår inte ”%(part)s”: skriv t.ex. folkmängd, lika delar eller "
                    "50 %% lika delar och 50 %% folkmängd."
                )
                % {"part": part}
            )
        weight = match["before"] or match["after"]
        parts.append(f"{match['name']}:{weight.replace(',', '.')}" if weight else match["name"])
    if not parts:
        raise forms.ValidationError(_("Ange vad beloppet ska fördelas efter."))
    return ",".join(parts)


SEED_003_COMPONENTS = (
    "Genomlysning och städning av befintlig användardatabas; 400000\n"
    "Införandeprojekt; 250000\n"
    "Uppsättning 550 kr per användare × 3 000 användare; 1650000"
)
SEED_003_OPERATIONS = "Personalkostnader (1,1 tjänst); 700000\nLicenskostnad till systemleverantör; 200000"


def parse_cost_lines(text: str, field: str) -> list[tuple[str, Decimal]]:
    """Lines of `name; amount` (Swedish or plain number format); errors name the line."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, amount = line.rpartition(";")
        if not sep or not name.strip():
            raise forms.ValidationError(_("Rad %(n)d: skriv ”benämning; belopp”.") % {"n": number}, code=field)
        try:
            value = to_decimal(amount)
        except ValueError:
            raise forms.ValidationError(
                _("Rad %(n)d: %(a)s är inte ett belopp.") % {"n": number, "a": amount.strip()}, code=field
            ) from None
        if value < 0:
            raise forms.ValidationError(_("Rad %(n)d: beloppet får inte vara negativt.") % {"n": number}, code=field)
        if not within_limit(value):  # "1e30" parses but overflows the yearly figures (a 500)
            raise forms.ValidationError(
                _("Rad %(n)d: beloppet är för stort (högst 15 siffror).") % {"n": number}, code=field
            )
        rows.append((name.strip(), value))
    return rows


class BusinessCaseForm(ScopedForm, forms.Form):
    """Seed 003's identity platform as the starting point; nothing is stored."""

    scoped_fields = {"key": keys_for}

    name = forms.CharField(label=_("Benämning"), max_length=200, initial="Gemensam identitetsplattform")
    components = forms.CharField(
        label=_("Investering (en komponent per rad: benämning; belopp)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=SEED_003_COMPONENTS,
    )
    years = forms.IntegerField(label=_("Avskrivningstid (år)"), min_value=1, max_value=50, initial=5)
    interest_rate = NumberFormField(
        label=_("Internränta (%)"), min_value=0, max_digits=5, decimal_places=2, initial=0, required=False
    )
    operations = forms.CharField(
        label=_("Fasta driftskostnader per år (benämning; belopp)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=SEED_003_OPERATIONS,
        required=False,
    )
    per_user = NumberFormField(
        label=_("Rörlig kostnad per användare och år (kr)"), min_value=0, max_digits=12, decimal_places=2, initial=120
    )
    users = forms.IntegerField(label=_("Antal användare"), min_value=1, max_value=100_000_000, initial=3000)
    first_year = forms.IntegerField(label=_("År 1"), min_value=1900, max_value=2200, initial=2021)
    key = forms.ModelChoiceField(
        label=_("Fördela per medlem med nyckel"),
        queryset=AllocationKey.objects.none(),
        required=False,
        help_text=_("Medlemmar under år 1 delar på årets kostnad."),
    )

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Seed 003's figures as submitted data, so the page opens with a worked example."""
        return {name: field.initial for name, field in cls.base_fields.items() if field.initial is not None}

    def clean_components(self):
        rows = parse_cost_lines(self.cleaned_data["components"], "components")
        if not rows:
            raise forms.ValidationError(_("Ange minst en investeringskomponent."))
        return rows

    def clean_operations(self):
        return parse_cost_lines(self.cleaned_data.get("operations") or "", "operations")


SEED_003_SPREAD = (
    "Genomlysning och städning av befintlig användardatabas; 400000; 2020\n"
    "Införandeprojekt; 250000; 2021\n"
    "Uppsättning 550 kr per användare × 3 000 användare; 1650000; 2021"
)


def parse_component_lines(text: str, field: str) -> list[dict[str, Any]]:
    """Lines of `name; amount; year` (the year the money is paid out; optional)."""
    years: list[int | None] = []
    stripped = []
    for line in text.splitlines():
        parts = line.split(";")
        last = parts[-1].strip()
        if len(parts) >= 3 and last.isdigit() and len(last) == 4:
            years.append(int(last))
            stripped.append(";".join(parts[:-1]))
        else:
            years.append(None)
            stripped.append(line)
    rows = parse_cost_lines("\n".join(stripped), field)
    kept = [year for line, year in zip(stripped, years, strict=True) if line.strip()]
    return [{"name": name, "amount": amount, "year": year} for (name, amount), year in zip(rows, kept, strict=True)]


class BusinessCaseStudyForm(forms.Form):
    name = forms.CharField(label=_("Benämning"), max_length=200, initial="Gemensam identitetsplattform")
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    current_costs = forms.CharField(
        label=_("Dagens kostnader per år (benämning; belopp)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Vad nuvarande lösning kostar per år; jämförs med varje alternativ."),
    )

    def clean_current_costs(self):
        rows = parse_cost_lines(self.cleaned_data.get("current_costs") or "", "current_costs")
        return [{"name": name, "amount": amount} for name, amount in rows]


class BusinessCaseOptionForm(forms.Form):
    """One option of a saved case; seed 003's förslag 1 is the starting point."""

    name = forms.CharField(label=_("Alternativ"), max_length=200, initial="Förslag 1")
    components = forms.CharField(
        label=_("Investering (en komponent per rad: benämning; belopp; år)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=SEED_003_SPREAD,
        help_text=_("Året då pengarna betalas ut; utan år räknas år 1."),
    )
    depreciation_years = forms.IntegerField(label=_("Avskrivningstid (år)"), min_value=1, max_value=50, initial=5)
    interest_rate = NumberFormField(
        label=_("Internränta (%)"), min_value=0, max_digits=5, decimal_places=2, initial=0, required=False
    )
    operations = forms.CharField(
        label=_("Fasta driftskostnader per år (benämning; belopp)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=SEED_003_OPERATIONS,
        required=False,
    )
    per_user = NumberFormField(
        label=_("Rörlig kostnad per användare och år (kr)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=120,
        required=False,
    )
    users = forms.IntegerField(label=_("Antal användare"), min_value=1, max_value=100_000_000, initial=3000)
    first_year = forms.IntegerField(label=_("År 1"), min_value=1900, max_value=2200, initial=2021)
    note = forms.CharField(label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean_components(self):
        rows = parse_component_lines(self.cleaned_data["components"], "components")
        if not rows:
            raise forms.ValidationError(_("Ange minst en investeringskomponent."))
        return rows

    def clean_operations(self):
        rows = parse_cost_lines(self.cleaned_data.get("operations") or "", "operations")
        return [{"name": name, "amount": amount} for name, amount in rows]
