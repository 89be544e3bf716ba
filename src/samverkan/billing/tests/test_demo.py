"""The demo's catalogue and year of orders give issued, reconciled, valid invoices for 2025 Q1–Q4."""

from __future__ import annotations

import io

import pytest

from samverkan.billing import usecases
from samverkan.billing.exporters import adapters
from samverkan.billing.models import Invoice, InvoiceRun
from samverkan.billing.peppol.validate import fatal, validate

pytestmark = pytest.mark.django_db


def test_demo_invoices_2025_quarter_by_quarter():
    from samverkan.allocation import demo as allocation_demo
    from samverkan.billing import demo as billing_demo
    from samverkan.catalogue import demo as catalogue_demo
    from samverkan.members import demo as members_demo

    out = io.StringIO()
    members_demo.build_lystkom()
    allocation_demo.build_lystkom()
    catalogue_demo.build(out)
    billing_demo.build(out)
    runs = InvoiceRun.objects.filter(federation__slug="lystkom").order_by("period")
    assert [(r.period, r.status) for r in runs] == [(f"2025-Q{q}", "issued") for q in range(1, 5)]
    for run in runs:
        assert usecases.run_reconciliation(run).balanced
        members = set(run.invoices.values_list("member__kommunkod", flat=True))
        assert members == {"2481", "2421", "2462", "2463", "2425"}
    # Åsele wants one invoice per department reference; the others one (plus one outside VAT)
    q1 = runs[0].invoices
    assert q1.filter(member__kommunkod="2463", vat_scope="V").count() > 1
    assert q1.filter(member__kommunkod="2481", vat_scope="V").count() == 1
    for year in (2025, 2026):  # Q4 is invoiced in arrears on 2026-01-01: next year's series
        numbers = list(
            Invoice.objects.filter(number__startswith=f"F{year}-").order_by("number").values_list("number", flat=True)
        )
        assert numbers == [f"F{year}-{n:05d}" for n in range(1, len(numbers) + 1)] and numbers
    for invoice in q1.all()[:6]:
        assert fatal(validate(adapters.peppol_bytes(invoice))) == []
    # the 2025 membership fee is billed in four equal quarters, exactly the decided total
    fees = Invoice.objects.filter(vat_scope="O").values_list("lines__net", "lines__description")
    membership = sum(net for net, text in fees if text.startswith("Medlemsavgift 2025"))
    assert membership == 1166000
