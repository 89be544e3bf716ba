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


class UserForm(forms.ModelForm):
    """An admin creates or changes an account of the own federation."""

    password = forms.CharField(
        label=_("Lösenord"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Minst 12 tecken. Lämna tomt för inloggning enbart via kommunens IdP (OpenID Connect)."),
    )

    class Meta:
        from samverkan.core.models import User

        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "member", "department", "is_active"]

    def __init__(self, *args, federation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].required = True
        self.fields["member"].queryset = federation.members.all()
        from samverkan.members.models import Department

        self.fields["department"].queryset = Department.objects.filter(member__federation=federation)
        if self.instance.pk:
            del self.fields["password"]
