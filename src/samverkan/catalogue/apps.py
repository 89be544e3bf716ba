from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "samverkan.catalogue"
    label = "catalogue"
    verbose_name = _("Tjänstekatalog")

    def ready(self) -> None:
        from samverkan.catalogue import selectors
        from samverkan.core import todos

        todos.register(selectors.todo_cards)
        todos.register_member_links(selectors.member_link_items)

    @property
    def nav_items(self):
        from samverkan.catalogue.policies import VIEW_ORDERS, VIEW_PRICE_LIST

        return [
            {"label": _("Tjänstekatalog"), "url": "catalogue:price-list", "capability": VIEW_PRICE_LIST, "order": 30},
            {"label": _("Beställningar"), "url": "catalogue:order-list", "capability": VIEW_ORDERS, "order": 31},
        ]
