from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelephonyConfig(AppConfig):
    name = "samverkan.telephony"
    label = "telephony"
    verbose_name = _("Telefoni")

    @property
    def nav_items(self) -> list[dict]:
        from samverkan.telephony.policies import VIEW_SERVICE_LEVEL

        return [{"label": _("Telefoni"), "url": "telephony:overview", "capability": VIEW_SERVICE_LEVEL, "order": 70}]
