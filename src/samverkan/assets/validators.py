"""The limits of an asset's fields: one rule per field, used by the model (and so the form, the
API's serializer and every service through ``full_clean``), the register importer, and the
database's check constraints as the last line.

A value the page would refuse is refused by the API and the importer alike, and nothing is stored
that a page or the API could not show afterwards: the purchase value fits the 15 digits every
amount is shown with, and the depreciation schedule of a purchase date stays inside the
calendar Python can compute (year 9999).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_PURCHASE, LATEST_PURCHASE = date(1900, 1, 1), date(2200, 12, 31)
VALUE_DIGITS, VALUE_DECIMALS = 15, 2
MAX_PURCHASE_VALUE = Decimal("9999999999999.99")  # 15 digits with öre, like every amount shown


def validate_purchase_date(value: date) -> None:
    if not EARLIEST_PURCHASE <= value <= LATEST_PURCHASE:
        raise ValidationError(_("Ange ett anskaffningsdatum mellan 1900 och 2200."), code="purchase_date_range")


def validate_purchase_value(value: Decimal) -> None:
    if not value.is_finite() or not Decimal(0) <= value <= MAX_PURCHASE_VALUE:
        raise ValidationError(
            _("Anskaffningsvärdet ska vara mellan 0 och 9 999 999 999 999,99 kr."), code="purchase_value_range"
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("Anskaffningsvärdet får ha högst två decimaler."), code="purchase_value_decimals")
