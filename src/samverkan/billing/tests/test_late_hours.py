"""Ticket time reported after its period's run is billed by the next run, never twice, never lost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from samverkan.billing import services
from samverkan.billing.models import BilledTimeEntry, InvoiceLine
from samverkan.billing.tests.test_sources import report_time
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor

D = Decimal
pytestmark = pytest.mark.django_db


def run(world, period, approve=True):
    return services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period=period, approve=approve
    )


def test_time_reported_after_q1_was_issued_is_billed_in_q2_with_its_own_date(world):
    make_catalogue(world.federation)
    report_time(world, "it", 60, date(2025, 2, 10), department=world.department)
    q1 = run(world, "2025-Q1")
    assert q1.lines.get(source_type="hours").quantity == D("1")
    late = report_time(world, "it", 45, date(2025, 3, 15), department=world.department)  # after Q1's run
    report_time(world, "it", 30, date(2025, 5, 2), department=world.department)
    q2 = run(world, "2025-Q2")
    lines = {ln.description: ln for ln in q2.lines.filter(source_type="hours")}
    assert set(lines) == {
        "IT-support per timme, Socialförvaltningen 2025-04-01–2025-06-30",
        "IT-support per timme, Socialförvaltningen 2025-03-15–2025-03-15 (tid rapporterad efter fakturering)",
    }
    late_line = next(ln for text, ln in lines.items() if "2025-03-15" in text)
    assert (late_line.quantity, late_line.net) == (D("0.75"), D("543.75"))
    assert (late_line.period_start, late_line.period_end) == (date(2025, 3, 15), date(2025, 3, 15))
    assert late_line.invoice.issued and late_line.invoice.period_start == date(2025, 4, 1)
    assert BilledTimeEntry.objects.get(time_entry_id=late.pk).line_id == late_line.pk
    total = sum(ln.quantity for ln in InvoiceLine.objects.filter(source_type="hours"))
    assert total == D("2.25")  # 60 + 45 + 30 minutes, each once
    assert not run(world, "2025-Q2", approve=False).lines.exists()


def test_late_time_spanning_the_run_period_widens_the_invoice_period(world):
    make_catalogue(world.federation)
    run(world, "2025-Q1")
    for day in (date(2025, 1, 20), date(2025, 1, 25), date(2025, 3, 20)):
        report_time(world, "it", 30, day, department=world.department)
    q2 = run(world, "2025-Q2")  # issued: Peppol requires line periods inside the invoice period
    spans = sorted((ln.period_start, ln.period_end) for ln in q2.lines.filter(source_type="hours"))
    assert spans == [(date(2025, 1, 20), date(2025, 1, 25)), (date(2025, 3, 20), date(2025, 3, 20))]  # per month
    invoice = q2.invoices.get()
    assert (invoice.period_start, invoice.period_end) == (date(2025, 1, 20), date(2025, 6, 30))


def test_a_discarded_preview_gives_its_time_back(world):
    make_catalogue(world.federation)
    report_time(world, "it", 90, date(2025, 7, 3), department=world.department)
    preview = run(world, "2025-Q3", approve=False)
    assert preview.lines.filter(source_type="hours").count() == 1
    services.invoice_run_discard(acting_user=system_actor(), run=preview)
    assert not BilledTimeEntry.objects.exists()
    again = run(world, "2025-Q3", approve=False)
    assert again.lines.get(source_type="hours").quantity == D("1.5")


def test_time_of_a_quarterly_team_waits_for_the_run_closing_the_quarter(world):
    cat = make_catalogue(world.federation)
    services.frequency_rule_set(
        acting_user=system_actor(), federation=world.federation, item=cat.support, frequency="Q"
    )
    report_time(world, "it", 60, date(2025, 1, 10))
    report_time(world, "it", 60, date(2025, 2, 10))
    assert not run(world, "2025-01", approve=False).lines.exists()
    assert not run(world, "2025-02", approve=False).lines.exists()
    march = run(world, "2025-03")
    line = march.lines.get(source_type="hours")
    assert (line.quantity, line.period_start, line.period_end) == (D("2"), date(2025, 1, 1), date(2025, 3, 31))


def test_the_migration_links_time_billed_under_the_old_keys(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("samverkan.billing.migrations.0005_frequency_manual_lines_billed_time")
    make_catalogue(world.federation)
    entry = report_time(world, "it", 60, date(2025, 2, 10), department=world.department)
    line = run(world, "2025-Q1", approve=False).lines.get(source_type="hours")
    BilledTimeEntry.objects.all().delete()  # as before the migration: a line keyed by its window only
    old_key = f"hours:{world.member.pk}:{world.department.pk}:it:2025-01-01:2025-03-31"
    InvoiceLine.objects.filter(pk=line.pk).update(source_key=old_key)
    migration.link_billed_time(apps, None)
    assert BilledTimeEntry.objects.get().time_entry_id == entry.pk
    assert not run(world, "2025-Q2", approve=False).lines.exists()  # not billed again
