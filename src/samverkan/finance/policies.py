"""Capabilities of finance: the one place that says who may see and change the ledger, budgets,
forecasts and the annual report's statements."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability, has_capability
from samverkan.core.roles import ADMIN, BOARD, ECONOMIST, MEMBER_CONTACT

# Follow-up, operating statement, investments and the statements (board members read)
VIEW_REPORTS = capability("finance.view_reports", _("Se ekonomiska rapporter och uppföljning"), ADMIN, ECONOMIST, BOARD)
# The ledger itself: imported years, vouchers, accounts, mapping
VIEW_LEDGER = capability("finance.view_ledger", _("Se huvudbok, konton och verifikationer"), ADMIN, ECONOMIST)
IMPORT_LEDGER = capability("finance.import_ledger", _("Importera huvudbok (SIE)"), ADMIN, ECONOMIST)
EDIT_BUDGET = capability("finance.edit_budget", _("Ändra budget, prognoser och investeringsanslag"), ADMIN, ECONOMIST)
EDIT_MAPPING = capability("finance.edit_mapping", _("Ändra kontomappning och ekonomiinställningar"), ADMIN, ECONOMIST)
# Member contacts read the annual report's statements once the federation publishes them
VIEW_PUBLISHED_STATEMENTS = capability(
    "finance.view_published_statements",
    _("Se publicerade årsredovisningsrapporter"),
    ADMIN,
    ECONOMIST,
    BOARD,
    MEMBER_CONTACT,
)


def may_view_statements(user, federation, *, published: bool) -> bool:
    """The statements (income, balance, cash flow, balance requirement): whoever reads reports,
    and member contacts too once the federation has published them."""
    if has_capability(user, VIEW_REPORTS, federation=federation):
        return True
    return published and has_capability(user, VIEW_PUBLISHED_STATEMENTS, federation=federation)
