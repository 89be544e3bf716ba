from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "samverkan.billing"
    label = "billing"
    verbose_name = _("Fakturering")
    # Main-menu entries: label, URL name, roles that see it ("public" for everyone), order.
    nav_items: list[dict] = [
        {"label": _("Fakturering"), "url": "billing:run-list", "roles": ("admin", "economist"), "order": 40},
        {
            "label": _("Fakturor"),
            "url": "billing:invoice-list",
            "roles": ("admin", "economist", "board", "member_contact"),
            "order": 41,
        },
    ]
