"""Goals with indicators and assessments, staff statistics, the yearly customer survey and the
annual report's narrative.

An indicator is either bound to a figure Samverkan computes (`source` names the computation,
`parameters` what it needs, e.g. a queue and the threshold) or entered by hand with its source
and a document. An assessment keeps the values it was made on, so a later recomputation never
changes what the board was told.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.domain.money import format_number
from samverkan.members.models import Federation
from samverkan.portal.models import PrivateStorage


def _shown(value: Decimal) -> str:
    """A stored value in Swedish format with the decimals it really has (86,8 and 1 840, not 86.8000)."""
    exponent = Decimal(value).normalize().as_tuple().exponent
    return format_number(value, max(0, -int(exponent)))


class GoalArea(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="goal_areas")
    name = models.CharField(_("målområde"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["federation", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["federation", "name"], name="performance_unique_area")]
        verbose_name = _("målområde")
        verbose_name_plural = _("målområden")

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    area = models.ForeignKey(GoalArea, on_delete=models.PROTECT, related_name="goals")
    text = models.TextField(_("mål"))
    first_year = models.PositiveSmallIntegerField(_("från år"))
    last_year = models.PositiveSmallIntegerField(_("till år"))
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["area", "position", "pk"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return self.text[:80]


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("minst (≥)")
    AT_MOST = "at_most", _("högst (≤)")
    BELOW = "below", _("under (<)")
    ABOVE = "above", _("över (>)")
    HIGHER_THAN_LAST_YEAR = "higher", _("högre än föregående år")
    LOWER_THAN_LAST_YEAR = "lower", _("lägre än föregående år")


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Inmatat värde")
    SERVICE_LEVEL = "service_level", _("Servicenivå i telefonin (andel inom T)")
    SLA = "sla", _("Ärenden lösta inom SLA (portalen)")
    TICKET_VOLUME = "ticket_volume", _("Antal ärenden (portalen)")
    NKI_TICKETS = "nki_tickets", _("NKI från enkäter efter ärenden (portalen)")
    NKI_SURVEY = "nki_survey", _("NKI från den årliga kundundersökningen")
    SURPLUS_RATIO = "surplus_ratio", _("Resultat i procent av omsättningen (ekonomi)")
    SICK_LEAVE = "sick_leave", _("Sjukfrånvaro i procent av arbetad tid (personal)")


class Indicator(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indikator"), max_length=300)
    unit = models.CharField(_("enhet"), max_length=20, blank=True)  # "%", "st", "NKI"
    source = models.CharField(_("källa"), max_length=20, choices=IndicatorSource.choices)
    parameters = models.JSONField(_("parametrar"), default=dict, blank=True)  # e.g. {"queue": 3, "within": 30}
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["goal", "position", "pk"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """The target of an indicator for one year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("år"))
    direction = models.CharField(_("riktning"), max_length=10, choices=Direction.choices)
    value = models.DecimalField(_("målvärde"), max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="performance_one_target_per_year")]
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"


class ManualValue(models.Model):
    """A value entered by hand, with where it comes from."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_values")
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=4)
    source = models.CharField(_("källa"), max_length=300)
    document = models.FileField(_("underlag"), storage=PrivateStorage(), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="performance_one_manual_value")]
        verbose_name = _("inmatat värde")
        verbose_name_plural = _("inmatade värden")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {_shown(self.value)}"


class Fulfilment(models.TextChoices):
    MET = "met", _("Uppfyllt")
    PARTLY = "partly", _("Delvis uppfyllt")
    NOT_MET = "not_met", _("Inte uppfyllt")
    NOT_ASSESSABLE = "not_assessable", _("Kan inte bedömas")


class Assessment(models.Model):
    """A person's assessment of a goal for a year, with the indicator values it was made on."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("år"))
    proposed = models.CharField(_("förslag"), max_length=20, choices=Fulfilment.choices, blank=True)
    fulfilment = models.CharField(_("bedömning"), max_length=20, choices=Fulfilment.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    # [{indicator, value, target, met}]
    values = models.JSONField(_("värden vid bedömningen"), default=list, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["goal", "year"], name="performance_one_assessment")]
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")

    def __str__(self) -> str:
        return f"{self.goal} {self.year}: {self.get_fulfilment_display()}"


