from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "samverkan.finance"
    label = "finance"
    verbose_name = _("Ekonomi")

    @property
    def nav_items(self) -> list[dict]:
        from samverkan.finance.policies import VIEW_REPORTS

        return [{"label": _("Ekonomi"), "url": "finance:overview", "capability": VIEW_REPORTS, "order": 45}]
