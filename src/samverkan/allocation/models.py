"""Cost pools, allocation keys and stored allocation runs.

A run keeps its inputs (the key values actually used, the dates, the participants and any
part-year fractions) next to its results, so a past figure can be explained and recomputed
years later even after population figures or keys have changed. Approved runs are never
changed: services refuse, and corrections are new runs (e.g. a final run beside a
preliminary one).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverkan.core.fields import MoneyField
from samverkan.domain.money import KRONA, ORE


class KeyKind(models.TextChoices):
    DECIDED = "decided", _("Beslutade belopp")
    FIXED = "fixed", _("Fasta andelar")
    POPULATION = "population", _("Invånare på referensdatum")
    USERS = "users", _("Användare på referensdatum")
    EQUAL = "equal", _("Lika andel")
    MIX = "mix", _("Viktad mix")


FIGURE_KINDS = (KeyKind.POPULATION, KeyKind.USERS)
VALUE_KINDS = (KeyKind.DECIDED, KeyKind.FIXED)


class AllocationKey(models.Model):
    """How a cost is shared (fördelningsnyckel). Figures come from the members module."""

    federation = models.ForeignKey("members.Federation", on_delete=models.PROTECT, related_name="allocation_keys")
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=KeyKind.choices)
    reference_date = models.DateField(
        _("referensdatum"),
        null=True,
        blank=True,
        help_text=_(
            "För invånare och användare: senaste siffra på eller före detta datum, t.ex. 1 november året innan."
        ),
    )
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fördelningsnyckel")
        verbose_name_plural = _("fördelningsnycklar")
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="allocation_key_name_unique"),
            models.CheckConstraint(
                condition=~Q(kind__in=["population", "users"]) | Q(reference_date__isnull=False),
                name="allocation_key_figure_needs_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("allocation:key-detail", args=[self.pk])


# The fields a user edits, declared once for the form and the API.
KEY_FIELDS = ("name", "kind", "reference_date", "description")


class KeyValue(models.Model):
    """One member's row of a decided-amounts table or fixed-shares key."""

    key = models.ForeignKey(AllocationKey, on_delete=models.CASCADE, related_name="values")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    value = MoneyField(_("värde"), help_text=_("Belopp i kronor eller andel; högst två decimaler."))

    class Meta:
        ordering = ["key", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["key", "member"], name="key_value_once_per_member"),
            models.CheckConstraint(condition=Q(value__gte=0), name="key_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.member} {self.value}"


class KeyComponent(models.Model):
    """A weighted part of a mix key (E-dala: 50 equal share + 50 population)."""

    mix = models.ForeignKey(AllocationKey, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(AllocationKey, on_delete=models.PROTECT, related_name="used_in")
    weight = models.DecimalField(_("vikt"), max_digits=9, decimal_places=4)

    class Meta:
        ordering = ["mix", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mix", "component"], name="key_component_once"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="key_component_weight_not_negative"),
            models.CheckConstraint(condition=~Q(mix=F("component")), name="key_component_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.mix}: {self.weight} × {self.component}"


class PoolKind(models.TextChoices):
    MEMBERSHIP = "membership", _("Medlemsavgift")
    SERVICE = "service", _("Verksamhetskostnad")
    PLATFORM = "platform", _("Gemensam plattform")
    REGIONAL = "regional", _("Regional samverkan")


class Unit(models.TextChoices):
    """What an allocation rounds to; `Unit(value).size` is the amount the domain works in."""

    KRONA = "krona", _("Hela kronor")
    ORE = "ore", _("Öre")

    @property
    def size(self) -> Decimal:
        return ORE if self is Unit.ORE else KRONA

    @property
    def decimals(self) -> int:
        return 2 if self is Unit.ORE else 0


class ProRata(models.TextChoices):
    NONE = "none", _("Ingen (deltagare på deltagardatum)")
    DAYS = "days", _("Per dag")
    MONTHS = "months", _("Per påbörjad månad")


class CostPool(models.Model):
    """A cost to be shared over a period: membership fee, a service's cost, a platform …"""

    federation = models.ForeignKey("members.Federation", on_delete=models.PROTECT, related_name="cost_pools")
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=20, choices=PoolKind.choices)
    period_start = models.DateField(_("periodens början"))
    period_end = models.DateField(_("periodens slut"))
    total = MoneyField(_("belopp att fördela"))
    key = models.ForeignKey(
        AllocationKey, on_delete=models.PROTECT, related_name="pools", verbose_name=_("fördelningsnyckel")
    )
    comparison_key = models.ForeignKey(
        AllocationKey,
        on_delete=models.PROTECT,
        related_name="compared_pools",
        null=True,
        blank=True,
        verbose_name=_("jämförelsenyckel"),
        help_text=_("Visas bredvid, t.ex. invånarnyckeln bredvid en beslutad avgiftstabell."),
    )
    services = models.ManyToManyField(
        "members.Service",
        blank=True,
        related_name="cost_pools",
        verbose_name=_("verksamheter"),
        help_text=_("Bara medlemmar som överlämnat någon av dessa deltar. Inga valda: alla medlemmar."),
    )
    unit = models.CharField(_("avrundning"), max_length=5, choices=Unit.choices, default=Unit.KRONA)
    prorata = models.CharField(_("del av år"), max_length=6, choices=ProRata.choices, default=ProRata.NONE)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        ordering = ["-period_start", "name"]
        verbose_name = _("kostnadspool")
        verbose_name_plural = _("kostnadspooler")
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="cost_pool_name_unique"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="cost_pool_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("allocation:pool-detail", args=[self.pk])


POOL_FIELDS = (
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
)


class RunKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinarie")
    PRELIMINARY = "preliminary", _("Preliminär")
    FINAL = "final", _("Slutlig (slutjustering)")
    SETTLEMENT = "settlement", _("Reglering av över-/underskott")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    APPROVED = "approved", _("Godkänd")


class AllocationRun(models.Model):
    """One computation of a pool, with every input it used. Immutable once approved."""

    pool = models.ForeignKey(CostPool, on_delete=models.PROTECT, related_name="runs", verbose_name=_("pool"))
    key = models.ForeignKey(AllocationKey, on_delete=models.PROTECT, related_name="runs", verbose_name=_("nyckel"))
    label = models.CharField(_("benämning"), max_length=200)
    kind = models.CharField(_("slag"), max_length=20, choices=RunKind.choices, default=RunKind.ORDINARY)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    participation_date = models.DateField(_("deltagardatum"))
    total = MoneyField(_("fördelat belopp"))
    unit = models.CharField(_("avrundning"), max_length=5, choices=Unit.choices)
    key_description = models.CharField(_("nyckel (beskrivning)"), max_length=300)
    inputs = models.JSONField(_("indata"), default=dict)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("fördelningskörning")
        verbose_name_plural = _("fördelningskörningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", approved_at__isnull=True) | Q(status="approved", approved_at__isnull=False),
                name="allocation_run_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """What the run is, for lists, pickers and titles: "Växeltelefoni 2025 – preliminär, utkast":
        the pool (with its year unless its name has it), kind and status. The free-text label
        (often the pool's name again) stays on the run's page."""
        pool = self.pool
        year = str(pool.period_start.year)
        name = pool.name if year in pool.name else f"{pool.name} {year}"
        return f"{name} – {self.get_kind_display().lower()}, {self.get_status_display().lower()}"

    @property
    def is_approved(self) -> bool:
        return self.status == RunStatus.APPROVED


class AllocationLine(models.Model):
    """One member's result in a run, with the key basis it was computed from."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("ordning"))
    basis = models.JSONField(_("underlag"), default=dict)
    share = models.DecimalField(_("andel"), max_digits=13, decimal_places=10)
    fraction = models.DecimalField(_("del av perioden"), max_digits=11, decimal_places=10, default=1)
    amount = MoneyField(_("belopp"))

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "member"], name="allocation_line_once_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.run}: {self.member} {self.amount}"


class BusinessCaseStudy(models.Model):
    """A saved business case (investeringskalkyl): today's yearly costs and the options to replace them.

    The inputs are stored, not the results: ``domain.business_case`` computes every figure again
    when the case is shown, so a saved case always agrees with the calculator.
    """

    federation = models.ForeignKey("members.Federation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("benämning"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    # [{"name": "Nuvarande licenser", "amount": "850000.00"}]: what the current solution costs a year.
    current_costs = models.JSONField(_("dagens kostnader per år"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("sparad investeringskalkyl")
        verbose_name_plural = _("sparade investeringskalkyler")

    def __str__(self) -> str:
        return self.name


class BusinessCaseOption(models.Model):
    """One option of a saved case (seed 003: förslag 1 and 2), with the calculator's inputs."""

    study = models.ForeignKey(BusinessCaseStudy, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(_("alternativ"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    # [{"name": "Införandeprojekt", "amount": "250000.00", "year": 2021}]: the investment spread over years.
    components = models.JSONField(_("investering"), default=list)
    depreciation_years = models.PositiveSmallIntegerField(_("avskrivningstid (år)"))
    interest_rate = models.DecimalField(_("internränta (%)"), max_digits=5, decimal_places=2, default=Decimal(0))
    # [{"name": "Licenskostnad", "amount": "200000.00"}]: fixed operating costs per year.
    operations = models.JSONField(_("fasta driftskostnader per år"), default=list, blank=True)
    per_user = models.DecimalField(_("rörlig kostnad per användare och år"), max_digits=12, decimal_places=2, default=0)
    users = models.PositiveIntegerField(_("antal användare"))
    first_year = models.PositiveSmallIntegerField(_("år 1"))
    note = models.TextField(_("kommentar"), blank=True)

    class Meta:
        ordering = ["study", "position", "pk"]
        verbose_name = _("alternativ")
        verbose_name_plural = _("alternativ")
        constraints = [
            models.CheckConstraint(condition=Q(depreciation_years__gte=1), name="business_case_years_positive"),
            models.CheckConstraint(condition=Q(users__gte=1), name="business_case_users_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.study}: {self.name}"
