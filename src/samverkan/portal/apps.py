from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "samverkan.portal"
    label = "portal"
    verbose_name = _("Serviceportal")
    # Main-menu entries: label, URL name, roles that see it ("public" for everyone), order.
    nav_items: list[dict] = []
