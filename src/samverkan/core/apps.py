from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samverkan.core"
    label = "core"
    verbose_name = _("Grundfunktioner")

    def ready(self):
        from samverkan.core.fields import register_money_serializer_field

        register_money_serializer_field()
        _swedish_empty_choice()


EMPTY_CHOICE = "–"


def _swedish_empty_choice() -> None:
    """Django offers "---------" as the empty choice of every select built from a model (choices and
    foreign keys) and has no setting for it; a Swedish page says "–". Both defaults are set here, once,
    rather than in each of some forty forms (the Swedish crawl fails on "---------")."""
    from django.db.models import fields
    from django.forms import models as form_models

    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]  # Field.get_choices' default argument is this list
    form_models.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = EMPTY_CHOICE
