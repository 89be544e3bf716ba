"""Capabilities of the catalogue: the public price list, the catalogue itself, orders and
subscriptions. Which member's or department's orders a user may act on is scoping
(``selectors.orders_for`` and friends), not a capability."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN, AGENT, BOARD, ECONOMIST, MEMBER_CONTACT, ORDERER

VIEW_PRICE_LIST = capability("catalogue.view_price_list", _("Se prislistan"), public=True)
VIEW_CATALOGUE = capability(
    "catalogue.view_catalogue",
    _("Se tjänstekatalogen med kategorier och prishistorik"),
    ADMIN,
    AGENT,
    ECONOMIST,
    BOARD,
    MEMBER_CONTACT,
    ORDERER,
)
EDIT_CATALOGUE = capability("catalogue.edit_catalogue", _("Lägga till och ändra tjänster och kategorier"), ADMIN)
MANAGE_PRICES = capability("catalogue.manage_prices", _("Hantera tjänstekatalogen och sätta priser"), ADMIN, ECONOMIST)
VIEW_ORDERS = capability(
    "catalogue.view_orders", _("Se beställningar och abonnemang"), ADMIN, AGENT, ECONOMIST, MEMBER_CONTACT, ORDERER
)
PLACE_ORDER = capability(
    "catalogue.place_order", _("Beställa och makulera beställningar"), ADMIN, AGENT, MEMBER_CONTACT, ORDERER
)
APPROVE_ORDER = capability("catalogue.approve_order", _("Godkänna och avslå beställningar"), ADMIN, MEMBER_CONTACT)
DELIVER_ORDER = capability("catalogue.deliver_order", _("Leverera beställningar"), ADMIN, AGENT)
MANAGE_SUBSCRIPTIONS = capability("catalogue.manage_subscriptions", _("Lägga upp abonnemang"), ADMIN, AGENT)
END_SUBSCRIPTION = capability("catalogue.end_subscription", _("Avsluta abonnemang"), ADMIN, AGENT, MEMBER_CONTACT)
