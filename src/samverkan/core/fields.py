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

from django.core.exceptions import ValidationError
from django.db import models

from samverkan.domain.money import from_ore, to_decimal, to_ore


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
