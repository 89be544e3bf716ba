"""Imported ledger years, accounts, vouchers."""

from samverkan.core.permissions import scope
from samverkan.finance.models import FiscalYear


def fiscal_years(user):
    return scope(user, FiscalYear.objects.select_related("federation"), member=None, department=None).order_by("-year")
