from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samverkan.core"
    label = "core"
    verbose_name = _("Grundfunktioner")

    def ready(self):
        from samverkan.core.fields import register_money_serializer_field

        register_money_serializer_field()
