"""Query parameters read through a serializer, so bad input is a 400 that names the parameter.

Hand-parsed parameters (``int(request.query_params["year"])``) let through years that
``date()`` refuses, integers too large for the database and strings that are not a choice,
each ending as a 500. Declaring them as a serializer also documents them in the OpenAPI
schema: pass the same class to ``@extend_schema(parameters=[...])``.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

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
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None
