from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "samverkan.assets"
    label = "assets"
    verbose_name = _("Inventarier")
    # Main-menu entries: label, URL name, roles that see it ("public" for everyone), order.
    nav_items: list[dict] = []
