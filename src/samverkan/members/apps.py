from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "samverkan.members"
    label = "members"
    verbose_name = _("Medlemmar")
    nav_items = [
        {
            "label": _("Medlemmar"),
            "url": "members:member-list",
            "roles": ("admin", "agent", "economist", "board", "member_contact"),
            "order": 10,
        },
    ]
