from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samverkan.core"
    label = "core"
    verbose_name = _("Grundfunktioner")
    nav_items = [
        {"label": _("Användare"), "url": "core:user-list", "roles": ("admin",), "order": 890},
        {"label": _("Granskningslogg"), "url": "core:audit", "roles": ("admin",), "order": 900},
    ]

    def ready(self):
        from samverkan.core.fields import register_money_serializer_field

        register_money_serializer_field()
