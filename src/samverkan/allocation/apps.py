from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "samverkan.allocation"
    label = "allocation"
    verbose_name = _("Kostnadsfördelning")
    # Main-menu entries: label, URL name, roles that see it ("public" for everyone), order.
    nav_items: list[dict] = [
        {
            "label": _("Kostnadsfördelning"),
            "url": "allocation:pool-list",
            "roles": ("admin", "economist", "board"),
            "order": 20,
        },
        {"label": _("Våra kostnader"), "url": "allocation:member-costs", "roles": ("member_contact",), "order": 21},
    ]
