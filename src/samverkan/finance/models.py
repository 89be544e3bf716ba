"""The federation's ledger (imported from the finance system as SIE 4), budgets, forecasts,
investment appropriations and the account mapping that turns accounts into report lines.

Amounts are `MoneyField` (integer öre in the database). A ledger year is replaced as a whole
when the same company and year is imported again, so nothing in it is edited row by row.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.fields import MoneyField
from samverkan.members.models import Federation


class DeviationConvention(models.TextChoices):
    # Seed 002 (Lystkom) prints budget − outcome; seed 004 (GSN) prints favourable deviations
    # as positive, i.e. outcome − budget with income positive and costs negative.
    BUDGET_MINUS_OUTCOME = "budget_minus_outcome", _("Budget − utfall")
    OUTCOME_MINUS_BUDGET = "outcome_minus_budget", _("Utfall − budget (positiv avvikelse är gynnsam)")


class PrintUnit(models.TextChoices):
    KRONOR = "kr", _("kronor")
    THOUSANDS = "tkr", _("tusen kronor (tkr)")
    MILLIONS = "mkr", _("miljoner kronor (mkr)")


class LineGrouping(models.TextChoices):
    DETAILED = "detailed", _("Intäkter, personalkostnader, övriga kostnader, avskrivningar")
    GROSS = "gross", _("Intäkter och kostnader")


class FinanceSettings(models.Model):
    """How one federation keeps and reports its books."""

    federation = models.OneToOneField(Federation, on_delete=models.CASCADE, related_name="finance_settings")
    activity_dimension = models.PositiveSmallIntegerField(
        _("dimension för verksamhet"), default=1, help_text=_("SIE-dimensionen vars objekt är verksamheterna.")
    )
    project_dimension = models.PositiveSmallIntegerField(
        _("dimension för investeringsprojekt"), default=6, help_text=_("SIE-dimensionen vars objekt är projekten.")
    )
    deviation_convention = models.CharField(
        _("avvikelse"),
        max_length=30,
        choices=DeviationConvention.choices,
        default=DeviationConvention.BUDGET_MINUS_OUTCOME,
    )
    print_unit = models.CharField(
        _("enhet i rapporter"), max_length=3, choices=PrintUnit.choices, default=PrintUnit.THOUSANDS
    )
    line_grouping = models.CharField(
        _("rader i uppföljningen"), max_length=10, choices=LineGrouping.choices, default=LineGrouping.DETAILED
    )
    financial_goal_percent = models.DecimalField(
        _("finansiellt mål: överskott i procent av omsättningen"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.00"),
    )
    publish_statements = models.BooleanField(
        _("årsredovisningens rapporter är publicerade för medlemmarna"), default=False
    )

    class Meta:
        verbose_name = _("ekonomiinställningar")
        verbose_name_plural = _("ekonomiinställningar")

    def __str__(self) -> str:
        return f"{self.federation}"


class FiscalYear(models.Model):
    """One imported year of the federation's ledger (`#RAR 0` of a SIE file)."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="fiscal_years")
    year = models.PositiveSmallIntegerField(_("år"))
    start = models.DateField(_("från"))
    end = models.DateField(_("till"))
    company_name = models.CharField(_("företagsnamn i filen"), max_length=200, blank=True)
    orgnr = models.CharField(_("organisationsnummer i filen"), max_length=20, blank=True)
    program = models.CharField(_("program"), max_length=200, blank=True)
    sie_type = models.CharField(_("SIE-typ"), max_length=4)
    has_vouchers = models.BooleanField(_("med verifikationer"), default=False)
    source_name = models.CharField(_("fil"), max_length=255)
    source_sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    imported_at = models.DateTimeField(_("importerad"), auto_now=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["federation", "-year"]
        constraints = [models.UniqueConstraint(fields=["federation", "year"], name="finance_one_ledger_per_year")]
        verbose_name = _("räkenskapsår")
        verbose_name_plural = _("räkenskapsår")

    def __str__(self) -> str:
        return f"{self.federation.slug} {self.year}"


class Account(models.Model):
    """The chart of accounts as the latest imported file names it (`#KONTO`, `#KTYP`, `#SRU`)."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="accounts")
    number = models.CharField(_("konto"), max_length=20)
    name = models.CharField(_("benämning"), max_length=200, blank=True)
    account_type = models.CharField(_("kontotyp"), max_length=1, blank=True)  # T, S, I, K
    sru = models.CharField(_("SRU-kod"), max_length=10, blank=True)

    class Meta:
        ordering = ["federation", "number"]
        constraints = [models.UniqueConstraint(fields=["federation", "number"], name="finance_unique_account")]
        verbose_name = _("konto")
        verbose_name_plural = _("konton")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Dimension(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="dimensions")
    number = models.PositiveIntegerField(_("dimension"))
    name = models.CharField(_("benämning"), max_length=200, blank=True)
    parent = models.PositiveIntegerField(_("överordnad dimension"), null=True, blank=True)  # #UNDERDIM

    class Meta:
        ordering = ["federation", "number"]
        constraints = [models.UniqueConstraint(fields=["federation", "number"], name="finance_unique_dimension")]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensioner")

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class DimensionObject(models.Model):
    """An object of a dimension: an activity (81141 IT), a project, a cost centre."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="dimension_objects")
    dimension = models.PositiveIntegerField(_("dimension"))
    code = models.CharField(_("kod"), max_length=40)
    name = models.CharField(_("benämning"), max_length=200, blank=True)

    class Meta:
        ordering = ["federation", "dimension", "code"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "dimension", "code"], name="finance_unique_object")
        ]
        verbose_name = _("objekt")
        verbose_name_plural = _("objekt")

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class BalanceKind(models.TextChoices):
    OPENING = "IB", _("Ingående balans")
    CLOSING = "UB", _("Utgående balans")
    RESULT = "RES", _("Resultat")
    OBJECT_OPENING = "OIB", _("Ingående balans för objekt")
    OBJECT_CLOSING = "OUB", _("Utgående balans för objekt")
    PERIOD = "PSALDO", _("Periodsaldo")


