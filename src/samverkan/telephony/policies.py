"""Capabilities of telephony: the one place that says who may do what with calls and staffing."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN, AGENT, BOARD, ECONOMIST, MEMBER_CONTACT

# Service level per queue, member and period (member contacts: their member's queues only)
VIEW_SERVICE_LEVEL = capability(
    "telephony.view_service_level", _("Se samtal och servicenivå"), ADMIN, AGENT, ECONOMIST, BOARD, MEMBER_CONTACT
)
IMPORT_CALLS = capability("telephony.import_calls", _("Importera samtal och se importerade samtal"), ADMIN, AGENT)
EDIT_QUEUE = capability("telephony.edit_queue", _("Ändra köer (medlem, T, mål, beräkning)"), ADMIN)
# The staffing page: forecast, Erlang and shift plan from the queues' calls
PLAN_STAFFING = capability("telephony.plan_staffing", _("Planera bemanning"), ADMIN, AGENT)
# The Erlang calculator of the API: figures from the input alone, no calls
CALCULATE_STAFFING = capability(
    "telephony.calculate_staffing",
    _("Räkna ut bemanning för ett intervall (Erlang)"),
    ADMIN,
    AGENT,
    ECONOMIST,
    BOARD,
    MEMBER_CONTACT,
)
