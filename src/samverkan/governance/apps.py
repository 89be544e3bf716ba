from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "samverkan.governance"
    label = "governance"
    verbose_name = _("Styrning")

    def ready(self) -> None:
        from samverkan.governance.selectors.panels import register_panels

        register_panels()

    @property
    def nav_items(self) -> list[dict]:
        from samverkan.governance.policies import VIEW_MEETINGS, VIEW_NOTICE_BOARD

        return [
            {"label": _("Styrning"), "url": "governance:overview", "capability": VIEW_MEETINGS, "order": 48},
            # Public: everyone, logged in or not, reaches the notice boards and public registers
            {
                "label": _("Anslagstavla"),
                "url": "governance:public_index",
                "capability": VIEW_NOTICE_BOARD,
                "order": 90,
            },
        ]
