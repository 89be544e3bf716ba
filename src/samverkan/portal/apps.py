from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "samverkan.portal"
    label = "portal"
    verbose_name = _("Serviceportal")

    def ready(self) -> None:
        from samverkan.core import todos
        from samverkan.portal import selectors

        todos.register(selectors.todo_cards)
        todos.register_member_links(selectors.member_link_items)

    @property
    def nav_items(self) -> list[dict]:
        """Main-menu entries: label, URL name, the capability that shows it, order."""
        from samverkan.portal import policies

        return [
            {
                "label": _("Mina ärenden"),
                "url": "portal:my-tickets",
                "capability": policies.FOLLOW_OWN_TICKETS,
                "order": 20,
            },
            {"label": _("Ärendekö"), "url": "portal:desk", "capability": policies.WORK_DESK, "order": 21},
            {
                "label": _("Standardtexter"),
                "url": "portal:standard-texts",
                "capability": policies.MANAGE_STANDARD_TEXTS,
                "order": 22,
            },
            {
                "label": _("Ärendestatistik"),
                "url": "portal:statistics",
                "capability": policies.VIEW_TICKET_STATISTICS,
                "order": 23,
            },
            {
                "label": _("Debiterbar tid"),
                "url": "portal:time-report",
                "capability": policies.VIEW_TIME_REPORT,
                "order": 24,
            },
        ]
