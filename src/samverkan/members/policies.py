"""Capabilities of the members module: who may see and change members, their departments,
hand-overs and the population and user figures that allocation keys read."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN, AGENT, BOARD, ECONOMIST, MEMBER_CONTACT, ORDERER

VIEW_MEMBERS = capability(
    "members.view_members",
    _("Se medlemmar, verksamheter och deltagare"),
    ADMIN,
    AGENT,
    ECONOMIST,
    BOARD,
    MEMBER_CONTACT,
)
VIEW_DEPARTMENTS = capability(
    "members.view_departments", _("Se förvaltningar"), ADMIN, AGENT, ECONOMIST, BOARD, MEMBER_CONTACT, ORDERER
)
MANAGE_MEMBERS = capability(
    "members.manage_members",
    _("Ändra medlemmar, medlemsperioder, överlämnade verksamheter, förvaltningar och kontakter"),
    ADMIN,
)
MANAGE_FIGURES = capability(
    "members.manage_figures", _("Registrera och importera folkmängd och användarantal"), ADMIN, ECONOMIST
)
