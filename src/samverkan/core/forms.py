from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.core.auth import client_address, is_throttled
from samverkan.domain.errors import DomainError


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("För många misslyckade inloggningar. Försök igen om 15 minuter."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and is_throttled(username, client_address(self.request)):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except PermissionDenied:
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled") from None


def add_service_errors(form: forms.BaseForm, exc: ValidationError | DomainError) -> None:
    """Show a service's ValidationError (or the domain's refusal) on the form: errors of a field
    the form has go beside that field, the rest above the form."""
    if isinstance(exc, DomainError):
        form.add_error(None, str(exc))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def add_error_messages(request, exc: ValidationError | DomainError) -> None:
    """The same for an action button that redirects: each message is shown on the next page."""
    from django.contrib import messages

    for message in [str(exc)] if isinstance(exc, DomainError) else exc.messages:
        messages.error(request, message)
