"""Money stored as integer öre in every database, read back as Decimal kronor.

SQLite has no exact decimal type (NUMERIC columns turn 0.1 into a float), so the only
representation that is exact on both SQLite and PostgreSQL is an integer count of öre.

In SQL the column *is* öre. Arithmetic in queries must therefore combine money columns with
each other or with `money("12.50")` (a literal converted to öre); `F("amount") + Decimal("0.05")`
would add 0.05 öre. Öre × a decimal quantity can give fractions of an öre, and Django reads an
integer-typed expression with int(), which truncates: wrap such arithmetic in `Round(...)`
(SQL rounds half away from zero) before `ExpressionWrapper(..., output_field=MoneyField())`.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.domain.money import from_ore, to_decimal, to_ore
from samverkan.domain.numbers import NumberError, parse_decimal, parse_ratio

# The largest file an importer reads (its form states the limit; the CLI reads files of any size
# line by line). Each importer may pass a smaller `max_bytes` to `UploadField`.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class MoneyField(models.BigIntegerField):
    description = "Amount in SEK stored as integer öre"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if isinstance(value, int):
            return from_ore(value)
        # Only raw SQL arithmetic yields non-integers here; round half up to whole öre.
        return from_ore(int(Decimal(str(value)).to_integral_value(rounding=ROUND_HALF_UP)))

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return to_decimal(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(str(exc), code="invalid") from exc

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        if hasattr(value, "resolve_expression"):
            return value
        try:
            return to_ore(to_decimal(value))
        except (TypeError, ValueError) as exc:
            raise ValidationError(str(exc), code="invalid") from exc

    def formfield(self, **kwargs):
        from django import forms

        defaults = {"form_class": forms.DecimalField, "max_digits": 15, "decimal_places": 2}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)


def money(value) -> models.Value:
    """A money literal for query expressions, converted to öre like a MoneyField value."""
    return models.Value(to_decimal(value), output_field=MoneyField())


def register_money_serializer_field() -> None:
    """Make every DRF ModelSerializer show MoneyField as a decimal string ("95122.00").

    Without this DRF maps the underlying BigIntegerField to an integer and drops the öre.
    """
    from rest_framework import serializers

    class MoneySerializerField(serializers.DecimalField):
        def __init__(self, **kwargs):
            kwargs.pop("min_value", None)  # the öre range of BigIntegerField, meaningless in kronor
            kwargs.pop("max_value", None)
            kwargs.setdefault("max_digits", 15)
            kwargs.setdefault("decimal_places", 2)
            kwargs.setdefault("coerce_to_string", True)
            super().__init__(**kwargs)

    serializers.ModelSerializer.serializer_field_mapping[MoneyField] = MoneySerializerField


# ---- form fields for numbers and uploads ----------------------------------------------------


class NumberFormField(forms.CharField):
    """A decimal typed on a page, read by the one number parser (`samverkan.domain.numbers`):
    "1 234,56" and "1234.56", bounded digits, decimals and range, no exponent, NaN or Infinity."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def __init__(
        self,
        *,
        max_digits: int = 15,
        decimal_places: int = 2,
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        above: Decimal | int | None = None,
        **kwargs: Any,
    ) -> None:
        self.limits = {
            "max_digits": max_digits,
            "max_decimals": decimal_places,
            "minimum": min_value,
            "maximum": max_value,
            "above": above,
        }
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_decimal(text, **self.limits)
        except NumberError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        return format(value, "f").replace(".", ",") if isinstance(value, Decimal) else value


class RatioFormField(forms.CharField):
    """A share typed on a page: "0,8" or "80 %" (never a bare "80"); the cleaned value is a ratio."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def __init__(self, *, min_value: Decimal | int = 0, max_value: Decimal | int = 1, **kwargs: Any) -> None:
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("help_text", gettext_lazy("Andel (0,8) eller procent med % (80 %)."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_ratio(text, minimum=self.min_value, maximum=self.max_value)
        except NumberError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return f"{(Decimal(value) * 100).normalize():f}".replace(".", ",") + "\u00a0%"
        return value


class UploadField(forms.FileField):
    """An importer's file, refused over `max_bytes`; the limit is stated under the field."""

    def __init__(self, *, max_bytes: int = MAX_UPLOAD_BYTES, **kwargs: Any) -> None:
        self.max_bytes = max_bytes
        kwargs["help_text"] = lazy(_with_limit, str)(kwargs.pop("help_text", ""), max_bytes)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if file and file.size > self.max_bytes:
            raise ValidationError(
                _("Filen är för stor (%(size)s); högst %(limit)s.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(self.max_bytes)},
                code="too_large",
            )
        return file


def _with_limit(help_text: str, max_bytes: int) -> str:
    return f"{help_text} {_('Högst %(size)s.') % {'size': filesizeformat(max_bytes)}}".strip()
