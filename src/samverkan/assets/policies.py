"""Capabilities of the inventory register. Which assets a user sees is scoping
(``selectors.assets_for``): member contacts and orderers see their own member's."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN, AGENT, ECONOMIST, MEMBER_CONTACT, ORDERER

VIEW_ASSETS = capability(
    "assets.view_assets", _("Se inventarier och deras historik"), ADMIN, AGENT, ECONOMIST, MEMBER_CONTACT, ORDERER
)
VIEW_ASSET_REPORTS = capability(
    "assets.view_asset_reports",
    _("Se inventarieregister och avskrivningar per medlem"),
    ADMIN,
    AGENT,
    ECONOMIST,
    MEMBER_CONTACT,
)
MANAGE_ASSETS = capability(
    "assets.manage_assets", _("Registrera och ändra inventarier, byta status och koppla ärenden"), ADMIN, AGENT
)
IMPORT_ASSETS = capability("assets.import_assets", _("Importera inventarieregister"), ADMIN, AGENT)
