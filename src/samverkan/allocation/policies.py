"""Capabilities of the allocation module: who may see and set up cost pools and keys, compute
and approve runs, see what each member pays, and use the what-if calculators."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN, BOARD, ECONOMIST, MEMBER_CONTACT

VIEW_ALLOCATIONS = capability(
    "allocation.view_allocations",
    _("Se kostnadspooler, fördelningsnycklar, körningar och jämförelser"),
    ADMIN,
    ECONOMIST,
    BOARD,
)
MANAGE_POOLS = capability(
    "allocation.manage_pools", _("Lägga upp och ändra kostnadspooler och fördelningsnycklar"), ADMIN, ECONOMIST
)
CREATE_RUN = capability("allocation.create_run", _("Beräkna körningar och ta bort utkast"), ADMIN, ECONOMIST)
APPROVE_RUN = capability("allocation.approve_run", _("Godkänna körningar"), ADMIN, ECONOMIST)
VIEW_MEMBER_COSTS = capability(
    "allocation.view_member_costs",
    _("Se godkända kostnader per medlem (kontaktpersonen: den egna medlemmens)"),
    ADMIN,
    ECONOMIST,
    BOARD,
    MEMBER_CONTACT,
)
USE_CALCULATORS = capability(
    "allocation.use_calculators",
    _("Ta fram beslutsunderlag för ny medlem, investeringskalkyl och snabbfördelning; se sparade investeringskalkyler"),
    ADMIN,
    ECONOMIST,
    BOARD,
)
MANAGE_BUSINESS_CASES = capability(
    "allocation.manage_business_cases",
    _("Spara, ändra och ta bort investeringskalkyler med alternativ"),
    ADMIN,
    ECONOMIST,
)
