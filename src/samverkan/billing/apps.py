from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "samverkan.billing"
    label = "billing"
    verbose_name = _("Fakturering")

    def ready(self) -> None:
        from samverkan.billing import selectors
        from samverkan.core import todos

        todos.register(selectors.todo_cards)
        todos.register_member_links(selectors.member_link_items)

    @property
    def nav_items(self):
        from samverkan.billing.policies import VIEW_INVOICES, VIEW_RUNS

        return [
            {"label": _("Fakturering"), "url": "billing:run-list", "capability": VIEW_RUNS, "order": 40},
            {"label": _("Fakturor"), "url": "billing:invoice-list", "capability": VIEW_INVOICES, "order": 41},
        ]
