"""Routes of finance: each view and API module declares its own `urlpatterns`; this joins them."""

from samverkan.finance.api import budgets as budgets_api
from samverkan.finance.api import followup as followup_api
from samverkan.finance.api import ledger as ledger_api
from samverkan.finance.api import settlement as settlement_api
from samverkan.finance.api import statements as statements_api
from samverkan.finance.views import budgets, followup, ledger, overview, settlement, statements

urlpatterns = [
    *overview.urlpatterns,
    *ledger.urlpatterns,
    *statements.urlpatterns,
    *followup.urlpatterns,
    *budgets.urlpatterns,
    *settlement.urlpatterns,
]

api_urlpatterns = [
    *ledger_api.urlpatterns,
    *statements_api.urlpatterns,
    *followup_api.urlpatterns,
    *budgets_api.urlpatterns,
    *settlement_api.urlpatterns,
]
