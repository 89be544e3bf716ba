"""Reads of billing, scoped by the asking user; plus the reconciliation every run must pass."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from samverkan.billing.models import Invoice, InvoiceLine, InvoiceRun
from samverkan.core.permissions import scope
from samverkan.domain.invoice_math import invoice_totals, vat_code


def runs_for(user: Any) -> QuerySet[InvoiceRun]:
    return (
        scope(user, InvoiceRun.objects.all(), member=None, department=None)
        .annotate(invoice_count=Count("invoices", distinct=True))
        .order_by("-issue_date", "-pk")
    )


def run_get(user: Any, pk: int) -> InvoiceRun:
    return get_object_or_404(scope(user, InvoiceRun.objects.all(), member=None, department=None), pk=pk)


def invoices_for(user: Any) -> QuerySet[Invoice]:
    """Staff see the federation's invoices, a member contact its member's (drafts only for staff)."""
    qs = scope(user, Invoice.objects.select_related("member", "run", "credits"), member="member", department=None)
    if not (user.is_superuser or user.has_role("admin", "economist")):
        qs = qs.filter(issued=True)
    return qs


def invoice_get(user: Any, pk: int) -> Invoice:
    return get_object_or_404(invoices_for(user), pk=pk)


def invoice_by_number(federation: Any, number: str) -> Invoice:
    return Invoice.objects.select_related("member", "federation", "credits").get(federation=federation, number=number)


def invoice_lines(invoice: Invoice) -> QuerySet[InvoiceLine]:
    """Lines grouped by service (catalogue item), then in the order they were gathered."""
    return invoice.lines.select_related("item").order_by("item__name", "description", "pk")


def run_member_summary(run: InvoiceRun) -> list[dict[str, Any]]:
    return list(
        run.invoices.values("member__name", "member_id")
        .annotate(invoices=Count("id"), net=Sum("net"), vat=Sum("vat"), total=Sum("total"))
        .order_by("member__name")
    )


@dataclass(frozen=True)
class Reconciliation:
    invoices_total: Decimal
    lines_total: Decimal
    sie_receivable: Decimal
    vouchers_balanced: bool

    @property
    def balanced(self) -> bool:
        return self.vouchers_balanced and self.invoices_total == self.lines_total == self.sie_receivable


def run_reconciliation(run: InvoiceRun) -> Reconciliation:
    """Three independent sums that must agree: stored invoice totals, totals recomputed from the
    lines, and the receivable debits of the run's SIE file as read back from its bytes."""
    from samverkan.billing.exporters import adapters, sie

    invoices_total = run.invoices.aggregate(s=Sum("total"))["s"] or Decimal("0.00")
    per_invoice: dict[int, list[tuple[Decimal, Any]]] = defaultdict(list)
    for invoice_id, net, code in InvoiceLine.objects.filter(invoice__run=run).values_list(
        "invoice_id", "net", "vat_code"
    ):
        per_invoice[invoice_id].append((net, vat_code(code)))
    rounding = {i.pk: i.rounding != 0 for i in run.invoices.only("pk", "rounding")}
    lines_total = sum(
        (invoice_totals(pairs, round_to_krona=rounding.get(pk, False)).payable for pk, pairs in per_invoice.items()),
        Decimal("0.00"),
    )
    parsed = sie.read(adapters.sie_bytes_for_run(run))
    account = adapters.account_mapping(run.federation).receivable
    receivable = sum(
        (t.amount for v in parsed.vouchers for t in v.transactions if t.account == account), Decimal("0.00")
    )
    return Reconciliation(invoices_total, lines_total, receivable, all(v.balance == 0 for v in parsed.vouchers))
