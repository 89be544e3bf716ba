from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "samverkan.catalogue"
    label = "catalogue"
    verbose_name = _("Tjänstekatalog")
    # Main-menu entries: label, URL name, roles that see it ("public" for everyone), order.
    nav_items: list[dict] = [
        {"label": _("Tjänstekatalog"), "url": "catalogue:price-list", "roles": "public", "order": 30},
        {
            "label": _("Beställningar"),
            "url": "catalogue:order-list",
            "roles": ("admin", "agent", "economist", "member_contact", "orderer"),
            "order": 31,
        },
    ]
