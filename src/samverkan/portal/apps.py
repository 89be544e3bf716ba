from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "samverkan.portal"
    label = "portal"
    verbose_name = _("Serviceportal")
    # Main-menu entries: label, URL name, roles that see it ("public" for everyone), order.
    nav_items: list[dict] = [
        {"label": _("Mina ärenden"), "url": "portal:my-tickets", "roles": ("member_contact", "orderer"), "order": 20},
        {"label": _("Ärendekö"), "url": "portal:desk", "roles": ("admin", "agent"), "order": 21},
        {"label": _("Standardtexter"), "url": "portal:standard-texts", "roles": ("admin", "agent"), "order": 22},
        {"label": _("Ärendestatistik"), "url": "portal:statistics", "roles": ("admin", "agent"), "order": 23},
        {"label": _("Debiterbar tid"), "url": "portal:time-report", "roles": ("admin", "agent"), "order": 24},
    ]
