"""Invoice runs, invoices, their lines and the gapless number series.

Invariants the database holds, not only the services:

* ``InvoiceLine.source_key`` is unique: the same order, subscription month-range,
  ticket-hour batch or allocation share can never be billed twice, whatever runs overlap
  (credit-note lines use ``credit:<line id>`` keys, so a line is credited at most once).
* An issued invoice's number is unique per federation and series; numbers come from a
  ``NumberSeries`` row locked with ``select_for_update`` and are given only at issue, so
  there are no gaps from discarded previews.
* Issued invoices and their lines never change: the services refuse, and on PostgreSQL and
  SQLite triggers (migrations 0002 and 0003) reject UPDATE and DELETE of issued rows.
* Invoice dates follow the numbers: ``NumberSeries.last_date`` is the date of the last
  number given, and a later number is never given an earlier date.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.catalogue.models import CatalogueItem, VatCodeChoice
from samverkan.core.fields import MoneyField
from samverkan.members.models import Department, Federation, Member

TIMING_CHOICES = [("arrears", _("i efterskott")), ("advance", _("i förskott"))]
# domain.billing_frequency.Frequency: which runs bill a line (see that module).
FREQUENCY_CHOICES = [
    ("M", _("månadsvis")),
    ("Q", _("kvartalsvis")),
    ("T", _("tertialvis")),
    ("H", _("halvårsvis")),
    ("Y", _("årsvis")),
]


class BillingProfile(models.Model):
    """Per-federation settings: ledger accounts, series, payment terms, split per reference, timing."""

    federation = models.OneToOneField(Federation, on_delete=models.CASCADE, related_name="billing_profile")
    invoice_series = models.CharField(_("fakturaserie"), max_length=10, default="F")
    credit_series = models.CharField(_("kreditfakturaserie"), max_length=10, default="K")
    payment_days = models.PositiveSmallIntegerField(_("betalningsvillkor (dagar)"), default=30)
    receivable_account = models.CharField(_("kundfordringskonto"), max_length=10, default="1510")
    vat_account_25 = models.CharField(_("utgående moms 25 %"), max_length=10, default="2611")
    vat_account_12 = models.CharField(_("utgående moms 12 %"), max_length=10, default="2621")
    vat_account_6 = models.CharField(_("utgående moms 6 %"), max_length=10, default="2631")
    rounding_account = models.CharField(_("öresavrundning"), max_length=10, default="3740")
    allocation_account = models.CharField(
        _("intäktskonto för medlemsavgifter/kostnadsandelar"), max_length=10, default="3600"
    )
    allocation_activity = models.CharField(_("verksamhet för medlemsavgifter"), max_length=20, blank=True)
    activity_names = models.JSONField(_("verksamheternas namn (SIE-objekt)"), default=dict, blank=True)
    sie_series = models.CharField(_("verifikationsserie i SIE"), max_length=4, default="F")
    sie_per_run = models.BooleanField(_("en verifikation per körning"), default=False)
    round_to_krona = models.BooleanField(_("öresavrundning till hela kronor"), default=False)
    timing = models.CharField(
        _("fakturering"),
        max_length=10,
        choices=TIMING_CHOICES,
        default="arrears",
        help_text=_("Förval för nya körningar. I efterskott kan en period faktureras först när den har slutat."),
    )
    advance_days = models.PositiveSmallIntegerField(
        _("förskott: dagar före periodens början"),
        default=31,
        validators=[MaxValueValidator(366)],
        help_text=_(
            "En körning i förskott får skapas högst så många dagar innan perioden börjar; "
            "fakturadatumet får ligga högst så många dagar fram i tiden."
        ),
    )
    default_frequency = models.CharField(
        _("faktureringsfrekvens"),
        max_length=1,
        choices=FREQUENCY_CHOICES,
        default="M",
        help_text=_(
            "Förval för tjänster och verksamheter utan egen frekvens. Kvartalsvisa rader faktureras av "
            "körningen som avslutar kvartalet, tertialvisa av körningen som avslutar tertialet."
        ),
    )

    four_eyes = models.BooleanField(
        _("godkänna och utfärda kräver två olika personer"),
        default=False,
        help_text=_("Den som godkände en körning får då inte utfärda den."),
    )
    change_warning_percent = models.PositiveSmallIntegerField(
        _("varna när körningens summa ändras mer än (%)"),
        default=25,
        validators=[MaxValueValidator(1000)],
        help_text=_("Jämförs med den senaste utfärdade körningen av samma slag."),
    )

    class Meta:
        verbose_name = _("faktureringsinställningar")

    def __str__(self) -> str:
        return f"{self.federation}"


class MemberBillingSetting(models.Model):
    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="billing_setting")
    per_reference = models.BooleanField(_("en faktura per fakturareferens"), default=False)
    buyer_reference = models.CharField(
        _("fakturareferens för samlingsfaktura"),
        max_length=100,
        blank=True,
        help_text=_("Köparens referens när medlemmen får en faktura för alla förvaltningar (tomt: kommunkoden)."),
    )

    def __str__(self) -> str:
        return f"{self.member}"


class NumberSeries(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)
    # Invoice date of the number ``last``: a later number never gets an earlier date.
    last_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["federation", "series", "year"], name="number_series_unique")]

    def __str__(self) -> str:
        return f"{self.series}{self.year}: {self.last}"


class RunStatus(models.TextChoices):
    PREVIEW = "preview", _("Förhandsgranskning")
    APPROVED = "approved", _("Godkänd")
    ISSUED = "issued", _("Utfärdad")


class InvoiceRun(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="invoice_runs")
    period = models.CharField(_("period"), max_length=10)
    timing = models.CharField(_("fakturering"), max_length=10, choices=TIMING_CHOICES)
    prorata_rule = models.CharField(
        _("delperiod"), max_length=15, choices=[("days", _("per dag")), ("whole_months", _("påbörjad månad"))]
    )
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PREVIEW)
    issue_date = models.DateField(_("fakturadatum"))
    due_date = models.DateField(_("förfallodatum"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("anteckning"), blank=True)

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("fakturakörning")
        verbose_name_plural = _("fakturakörningar")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """What the run is, for lists, pickers and titles: "Fakturakörning 2026-Q1 – i efterskott, utfärdad"."""
        return _("Fakturakörning %(period)s – %(timing)s, %(status)s") % {
            "period": self.period,
            "timing": self.get_timing_display(),
            "status": self.get_status_display().lower(),
        }


class DocumentKind(models.TextChoices):
    INVOICE = "380", _("Faktura")
    CREDIT_NOTE = "381", _("Kreditfaktura")


class Invoice(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="invoices")
    run = models.ForeignKey(InvoiceRun, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(_("typ"), max_length=3, choices=DocumentKind.choices, default=DocumentKind.INVOICE)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="invoices")
    invoice_reference = models.CharField(_("fakturareferens"), max_length=100, blank=True)
    order_reference = models.CharField(_("ordernummer"), max_length=40, blank=True)
    vat_scope = models.CharField(max_length=1, default="V")
    series = models.CharField(_("serie"), max_length=10, blank=True)
    number = models.CharField(_("fakturanummer"), max_length=20, null=True, blank=True)
    issued = models.BooleanField(_("utfärdad"), default=False)
    issue_date = models.DateField(_("fakturadatum"))
    due_date = models.DateField(_("förfallodatum"))
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    net = MoneyField(_("netto"), default=0)
    vat = MoneyField(_("moms"), default=0)
    rounding = MoneyField(_("öresavrundning"), default=0)
    total = MoneyField(_("att betala"), default=0)
    credits = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes")
    note = models.TextField(_("meddelande"), blank=True)
    # The Peppol/EN 16931 verdict on a draft, made in the background after the preview
    # (billing.peppol.verdicts): None = not checked; it holds only while the digest of what the
    # document is made of still matches (a changed draft, member or profile loses it).
    peppol_valid = models.BooleanField(_("giltig e-faktura"), null=True, blank=True, editable=False)
    # Nullable without a default: SQLite adds such a column in place (a rebuilt table would lose its triggers).
    peppol_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    peppol_findings = models.TextField(_("fel i e-fakturan"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-issue_date", "number", "pk"]
        verbose_name = _("faktura")
        verbose_name_plural = _("fakturor")
        constraints = [
            models.UniqueConstraint(fields=["federation", "number"], name="invoice_number_unique"),
            models.CheckConstraint(
                condition=Q(issued=False) | Q(number__isnull=False), name="issued_invoice_has_number"
            ),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.INVOICE) | Q(credits__isnull=False), name="credit_note_references_invoice"
            ),
            models.CheckConstraint(
                condition=Q(total=models.F("net") + models.F("vat") + models.F("rounding")),
                name="invoice_total_adds_up",
            ),
            models.UniqueConstraint(
                fields=["run", "member", "invoice_reference", "vat_scope"], name="one_draft_per_key"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"({_('utkast')} {self.pk})"

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.CREDIT_NOTE


class SourceType(models.TextChoices):
    ORDER = "order", _("Beställning")
    SUBSCRIPTION = "subscription", _("Abonnemang")
    HOURS = "hours", _("Tid på ärenden")
    ALLOCATION = "allocation", _("Fördelning")
    CREDIT = "credit", _("Kreditering")
    MANUAL = "manual", _("Manuell rad")


class InvoiceLine(models.Model):
    """A billable line; it belongs to a run from gathering and to an invoice once grouped."""

    # No per-row database FK check on a line (migration 0007): a run inserts up to millions of lines,
    # and each deferred constraint is a trigger call per row at commit. On PostgreSQL one check per
    # statement (transition tables) refuses a line whose run or invoice does not exist, and deleting
    # a run or invoice that still has lines; member and item carry no index either: both come from rows
    # the run has just read (orders, subscriptions, the catalogue) and are never deleted (PROTECT).
    run = models.ForeignKey(
        InvoiceRun, null=True, blank=True, on_delete=models.PROTECT, related_name="lines", db_constraint=False
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="lines", db_constraint=False
    )
    member = models.ForeignKey(
        Member, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    invoice_reference = models.CharField(max_length=100, blank=True)
    source_type = models.CharField(max_length=12, choices=SourceType.choices)
    source_id = models.BigIntegerField(null=True, blank=True)
    source_key = models.CharField(max_length=80, unique=True)
    item = models.ForeignKey(
        CatalogueItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    description = models.CharField(_("beskrivning"), max_length=300)
    quantity = models.DecimalField(_("antal"), max_digits=14, decimal_places=4)
    unit_code = models.CharField(max_length=3, default="C62")
    unit_price = MoneyField(_("á-pris"))
    net = MoneyField(_("belopp"))
    vat_code = models.CharField(_("momskod"), max_length=2, choices=VatCodeChoice.choices)
    revenue_account = models.CharField(max_length=10)
    activity = models.CharField(max_length=20, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    order_number = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["invoice", "item", "pk"]
        # Few indexes on purpose: a run inserts up to millions of lines; source_key (unique),
        # run and invoice cover every lookup the services make. Order lines — the millions — are
        # found by their key (``gather.order_key_sql``), so this index leaves them out.
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="line_source_idx", condition=~Q(source_type="order"))
        ]

    def __str__(self) -> str:
        return self.description


class FrequencyRule(models.Model):
    """How often one service (catalogue item) or one activity is invoiced; the item's rule wins."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        CatalogueItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("tjänst")
    )
    activity = models.CharField(_("verksamhet (kostnadsställe)"), max_length=20, blank=True)
    frequency = models.CharField(_("faktureringsfrekvens"), max_length=1, choices=FREQUENCY_CHOICES)

    class Meta:
        ordering = ["activity", "item__name"]
        verbose_name = _("faktureringsfrekvens")
        constraints = [
            models.CheckConstraint(
                condition=(Q(item__isnull=False) & Q(activity="")) | (Q(item__isnull=True) & ~Q(activity="")),
                name="frequency_rule_item_or_activity",
            ),
            models.UniqueConstraint(
                fields=["federation", "item"], condition=Q(item__isnull=False), name="frequency_rule_item_unique"
            ),
            models.UniqueConstraint(
                fields=["federation", "activity"], condition=~Q(activity=""), name="frequency_rule_activity_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item or self.activity}: {self.get_frequency_display()}"


class ManualLineStatus(models.TextChoices):
    PENDING = "pending", _("Att attestera")
    APPROVED = "approved", _("Attesterad")
    WITHDRAWN = "withdrawn", _("Återkallad")


class ManualLine(models.Model):
    """A line an economist types in; billed (``manual:<id>``) only once someone else has approved it."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("medlem"))
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("förvaltning")
    )
    description = models.CharField(_("text"), max_length=300)
    quantity = models.DecimalField(_("antal"), max_digits=14, decimal_places=4)
    unit_price = MoneyField(_("á-pris"))
    vat_code = models.CharField(_("momskod"), max_length=2, choices=VatCodeChoice.choices)
    revenue_account = models.CharField(_("intäktskonto"), max_length=10)
    activity = models.CharField(_("verksamhet (kostnadsställe)"), max_length=20, blank=True)
    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(
        _("status"), max_length=10, choices=ManualLineStatus.choices, default=ManualLineStatus.PENDING
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("manuell fakturarad")
        verbose_name_plural = _("manuella fakturarader")
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="manual_line_quantity_not_zero"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="manual_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description


class BilledTimeEntry(models.Model):
    """A ticket time entry (``portal.TimeEntry``) and the invoice line that billed it.

    Unique per entry, so time is billed once whichever run picks it up: time reported after its
    period's run is billed by the next run. Plain ids without database constraints (as on
    ``InvoiceLine.member``): the portal is another app, and a discarded run deletes its rows first.
    """

    time_entry_id = models.BigIntegerField(unique=True)
    line = models.ForeignKey(
        InvoiceLine, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=True
    )

    def __str__(self) -> str:
        return f"{self.time_entry_id} → {self.line_id}"
