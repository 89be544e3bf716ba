from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "samverkan.assets"
    label = "assets"
    verbose_name = _("Inventarier")
    # Main-menu entries: label, URL name, roles that see it ("public" for everyone), order.
    nav_items: list[dict] = [
        {
            "label": _("Inventarier"),
            "url": "assets:asset-list",
            "roles": ("admin", "agent", "economist", "member_contact", "orderer"),
            "order": 30,
        },
        {
            "label": _("Inventarieregister"),
            "url": "assets:register",
            "roles": ("admin", "agent", "economist", "member_contact"),
            "order": 31,
        },
        {
            "label": _("Avskrivningar"),
            "url": "assets:depreciation",
            "roles": ("admin", "agent", "economist", "member_contact"),
            "order": 32,
        },
    ]
