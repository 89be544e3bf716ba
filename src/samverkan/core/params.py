"""Query parameters read through a serializer, so bad input is a 400 that names the parameter.

Hand-parsed parameters (``int(request.query_params["year"])``) let through years that
``date()`` refuses, integers too large for the database and strings that are not a choice,
each ending as a 500. Declaring them as a serializer also documents them in the OpenAPI
schema: pass the same class to ``@extend_schema(parameters=[...])``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from samverkan.domain.numbers import NumberError, parse_decimal, parse_ratio

# Primary keys are BigAutoField (signed 64 bits on PostgreSQL and SQLite); a larger number
# cannot be sent to the database at all (SQLite: OverflowError, PostgreSQL: out of range).
MAX_ID = 2**63 - 1
MIN_YEAR, MAX_YEAR = 1900, 2200


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """An id in a body or query: a positive integer the database can hold."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def year_field(**kwargs: Any) -> serializers.IntegerField:
    """A calendar year that ``datetime.date`` and the year lookups accept."""
    return serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, **kwargs)


class NumberField(serializers.DecimalField):
    """A decimal in a body or query, read by the one number parser (`samverkan.domain.numbers`):
    Swedish or English writing ("1 234,56", "1234.56", or a JSON number), digits, decimals and
    range bounded, no exponent unless `max_exponent` allows one, never NaN or Infinity; the
    message says in Swedish what is wrong. `above` is an exclusive lower bound."""

    def __init__(self, *, max_exponent: int | None = None, above: Decimal | int | None = None, **kwargs: Any):
        self.max_exponent = max_exponent
        self.above = above
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Decimal:
        try:
            return parse_decimal(
                data,
                max_digits=self.max_digits,
                max_decimals=self.decimal_places,
                minimum=self.min_value,
                maximum=self.max_value,
                above=self.above,
                max_exponent=self.max_exponent,
            )
        except NumberError as exc:
            raise serializers.ValidationError(str(exc), code="invalid") from None


@extend_schema_field(OpenApiTypes.STR)
class RatioField(serializers.Field):
    """A share: a ratio from 0 to 1 ("0.8") or a percentage with a percent sign ("80 %"); never
    a bare "80" or "1.5" (the one rule for targets, shrinkage and occupancy caps)."""

    def __init__(self, *, min_value: Decimal | int = 0, max_value: Decimal | int = 1, **kwargs: Any):
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("help_text", "Andel 0–1 (t.ex. 0.8) eller procent med % (t.ex. 80 %).")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Decimal:
        try:
            return parse_ratio(data, minimum=self.min_value, maximum=self.max_value)
        except NumberError as exc:
            raise serializers.ValidationError(str(exc), code="invalid") from None

    def to_representation(self, value: Decimal) -> str:
        return str(value)


def query_params(serializer_class: type[serializers.Serializer], request, **context: Any) -> dict[str, Any]:
    """The validated query parameters of ``request``; raises ValidationError (400) otherwise."""
    serializer = serializer_class(data=request.query_params, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# ---- pages: a bad parameter falls back to the default (the page still renders) ---------------


def year_or(value: str | None, default: int) -> int:
    """``?ar=`` of a report page: a year in range, else ``default``."""
    try:
        year = int(value or "")
    except ValueError:
        return default
    return year if MIN_YEAR <= year <= MAX_YEAR else default


def id_or_none(value: str | None) -> int | None:
    """An id from a page's query string, or None if it is not one the database could hold."""
    if not value or len(value) > len(str(MAX_ID)) or not value.isascii() or not value.isdigit():
        return None  # (int() refuses strings past 4 300 digits with a ValueError)
    number = int(value)
    return number if 1 <= number <= MAX_ID else None
