from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "samverkan.members"
    label = "members"
    verbose_name = _("Medlemmar")

    @property
    def nav_items(self):
        from samverkan.members.policies import VIEW_MEMBERS

        return [{"label": _("Medlemmar"), "url": "members:member-list", "capability": VIEW_MEMBERS, "order": 10}]
