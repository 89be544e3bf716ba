"""Capabilities of billing: invoice runs (preview → approve → issue), invoices and credit notes,
the ledger files and the billing settings. Which member's invoices a user sees is scoping
(``selectors.invoices_for``), not a capability."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability
from samverkan.core.roles import ADMIN, BOARD, ECONOMIST, MEMBER_CONTACT

VIEW_RUNS = capability("billing.view_runs", _("Se fakturakörningar och deras avstämning"), ADMIN, ECONOMIST)
CREATE_RUN = capability(
    "billing.create_run", _("Förhandsgranska fakturakörningar och ta bort förhandsgranskningar"), ADMIN, ECONOMIST
)
APPROVE_RUN = capability("billing.approve_run", _("Godkänna fakturakörningar"), ADMIN, ECONOMIST)
ISSUE_INVOICE = capability("billing.issue_invoice", _("Utfärda och numrera fakturor"), ADMIN, ECONOMIST)
VIEW_INVOICES = capability(
    "billing.view_invoices",
    _("Se utfärdade fakturor och kreditfakturor (kontaktpersonen: den egna medlemmens)"),
    ADMIN,
    ECONOMIST,
    BOARD,
    MEMBER_CONTACT,
)
VIEW_DRAFT_INVOICES = capability(
    "billing.view_draft_invoices", _("Se fakturor som inte är utfärdade"), ADMIN, ECONOMIST
)
CREDIT_INVOICE = capability("billing.credit_invoice", _("Kreditera fakturor"), ADMIN, ECONOMIST)
EXPORT_LEDGER = capability(
    "billing.export_ledger", _("Exportera fakturakörningar till SIE (bokföring) och XLSX"), ADMIN, ECONOMIST
)
MANAGE_SETTINGS = capability(
    "billing.manage_settings",
    _("Ändra faktureringsinställningar: konton, nummerserier och fakturor per medlem"),
    ADMIN,
    ECONOMIST,
)
MANAGE_MANUAL_LINES = capability(
    "billing.manage_manual_lines",
    _("Lägga in manuella fakturarader och återkalla dem innan de faktureras"),
    ADMIN,
    ECONOMIST,
)
APPROVE_MANUAL_LINES = capability(
    "billing.approve_manual_lines",
    _("Attestera manuella fakturarader som någon annan har lagt in (fyraögonsprincip)"),
    ADMIN,
    ECONOMIST,
)
