"""One DRF exception handler: every refusal and every invalid input answers the same way.

Services raise Django's ValidationError (→ 400) and PermissionDenied (→ 403); the domain raises
`DomainError` subclasses (→ 400). Views call services directly; this handler turns what they
raise into DRF's uniform error bodies, so no view needs a try/except of its own.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from samverkan.domain.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, DomainError):
        exc = exceptions.ValidationError([str(exc)])
    return drf_exception_handler(exc, context)
