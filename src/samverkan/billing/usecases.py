"""Billing use cases reached from the pages, the API, the CLI and the demo alike."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from samverkan.billing.exporters import adapters, sie
from samverkan.billing.models import InvoiceLine, InvoiceRun
from samverkan.domain.invoice_math import VatCode, invoice_totals, vat_code


@dataclass(frozen=True)
class Reconciliation:
    invoices_total: Decimal
    lines_total: Decimal
    sie_receivable: Decimal
    vouchers_balanced: bool

    @property
    def balanced(self) -> bool:
        return self.vouchers_balanced and self.invoices_total == self.lines_total == self.sie_receivable

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "balanced": self.balanced}


def run_reconciliation(run: InvoiceRun) -> Reconciliation:
    """Three independent sums that must agree: stored invoice totals, totals recomputed from the
    lines with ``invoice_math``, and the receivable debits of the run's SIE file read back from its bytes."""
    invoices_total = run.invoices.aggregate(s=Sum("total"))["s"] or Decimal("0.00")
    per_invoice: dict[int, list[tuple[Decimal, VatCode]]] = defaultdict(list)
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
