"""The finance start page."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from samverkan.core.permissions import capability_required
from samverkan.finance.policies import VIEW_REPORTS
from samverkan.finance.selectors import ledger as ledger_selectors


@capability_required(VIEW_REPORTS)
def overview(request):
    return render(
        request,
        "finance/overview.html",
        {"title": _("Ekonomi"), "fiscal_years": ledger_selectors.fiscal_years(request.user)},
    )


urlpatterns = [path("", overview, name="overview")]
