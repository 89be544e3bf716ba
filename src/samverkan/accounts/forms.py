from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.services import EDITABLE_FIELDS
from samverkan.core.models import User
from samverkan.core.roles import Role
from samverkan.core.scoping import ScopedForm
from samverkan.members.selectors import departments_for, members_for


class UserForm(ScopedForm, forms.ModelForm):
    """An admin creates or changes an account of the own federation and gives it one or more roles."""

    scoped_fields = {"member": members_for, "department": departments_for}

    roles = forms.MultipleChoiceField(
        label=_("Roller"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("En användare kan ha flera roller; behörigheterna läggs samman."),
    )
    password = forms.CharField(
        label=_("Lösenord"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Minst 12 tecken. Lämna tomt för inloggning enbart via kommunens IdP (OpenID Connect)."),
    )

    class Meta:
        model = User
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args, federation, **kwargs):
        super().__init__(*args, **kwargs)
        # A platform superuser edits an account of the account's own federation.
        self.fields["member"].queryset = self.fields["member"].queryset.filter(federation=federation)
        self.fields["department"].queryset = self.fields["department"].queryset.filter(member__federation=federation)
        self.fields["roles"].initial = sorted(self.instance.roles)
        self.order_fields(["username", "first_name", "last_name", "email", "roles"])
        if self.instance.pk:
            del self.fields["password"]
