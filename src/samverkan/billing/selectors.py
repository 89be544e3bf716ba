"""Reads of billing, scoped by the asking user; plus the reconciliation every run must pass."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from samverkan.billing.models import BillingProfile, Invoice, InvoiceLine, InvoiceRun
from samverkan.billing.policies import VIEW_DRAFT_INVOICES
from samverkan.core.permissions import has_capability, scope


def profile_for(federation: Any) -> BillingProfile:
    """The federation's billing settings; a federation that never changed them gets the defaults."""
    profile, _created = BillingProfile.objects.get_or_create(federation=federation)
    return profile


def runs_for(user: Any) -> QuerySet[InvoiceRun]:
    return (
        scope(user, InvoiceRun.objects.all(), member=None, department=None)
        .annotate(invoice_count=Count("invoices", distinct=True))
        .order_by("-issue_date", "-pk")
    )


def run_get(user: Any, pk: int) -> InvoiceRun:
    return get_object_or_404(scope(user, InvoiceRun.objects.all(), member=None, department=None), pk=pk)


def invoices_for(user: Any) -> QuerySet[Invoice]:
    """Staff see the federation's invoices, a member contact its member's (drafts only for billers)."""
    qs = scope(user, Invoice.objects.select_related("member", "run", "credits"), member="member", department=None)
    if not has_capability(user, VIEW_DRAFT_INVOICES):
        qs = qs.filter(issued=True)
    return qs


def invoice_get(user: Any, pk: int) -> Invoice:
    return get_object_or_404(invoices_for(user), pk=pk)


def invoice_lines(invoice: Invoice) -> QuerySet[InvoiceLine]:
    """Lines grouped by service (catalogue item), then in the order they were gathered."""
    return invoice.lines.select_related("item").order_by("item__name", "description", "pk")


def run_member_summary(run: InvoiceRun) -> list[dict[str, Any]]:
    return list(
        run.invoices.values("member__name", "member_id")
        .annotate(invoices=Count("id"), net=Sum("net"), vat=Sum("vat"), total=Sum("total"))
        .order_by("member__name")
    )
