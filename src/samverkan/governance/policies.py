"""Capabilities of governance: who may see and change bodies, meetings, minutes, the case
register, agreements and the records plan. The public notice board and the public case register
are open to everyone (public=True)."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN, BOARD, ECONOMIST, SECRETARY

# Anyone, logged in or not: posted notices of adjusted minutes, the public case register
VIEW_NOTICE_BOARD = capability("governance.view_notice_board", _("Se anslagstavlan"), public=True)
VIEW_PUBLIC_REGISTER = capability("governance.view_public_register", _("Se det offentliga diariet"), public=True)
# Staff of the federation: bodies, meeting plans, agendas and minutes (board: their bodies')
VIEW_MEETINGS = capability(
    "governance.view_meetings", _("Se organ, sammanträden, kallelser och protokoll"), ADMIN, SECRETARY, BOARD, ECONOMIST
)
EDIT_MEETINGS = capability(
    "governance.edit_meetings", _("Planera sammanträden, skriva kallelser och protokoll"), ADMIN, SECRETARY
)
EDIT_BODIES = capability("governance.edit_bodies", _("Ändra organ och ledamöter"), ADMIN, SECRETARY)
# The chair and the adjusters approve minutes in Samverkan; the service checks that the user
# is one of that meeting's adjusters or its chair.
ADJUST_MINUTES = capability("governance.adjust_minutes", _("Justera protokoll"), ADMIN, SECRETARY, BOARD)
# The full case register incl. secrecy-marked documents and full-text search
VIEW_CASES = capability("governance.view_cases", _("Se diariet med alla handlingar"), ADMIN, SECRETARY, ECONOMIST)
EDIT_CASES = capability("governance.edit_cases", _("Registrera ärenden och handlingar"), ADMIN, SECRETARY)
VIEW_AGREEMENTS = capability("governance.view_agreements", _("Se avtal"), ADMIN, SECRETARY, ECONOMIST, BOARD)
EDIT_AGREEMENTS = capability("governance.edit_agreements", _("Ändra avtal och revideringar"), ADMIN, SECRETARY)
MANAGE_RECORDS = capability(
    "governance.manage_records",
    _("Dokumenthanteringsplan, gallring och personuppgifter (registerutdrag, radering)"),
    ADMIN,
)
