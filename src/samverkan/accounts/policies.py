"""Capabilities of accounts and roles."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN, ALL_ROLES

MANAGE_USERS = capability("accounts.manage_users", _("Hantera användare och deras roller"), ADMIN)
VIEW_OWN_ACCOUNT = capability("accounts.view_own_account", _("Se sitt eget konto och sina roller"), *ALL_ROLES)
