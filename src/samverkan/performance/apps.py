from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "samverkan.performance"
    label = "performance"
    verbose_name = _("Mål och resultat")

    @property
    def nav_items(self) -> list[dict]:
        from samverkan.performance.policies import VIEW_PERFORMANCE

        return [
            {"label": _("Mål och resultat"), "url": "performance:board", "capability": VIEW_PERFORMANCE, "order": 40}
        ]
