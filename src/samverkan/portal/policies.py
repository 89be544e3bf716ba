"""Capabilities of the service portal. Which tickets a user sees is scoping
(``selectors.tickets_for``): the desk sees the federation's, a member contact the member's,
an orderer the department's. What a status change may be is the workflow
(``domain.ticket_workflow``), not a capability."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN, AGENT, ECONOMIST, MEMBER_CONTACT, ORDERER

VIEW_TICKETS = capability(
    "portal.view_tickets", _("Se ärenden, deras bilagor och följa dem"), ADMIN, AGENT, MEMBER_CONTACT, ORDERER
)
CREATE_TICKET = capability("portal.create_ticket", _("Anmäla ärenden"), ADMIN, AGENT, MEMBER_CONTACT, ORDERER)
COMMENT_ON_TICKET = capability(
    "portal.comment_on_ticket", _("Kommentera ärenden och bifoga filer"), ADMIN, AGENT, MEMBER_CONTACT, ORDERER
)
REOPEN_TICKET = capability(
    "portal.reopen_ticket", _("Öppna lösta och stängda ärenden igen"), ADMIN, AGENT, MEMBER_CONTACT, ORDERER
)
FOLLOW_OWN_TICKETS = capability(
    "portal.follow_own_tickets", _("Följa egna ärenden i serviceportalen"), MEMBER_CONTACT, ORDERER
)
ANSWER_SURVEY = capability("portal.answer_survey", _("Besvara kundenkäten om ett löst ärende"), MEMBER_CONTACT, ORDERER)
WORK_DESK = capability(
    "portal.work_desk",
    _("Arbeta i ärendekön: tilldela, klassa, byta status, slå samman, länka och rapportera tid"),
    ADMIN,
    AGENT,
)
SEE_INTERNAL_COMMENTS = capability(
    "portal.see_internal_comments", _("Se interna anteckningar och bilagor"), ADMIN, AGENT
)
WRITE_INTERNAL_COMMENT = capability(
    "portal.write_internal_comment", _("Skriva interna anteckningar och bifoga interna filer"), ADMIN, AGENT
)
MANAGE_STANDARD_TEXTS = capability("portal.manage_standard_texts", _("Skriva och använda standardtexter"), ADMIN, AGENT)
VIEW_TICKET_STATISTICS = capability("portal.view_ticket_statistics", _("Se ärendestatistik"), ADMIN, AGENT)
VIEW_TIME_REPORT = capability(
    "portal.view_time_report", _("Se debiterbar tid per medlem och förvaltning"), ADMIN, AGENT
)
EXPORT_BILLABLE_TIME = capability(
    "portal.export_billable_time", _("Hämta debiterbar tid för fakturering (API)"), ADMIN, AGENT, ECONOMIST
)
# Replies are read in by the system actor (the CLI, and the API for the mail server with its key);
# an admin may do it for the own federation's tickets.
IMPORT_MAIL = capability("portal.import_mail", _("Läsa in e-postsvar som kommentarer"), ADMIN)
