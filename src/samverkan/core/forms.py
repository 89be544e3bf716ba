from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from samverkan.core.auth import client_address, is_throttled


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
