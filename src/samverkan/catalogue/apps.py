from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "samverkan.catalogue"
    label = "catalogue"
    verbose_name = _("Tjänstekatalog")

    @property
    def nav_items(self):
        from samverkan.catalogue.policies import VIEW_ORDERS, VIEW_PRICE_LIST

        return [
            {"label": _("Tjänstekatalog"), "url": "catalogue:price-list", "capability": VIEW_PRICE_LIST, "order": 30},
            {"label": _("Beställningar"), "url": "catalogue:order-list", "capability": VIEW_ORDERS, "order": 31},
        ]
