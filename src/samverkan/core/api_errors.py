"""One DRF exception handler: every refusal and every invalid input answers the same way.

Services raise Django's ValidationError (→ 400) and PermissionDenied (→ 403); the domain raises
`DomainError` subclasses (→ 400). Views call services directly; this handler turns what they
raise into DRF's uniform error bodies, so no view needs a try/except of its own.

`BoundedJSONParser` (the default parser) reads request bodies: JSON nested deeper than
`MAX_JSON_DEPTH` is a 400, never the RecursionError of Python's json module (a 500); a body
over `DATA_UPLOAD_MAX_MEMORY_SIZE` is a 413.
"""

from __future__ import annotations

import json
import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser

from samverkan.domain.errors import DomainError

# No body of the API nests deeper than a handful of levels (rows of objects of lists).
MAX_JSON_DEPTH = 32


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def exception_handler(exc, context):
    # imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES, which names this module
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, DomainError):
        exc = exceptions.ValidationError([str(exc)])
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(_("Förfrågan är för stor."))
    return drf_exception_handler(exc, context)


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with limits on size, nesting (measured without recursion) and numbers.

    DRF reads a JSON body from the request stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    check on `request.body`, so the size is checked here. NaN and Infinity are refused, and so
    are numbers a float or an id cannot hold (1e999999999 became an infinite float that a
    related field turned into a 500): every number is read by the fields' own parsers later."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if limit else stream.read()
        if limit and len(body) > limit:
            raise PayloadTooLarge(_("Förfrågan är för stor."))
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        too_deep = exceptions.ParseError(
            _("JSON-data är nästlat för djupt (högst %(depth)d nivåer).") % {"depth": MAX_JSON_DEPTH}
        )
        try:
            data = json.loads(body.decode(encoding), parse_constant=_refuse, parse_float=_float, parse_int=_int)
        except RecursionError:
            raise too_deep from None
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors too
            raise exceptions.ParseError(_("Ogiltig JSON: %(reason)s") % {"reason": _reason(exc)}) from None
        pending = [(data, 1)]
        while pending:
            value, depth = pending.pop()
            if isinstance(value, (dict, list)):
                if depth > MAX_JSON_DEPTH:
                    raise too_deep
                children = value.values() if isinstance(value, dict) else value
                pending.extend((child, depth + 1) for child in children)
        return data


MAX_JSON_NUMBER = 40  # characters of a number in a JSON body; the fields bound them further


class _NumberRefused(ValueError):
    pass


def _refuse(constant: str):
    raise _NumberRefused(_("%(constant)s är inte ett tal") % {"constant": constant})


def _float(text: str) -> float:
    number = float(text)
    if len(text) > MAX_JSON_NUMBER or not math.isfinite(number):
        raise _NumberRefused(_("talet %(number)s är för stort eller har för många siffror") % {"number": text[:20]})
    return number


def _int(text: str) -> int:
    if len(text) > MAX_JSON_NUMBER:
        raise _NumberRefused(_("talet %(number)s… har för många siffror") % {"number": text[:20]})
    return int(text)


def _reason(exc: ValueError) -> str:
    if isinstance(exc, _NumberRefused):
        return str(exc)
    if isinstance(exc, json.JSONDecodeError):
        return _("fel på rad %(line)d, tecken %(column)d") % {"line": exc.lineno, "column": exc.colno}
    return _("texten är inte %(encoding)s") % {"encoding": "UTF-8"}
