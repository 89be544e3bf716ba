"""Service catalogue, price-list versions, orders and subscriptions.

A price belongs to a version with validity dates, so a price change from 1 January never
touches last year's charges: billing looks the price up on the delivery date (orders) or
per month (subscriptions). Orders carry the department's invoice reference as it was when
ordered; it becomes the buyer reference of the e-invoice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.core.fields import MoneyField
from samverkan.members.models import Department, Federation, Member, Service


class PriceUnit(models.TextChoices):
    ONE_OFF = "one_off", _("engångsavgift")
    MONTH = "month", _("per månad")
    QUARTER = "quarter", _("per kvartal")
    USER_YEAR = "user_year", _("per användare och år")
    HOUR = "hour", _("per timme")
    ITEM = "item", _("per styck")


# Months one price unit covers, for recurring units; one-off/hour/item are billed on delivery.
RECURRING_MONTHS = {PriceUnit.MONTH: 1, PriceUnit.QUARTER: 3, PriceUnit.USER_YEAR: 12}
# UN/ECE Recommendation 20 unit codes for the e-invoice.
UNIT_CODES = {
    PriceUnit.ONE_OFF: "C62",
    PriceUnit.MONTH: "MON",
    PriceUnit.QUARTER: "QAN",
    PriceUnit.USER_YEAR: "ANN",
    PriceUnit.HOUR: "HUR",
    PriceUnit.ITEM: "H87",
}


class VatCodeChoice(models.TextChoices):
    VAT_25 = "25", _("25 % moms")
    VAT_12 = "12", _("12 % moms")
    VAT_6 = "6", _("6 % moms")
    EXEMPT = "E", _("Momsfri")
    OUTSIDE = "O", _("Utanför momsens tillämpningsområde")


class Category(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="catalogue_categories")
    name = models.CharField(_("namn"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        constraints = [models.UniqueConstraint(fields=["federation", "name"], name="catalogue_category_unique")]

    def __str__(self) -> str:
        return self.name


class CatalogueItem(models.Model):
    """A service in the price list ("tjänst i tjänstekatalogen")."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="catalogue_items")
    code = models.SlugField(_("artikelkod"), max_length=40)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items", verbose_name=_("kategori"))
    owner_team = models.CharField(_("ansvarigt team"), max_length=100, blank=True)
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalogue_items",
        verbose_name=_("överlämnad verksamhet"),
        help_text=_("Om angiven får bara medlemmar som överlämnat verksamheten beställa."),
    )
    allowed_members = models.ManyToManyField(
        Member,
        blank=True,
        related_name="+",
        verbose_name=_("får beställas av"),
        help_text=_("Tomt betyder alla medlemmar (med överlämnad verksamhet)."),
    )
    price_unit = models.CharField(_("prisenhet"), max_length=12, choices=PriceUnit.choices)
    requires_approval = models.BooleanField(_("kräver godkännande av medlemskontakt"), default=False)
    order_fields = models.JSONField(
        _("beställningsfält"), default=list, blank=True, help_text=_("Lista av fältrubriker i beställningsformuläret.")
    )
    revenue_account = models.CharField(_("intäktskonto"), max_length=10, default="3510")
    activity = models.CharField(_("verksamhet (kostnadsställe)"), max_length=20, blank=True)
    orderable = models.BooleanField(_("beställningsbar i portalen"), default=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["category__sort_order", "category__name", "name"]
        verbose_name = _("tjänst")
        verbose_name_plural = _("tjänster")
        constraints = [models.UniqueConstraint(fields=["federation", "code"], name="catalogue_item_code_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_recurring(self) -> bool:
        return self.price_unit in RECURRING_MONTHS


# What a user sets on an item, in the form, the API and the services alike.
ITEM_EDITABLE_FIELDS = (
    "code",
    "name",
    "description",
    "category",
    "owner_team",
    "service",
    "allowed_members",
    "price_unit",
    "requires_approval",
    "order_fields",
    "revenue_account",
    "activity",
    "orderable",
    "active",
)


class PriceVersion(models.Model):
    """The price of an item from ``valid_from`` to ``valid_to`` (inclusive; open-ended if empty)."""

    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="prices")
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    unit_price = MoneyField(_("pris (exkl. moms)"))
    vat_code = models.CharField(_("momskod"), max_length=2, choices=VatCodeChoice.choices, default=VatCodeChoice.VAT_25)
    note = models.CharField(_("anteckning"), max_length=200, blank=True)

    class Meta:
        ordering = ["item", "valid_from"]
        verbose_name = _("prisversion")
        constraints = [
            models.UniqueConstraint(fields=["item", "valid_from"], name="price_version_start_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="price_version_ordered",
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.unit_price} från {self.valid_from}"


PRICE_VERSION_FIELDS = ("valid_from", "valid_to", "unit_price", "vat_code", "note")


class OrderStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Väntar på godkännande")
    APPROVED = "approved", _("Godkänd")
    DELIVERED = "delivered", _("Levererad")
    REJECTED = "rejected", _("Avslagen")
    CANCELLED = "cancelled", _("Makulerad")


class Order(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(_("ordernummer"), max_length=20)
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="orders", verbose_name=_("tjänst"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="orders")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="orders")
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ordered_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    quantity = models.DecimalField(_("antal"), max_digits=12, decimal_places=4)
    requested_date = models.DateField(_("önskat leveransdatum"), null=True, blank=True)
    delivery_address = models.CharField(_("leveransadress"), max_length=300, blank=True)
    form_data = models.JSONField(_("uppgifter"), default=dict, blank=True)
    invoice_reference = models.CharField(_("fakturareferens"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    delivered_on = models.DateField(_("levererad"), null=True, blank=True)
    note = models.TextField(_("meddelande"), blank=True)

    class Meta:
        ordering = ["-ordered_at", "-pk"]
        verbose_name = _("beställning")
        verbose_name_plural = _("beställningar")
        constraints = [
            models.UniqueConstraint(fields=["federation", "number"], name="order_number_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_quantity_positive"),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_on__isnull=False), name="order_delivered_has_date"
            ),
        ]
        indexes = [models.Index(fields=["federation", "status", "delivered_on"], name="order_billable_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.item}"

    @property
    def quantity_unit(self) -> str:
        """What the ordered quantity counts: hours for an hourly service, otherwise pieces — two
        phones at a monthly price are "2 st", not "2 månader" (the price unit says per what)."""
        return PriceUnit.HOUR if self.item.price_unit == PriceUnit.HOUR else PriceUnit.ITEM


class Subscription(models.Model):
    """A recurring service (mobile phone/PC as a service, licences, SITHS cards), billed per period."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="subscriptions")
    item = models.ForeignKey(
        CatalogueItem, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("tjänst")
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="subscriptions")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="subscriptions")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="subscriptions")
    start = models.DateField(_("från"))
    end = models.DateField(_("till och med"), null=True, blank=True)
    quantity = models.DecimalField(_("antal"), max_digits=12, decimal_places=4, default=1)
    # The assets module is another app; a plain id keeps the two independent (no migration coupling).
    asset_id = models.PositiveIntegerField(_("inventarie-id"), null=True, blank=True)
    invoice_reference = models.CharField(_("fakturareferens"), max_length=100)
    note = models.CharField(_("anteckning"), max_length=200, blank=True)

    class Meta:
        ordering = ["member", "item", "start"]
        verbose_name = _("abonnemang")
        verbose_name_plural = _("abonnemang")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="subscription_ordered"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="subscription_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item} – {self.department} ({self.start}–{self.end or ''})"


# What a user sets when creating a subscription; member and order follow from department and delivery.
SUBSCRIPTION_FIELDS = ("item", "department", "start", "end", "quantity", "asset_id", "invoice_reference", "note")
# An order in the API (catalogue reads it, the portal places it); what the service sets, not the caller.
ORDER_API_FIELDS = (
    "id",
    "number",
    "item",
    "member",
    "department",
    "quantity",
    "requested_date",
    "delivery_address",
    "form_data",
    "invoice_reference",
    "status",
    "ordered_at",
    "approved_at",
    "delivered_on",
    "note",
)
ORDER_API_READ_ONLY = ("number", "member", "status", "ordered_at", "approved_at", "delivered_on")


class Counter(models.Model):
    """Number series (orders here; invoices in billing use their own): locked with select_for_update."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["federation", "series"], name="catalogue_counter_unique")]

    def __str__(self) -> str:
        return f"{self.series}: {self.last}"
