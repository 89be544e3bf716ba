from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "samverkan.finance"
    label = "finance"
    verbose_name = _("Ekonomi")

    @property
    def nav_items(self) -> list[dict]:
        from samverkan.billing.policies import VIEW_INVOICES
        from samverkan.finance.policies import VIEW_REPORTS

        return [
            {"label": _("Ekonomi"), "url": "finance:overview", "capability": VIEW_REPORTS, "order": 45},
            # Member contacts do not see the finance menu but do see what their municipality pays
            {
                "label": _("Vad kommunen betalar"),
                "url": "finance:member_costs",
                "capability": VIEW_INVOICES,
                "order": 46,
            },
        ]
