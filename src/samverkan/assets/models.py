"""The inventory register: equipment the federation owns, who holds it, what it is worth.

Book value and depreciation are not stored: they follow from purchase value, date and
class through ``samverkan.domain.depreciation`` on whatever date is asked for.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.assets.validators import (
    EARLIEST_PURCHASE,
    LATEST_PURCHASE,
    MAX_PURCHASE_VALUE,
    validate_purchase_date,
    validate_purchase_value,
)
from samverkan.core.fields import MoneyField
from samverkan.domain.depreciation import DEPRECIATION_CLASSES


class AssetType(models.TextChoices):
    PC = "pc", _("Dator")
    PHONE = "phone", _("Mobiltelefon")
    TABLET = "tablet", _("Surfplatta")
    SITHS = "siths", _("SITHS-kort")
    NETWORK = "network", _("Nätverksutrustning")
    MONITOR = "monitor", _("Skärm")
    PRINTER = "printer", _("Skrivare")
    OTHER = "other", _("Övrigt")


class AssetStatus(models.TextChoices):
    IN_STOCK = "in_stock", _("I lager")
    IN_USE = "in_use", _("I användning")
    IN_REPAIR = "in_repair", _("På reparation")
    RETURNED = "returned", _("Återlämnad för återbruk")
    DISPOSED = "disposed", _("Utrangerad")


class Asset(models.Model):
    federation = models.ForeignKey("members.Federation", on_delete=models.PROTECT, related_name="assets")
    inventory_number = models.CharField(_("inventarienummer"), max_length=30)
    asset_type = models.CharField(_("typ"), max_length=10, choices=AssetType.choices)
    description = models.CharField(_("beskrivning"), max_length=200, blank=True)
    serial_number = models.CharField(_("serienummer"), max_length=100, blank=True)
    purchase_date = models.DateField(_("anskaffningsdatum"), validators=[validate_purchase_date])
    purchase_value = MoneyField(_("anskaffningsvärde"), validators=[validate_purchase_value])
    depreciation_years = models.PositiveSmallIntegerField(
        _("avskrivningstid (år)"), choices=[(y, format_lazy(_("{} år"), y)) for y in DEPRECIATION_CLASSES]
    )
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("medlem"),
    )
    department = models.ForeignKey(
        "members.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("förvaltning"),
    )
    holder_name = models.CharField(_("innehavare (person)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.IN_STOCK)
    status_reason = models.CharField(_("anledning"), max_length=300, blank=True)
    disposed_on = models.DateField(_("utrangerad"), null=True, blank=True)
    # Catalogue subscriptions point to assets by plain id; we mirror it the same way.
    subscription_id = models.PositiveIntegerField(_("abonnemang-id"), null=True, blank=True)
    tickets = models.ManyToManyField("portal.Ticket", blank=True, related_name="assets", verbose_name=_("ärenden"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["inventory_number"]
        verbose_name = _("inventarie")
        verbose_name_plural = _("inventarier")
        constraints = [
            models.UniqueConstraint(fields=["federation", "inventory_number"], name="asset_number_unique"),
            models.CheckConstraint(
                condition=Q(depreciation_years__in=DEPRECIATION_CLASSES), name="asset_depreciation_class"
            ),
            models.CheckConstraint(
                condition=Q(purchase_value__gte=0, purchase_value__lte=MAX_PURCHASE_VALUE), name="asset_value_range"
            ),
            models.CheckConstraint(
                condition=Q(purchase_date__gte=EARLIEST_PURCHASE, purchase_date__lte=LATEST_PURCHASE),
                name="asset_purchase_date_range",
            ),
            models.CheckConstraint(
                condition=(Q(status="disposed") & Q(disposed_on__isnull=False))
                | (~Q(status="disposed") & Q(disposed_on__isnull=True)),
                name="asset_disposed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(department__isnull=True) | Q(member__isnull=False), name="asset_department_needs_member"
            ),
        ]
        indexes = [models.Index(fields=["federation", "member", "status"], name="asset_register_idx")]

    def __str__(self) -> str:
        return f"{self.inventory_number} {self.description}".strip()


# What a user may set on an asset, in the form, the API and ``asset_update`` alike. The status
# fields are left out on purpose: they move only through ``asset_change_status``.
ASSET_EDITABLE_FIELDS = (
    "inventory_number",
    "asset_type",
    "description",
    "serial_number",
    "purchase_date",
    "purchase_value",
    "depreciation_years",
    "member",
    "department",
    "holder_name",
    "subscription_id",
)


class AssetEvent(models.Model):
    """One change of an asset: what changed from what to what, by whom, and why."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_repr = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.action} {self.at:%Y-%m-%d}"
