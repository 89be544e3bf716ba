from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts and roles: the layer above `members` that ties a person to a federation, a
    member or a department (so `core` stays below every module)."""

    name = "samverkan.accounts"
    label = "accounts"
    verbose_name = _("Användare och behörigheter")

    @property
    def nav_items(self):
        from samverkan.accounts.policies import MANAGE_USERS
        from samverkan.core.policies import VIEW_AUDIT_LOG

        return [
            {"label": _("Användare"), "url": "accounts:user-list", "capability": MANAGE_USERS, "order": 890},
            {"label": _("Granskningslogg"), "url": "core:audit", "capability": VIEW_AUDIT_LOG, "order": 900},
        ]
