from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "samverkan.assets"
    label = "assets"
    verbose_name = _("Inventarier")

    def ready(self) -> None:
        from samverkan.assets import selectors
        from samverkan.core import todos

        todos.register_member_links(selectors.member_link_items)

    @property
    def nav_items(self):
        from samverkan.assets.policies import VIEW_ASSET_REPORTS, VIEW_ASSETS

        return [
            {"label": _("Inventarier"), "url": "assets:asset-list", "capability": VIEW_ASSETS, "order": 30},
            {
                "label": _("Inventarieregister"),
                "url": "assets:register",
                "capability": VIEW_ASSET_REPORTS,
                "order": 31,
            },
            {
                "label": _("Avskrivningar"),
                "url": "assets:depreciation",
                "capability": VIEW_ASSET_REPORTS,
                "order": 32,
            },
        ]
