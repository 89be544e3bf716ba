"""Capabilities of accounts and roles."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN

MANAGE_USERS = capability("accounts.manage_users", _("Hantera användare och deras roller"), ADMIN)