class Balance(models.Model):
    """A balance record of the file as written, for year 0 and earlier years (`-1`)."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="balances")
    kind = models.CharField(_("slag"), max_length=6, choices=BalanceKind.choices)
    year_offset = models.SmallIntegerField(_("årsnummer"))  # 0 = this year, -1 = the year before
    period = models.PositiveIntegerField(_("period (ÅÅÅÅMM)"), null=True, blank=True)
    account = models.CharField(_("konto"), max_length=20)
    activity = models.CharField(_("verksamhet"), max_length=40, blank=True)
    object_list = models.CharField(_("objekt"), max_length=400, blank=True)  # "1:81141 6:P12", as in the file
    amount = MoneyField(_("belopp"))
    quantity = models.DecimalField(_("kvantitet"), max_digits=18, decimal_places=4, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["fiscal_year", "kind", "year_offset"])]
        verbose_name = _("saldo")
        verbose_name_plural = _("saldon")

    def __str__(self) -> str:
        return f"{self.kind} {self.account} {self.amount}"


class Voucher(models.Model):
    # db_constraint=False: written and deleted only by the ledger import, see Transaction.
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="vouchers", db_constraint=False)
    series = models.CharField(_("serie"), max_length=20, blank=True)
    number = models.CharField(_("nummer"), max_length=20, blank=True)
    date = models.DateField(_("datum"))
    text = models.CharField(_("text"), max_length=400, blank=True)
    registered = models.DateField(_("registrerad"), null=True, blank=True)
    line = models.PositiveIntegerField(_("rad i filen"))

    class Meta:
        ordering = ["fiscal_year", "date", "series", "number"]
        verbose_name = _("verifikation")
        verbose_name_plural = _("verifikationer")

    def __str__(self) -> str:
        return f"{self.series}{self.number} {self.date}"


class TransactionKind(models.TextChoices):
    NORMAL = "", _("Transaktion")
    ADDED = "added", _("Tillagd rad (#RTRANS)")
    REMOVED = "removed", _("Struken rad (#BTRANS)")


class Transaction(models.Model):
    """A voucher line. Account, activity, project and period are repeated here (not looked up
    through the voucher) so that a million lines sum by one index scan."""

    # No database FK constraint on these two (db_constraint=False): a checked FK costs a trigger
    # per row, ~20 s for the million lines of one import. Only the ledger import writes and
    # deletes these rows, a year at a time in one transaction (finance.services.ledger); Django
    # still cascades deletes of a voucher or year. No index of its own on fiscal_year either:
    # the index below starts with it.
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="transactions", db_constraint=False, db_index=False
    )
    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="transactions", db_constraint=False)
    kind = models.CharField(_("slag"), max_length=7, choices=TransactionKind.choices, default="", blank=True)
    account = models.CharField(_("konto"), max_length=20)
    activity = models.CharField(_("verksamhet"), max_length=40, blank=True)
    project = models.CharField(_("projekt"), max_length=40, blank=True)
    object_list = models.CharField(_("objekt"), max_length=400, blank=True)
    period = models.PositiveIntegerField(_("period (ÅÅÅÅMM)"))
    date = models.DateField(_("datum"))
    amount = MoneyField(_("belopp"))
    quantity = models.DecimalField(_("kvantitet"), max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.CharField(_("text"), max_length=400, blank=True)
    line = models.PositiveIntegerField(_("rad i filen"))

    class Meta:
        indexes = [models.Index(fields=["fiscal_year", "account", "activity", "period"])]
        verbose_name = _("transaktion")
        verbose_name_plural = _("transaktioner")

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"


class BudgetKind(models.TextChoices):
    ADOPTED = "adopted", _("Fastställd")
    REVISED = "revised", _("Reviderad")


class Budget(models.Model):
    """A named budget version of one year (the adopted budget, a revised one …)."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("år"))
    name = models.CharField(_("namn"), max_length=100)
    kind = models.CharField(_("slag"), max_length=10, choices=BudgetKind.choices, default=BudgetKind.ADOPTED)
    source = models.CharField(_("källa"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["federation", "-year", "name"]
        constraints = [models.UniqueConstraint(fields=["federation", "year", "name"], name="finance_unique_budget")]
        verbose_name = _("budget")
        verbose_name_plural = _("budgetar")

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class BudgetLine(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    account = models.CharField(_("konto"), max_length=20)
    activity = models.CharField(_("verksamhet"), max_length=40, blank=True)
    month = models.PositiveSmallIntegerField(_("månad"))  # 1–12
    amount = MoneyField(_("belopp"))  # signed as the ledger: income negative (credit), costs positive

    class Meta:
        indexes = [models.Index(fields=["budget", "activity", "account"])]
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")

    def __str__(self) -> str:
        return f"{self.account} {self.activity} {self.month}: {self.amount}"


class Forecast(models.Model):
    """The year-end forecast of one activity (and, optionally, one report line) made at a
    follow-up (`as_of_month` = the last month of the period followed up: 4 for T1, 8 for T2)."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="forecasts")
    year = models.PositiveSmallIntegerField(_("år"))
    as_of_month = models.PositiveSmallIntegerField(_("prognos efter månad"))
    activity = models.CharField(_("verksamhet"), max_length=40)
    line = models.CharField(_("rad"), max_length=30, blank=True)  # blank = the activity's net result
    amount = MoneyField(_("prognos för helåret"))  # report sign: income positive, costs negative
    comment = models.TextField(_("kommentar"), blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["federation", "-year", "as_of_month", "activity", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "year", "as_of_month", "activity", "line"], name="finance_unique_forecast"
            )
        ]
        verbose_name = _("prognos")
        verbose_name_plural = _("prognoser")

    def __str__(self) -> str:
        return f"{self.activity} {self.year}/{self.as_of_month}: {self.amount}"


class InvestmentProject(models.Model):
    """An investment project or depreciation class, an object of the project dimension."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="investment_projects")
    code = models.CharField(_("projektkod"), max_length=40)
    name = models.CharField(_("benämning"), max_length=200)
    depreciation_years = models.PositiveSmallIntegerField(_("avskrivningstid (år)"), null=True, blank=True)

    class Meta:
        ordering = ["federation", "code"]
        constraints = [models.UniqueConstraint(fields=["federation", "code"], name="finance_unique_project")]
        verbose_name = _("investeringsprojekt")
        verbose_name_plural = _("investeringsprojekt")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Appropriation(models.Model):
    """A project's appropriation for one year: annual budget + extra granted + carried over."""

    project = models.ForeignKey(InvestmentProject, on_delete=models.CASCADE, related_name="appropriations")
    year = models.PositiveSmallIntegerField(_("år"))
    budget = MoneyField(_("årsbudget"), default=0)
    extra_granted = MoneyField(_("extra beviljat"), default=0)
    carried_over = MoneyField(_("överfört från föregående år"), default=0)
    forecast = MoneyField(_("prognos för helåret"), null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        ordering = ["project", "-year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="finance_unique_appropriation")]
        verbose_name = _("investeringsanslag")
        verbose_name_plural = _("investeringsanslag")

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class AccountMapping(models.Model):
    """Accounts `first`–`last` (inclusive, compared as account numbers) belong to a report line.
    The narrowest range containing an account wins; the default rows come from
    `finance/data/kommunbas_mapping.csv`, copied per federation and editable."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="account_mappings")
    first = models.CharField(_("från konto"), max_length=20)
    last = models.CharField(_("till konto"), max_length=20)
    line = models.CharField(_("rad"), max_length=40)

    class Meta:
        ordering = ["federation", "first", "last"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "first", "last"], name="finance_unique_mapping_range")
        ]
        verbose_name = _("kontomappning")
        verbose_name_plural = _("kontomappningar")

    def __str__(self) -> str:
        return f"{self.first}–{self.last} → {self.line}"
