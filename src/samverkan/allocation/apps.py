from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "samverkan.allocation"
    label = "allocation"
    verbose_name = _("Kostnadsfördelning")

    def ready(self) -> None:
        from samverkan.allocation import selectors
        from samverkan.core import todos

        todos.register(selectors.todo_cards)
        todos.register_member_links(selectors.member_link_items)

    @property
    def nav_items(self):
        from samverkan.allocation.policies import VIEW_ALLOCATIONS, VIEW_MEMBER_COSTS

        return [
            {
                "label": _("Kostnadsfördelning"),
                "url": "allocation:pool-list",
                "capability": VIEW_ALLOCATIONS,
                "order": 20,
            },
            {
                "label": _("Kostnader per medlem"),
                "url": "allocation:member-costs",
                "capability": VIEW_MEMBER_COSTS,
                "order": 21,
            },
        ]
