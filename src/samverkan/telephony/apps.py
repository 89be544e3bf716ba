from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelephonyConfig(AppConfig):
    name = "samverkan.telephony"
    label = "telephony"
    verbose_name = _("Telefoni")
    # Main-menu entries: label, URL name, roles that see it ("public" for everyone), order.
    nav_items: list[dict] = [
        {
            "label": _("Telefoni"),
            "url": "telephony:overview",
            "roles": ("admin", "agent", "economist", "board", "member_contact"),
            "order": 70,
        },
    ]