class SurveyArea(models.Model):
    """A service area of the yearly customer survey (key people in the member municipalities)."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="survey_areas")
    name = models.CharField(_("tjänsteområde"), max_length=200)

    class Meta:
        ordering = ["federation", "name"]
        constraints = [models.UniqueConstraint(fields=["federation", "name"], name="performance_unique_survey_area")]
        verbose_name = _("område i kundundersökningen")
        verbose_name_plural = _("områden i kundundersökningen")

    def __str__(self) -> str:
        return self.name


class SurveyResult(models.Model):
    area = models.ForeignKey(SurveyArea, on_delete=models.CASCADE, related_name="results")
    year = models.PositiveSmallIntegerField(_("år"))
    question = models.CharField(
        _("fråga"), max_length=200, blank=True
    )  # bemötande, återkoppling, kompetens; blank = NKI
    value = models.DecimalField(_("värde"), max_digits=6, decimal_places=2)
    respondents = models.PositiveIntegerField(_("svarande"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "question"], name="performance_unique_survey_result")
        ]
        verbose_name = _("resultat i kundundersökningen")
        verbose_name_plural = _("resultat i kundundersökningen")

    def __str__(self) -> str:
        return " ".join(str(part) for part in (self.area, self.year, self.question) if part) + f": {_shown(self.value)}"


class StaffImport(models.Model):
    """One import of a year's staff figures from the payroll system (replaced as a whole)."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="staff_imports")
    year = models.PositiveSmallIntegerField(_("år"))
    source_name = models.CharField(_("fil"), max_length=255)
    imported_at = models.DateTimeField(auto_now=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["federation", "year"], name="performance_one_staff_year")]
        verbose_name = _("personalimport")
        verbose_name_plural = _("personalimporter")

    def __str__(self) -> str:
        return f"{self.federation} {self.year}"


class EmploymentForm(models.TextChoices):
    PERMANENT = "permanent", _("Tillsvidareanställd")
    FIXED_TERM = "fixed_term", _("Visstidsanställd")
    HOURLY = "hourly", _("Timanställd")
    SUBSTITUTE = "substitute", _("Vikariat")
    PROBATION = "probation", _("Provanställning")


class Sex(models.TextChoices):
    WOMAN = "woman", _("Kvinna")
    MAN = "man", _("Man")
    OTHER = "other", _("Annat eller uppgift saknas")


class Employment(models.Model):
    """One employee's year, without name: the payroll system's anonymous key, the groups the
    reports need, and the hours. Only aggregates leave the module (groups under five suppressed)."""

    staff_import = models.ForeignKey(StaffImport, on_delete=models.CASCADE, related_name="employments")
    person_key = models.CharField(_("anonym nyckel"), max_length=64)
    form = models.CharField(_("anställningsform"), max_length=20, choices=EmploymentForm.choices)
    sex = models.CharField(_("kön"), max_length=10, choices=Sex.choices)
    age_group = models.CharField(_("åldersgrupp"), max_length=10)  # "-29", "30-49", "50-"
    fte = models.DecimalField(_("årsarbetare"), max_digits=6, decimal_places=3)
    worked_hours = models.DecimalField(_("arbetad tid (timmar)"), max_digits=9, decimal_places=2)
    sick_hours = models.DecimalField(_("sjukfrånvaro (timmar)"), max_digits=9, decimal_places=2)
    long_sick_hours = models.DecimalField(_("varav sammanhängande ≥ 60 dagar (timmar)"), max_digits=9, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff_import", "person_key", "form"], name="performance_unique_employment")
        ]
        verbose_name = _("anställning")
        verbose_name_plural = _("anställningar")

    def __str__(self) -> str:
        return self.person_key


class AnnualReport(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("år"))
    adopted_on = models.DateField(_("fastställd"), null=True, blank=True)
    published = models.BooleanField(_("publicerad för medlemmarna"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["federation", "year"], name="performance_one_annual_report")]
        verbose_name = _("årsredovisning")
        verbose_name_plural = _("årsredovisningar")

    def __str__(self) -> str:
        return f"{self.federation} {self.year}"


class NarrativeSection(models.Model):
    """A text of the annual report (the director's introduction, the year in brief …). Figures in
    the text are fields such as {result} or {turnover}, filled from the data when rendered."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("avsnitt"), max_length=40)
    title = models.CharField(_("rubrik"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["report", "position"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="performance_unique_section")]
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")

    def __str__(self) -> str:
        return self.title


# --- Kolada (helper PC): public key figures fetched for the member municipalities -------------
class KoladaFigure(models.Model):
    """One public key figure from Kolada (RKA) for a municipality and year, as last fetched; the
    page shows `fetched_at`, and a failed fetch keeps the old rows."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="kolada_figures")
    kpi = models.CharField(_("nyckeltal"), max_length=10)  # "N00002"
    kpi_title = models.CharField(_("nyckeltalets namn"), max_length=300, blank=True)  # Kolada's title
    municipality_id = models.CharField(_("kommunkod"), max_length=4)  # Kolada's id = kommunkod, "2481"
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("värde"), max_digits=18, decimal_places=4, null=True, blank=True)
    fetched_at = models.DateTimeField(_("hämtat"))

    class Meta:
        ordering = ["federation", "kpi", "year", "municipality_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "kpi", "municipality_id", "year"], name="performance_one_kolada_figure"
            )
        ]
        verbose_name = _("nyckeltal från Kolada")
        verbose_name_plural = _("nyckeltal från Kolada")

    def __str__(self) -> str:
        return f"{self.kpi} {self.municipality_id} {self.year}"
