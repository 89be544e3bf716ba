"""The other two sources of billable lines: allocation runs and hours reported on tickets.

Hours are read entry by entry from the portal's ``TimeEntry`` rows (each linked to the line that
billed it), so the tests write real tickets and time entries.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from samverkan.allocation import services as allocation
from samverkan.allocation.models import KeyKind, PoolKind, RunKind
from samverkan.billing import services, sql
from samverkan.billing.models import InvoiceLine
from samverkan.billing.peppol.validate import fatal, validate
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.domain.invoice_math import round_ore

D = Decimal
pytestmark = pytest.mark.django_db


def fee_pool(world, amounts):
    key = allocation.key_create(
        acting_user=system_actor(), federation=world.federation, name="Avgift", kind=KeyKind.DECIDED
    )
    allocation.key_values_set(
        acting_user=system_actor(), key=key, values={world.member: amounts[0], world.other_member: amounts[1]}
    )
    return allocation.pool_create(
        acting_user=system_actor(),
        federation=world.federation,
        name="Medlemsavgift 2025",
        kind=PoolKind.MEMBERSHIP,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        total=sum(amounts, D(0)),
        key=key,
    )


def test_allocation_is_billed_quarterly_outside_vat_and_sums_exactly(world):
    pool = fee_pool(world, [D(100001), D(50000)])
    allocation.run_approve(
        acting_user=system_actor(), run=allocation.run_create(acting_user=system_actor(), pool=pool, label="2025")
    )
    for quarter in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"):
        services.invoice_run_execute(
            acting_user=system_actor(), federation=world.federation, period=quarter, approve=True
        )
    lines = InvoiceLine.objects.filter(source_type="allocation", member=world.member).order_by("period_start")
    assert [ln.net for ln in lines] == [D("25000.25"), D("25000.25"), D("25000.25"), D("25000.25")]
    assert sum(ln.net for ln in lines) == D("100001.00")
    assert {ln.vat_code for ln in lines} == {"O"} and all(ln.invoice.vat == 0 for ln in lines)
    again = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q4")
    assert not again.lines.exists()


def test_final_allocation_run_is_billed_as_its_difference(world):
    pool = fee_pool(world, [D(100000), D(50000)])
    first = allocation.run_create(acting_user=system_actor(), pool=pool, label="prel", kind=RunKind.PRELIMINARY)
    allocation.run_approve(acting_user=system_actor(), run=first)
    services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q1", approve=True
    )
    services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q2", approve=True
    )
    final_key = allocation.key_create(
        acting_user=system_actor(), federation=world.federation, name="Slutlig", kind=KeyKind.DECIDED
    )
    allocation.key_values_set(
        acting_user=system_actor(), key=final_key, values={world.member: D(80000), world.other_member: D(70000)}
    )
    final = allocation.run_create(
        acting_user=system_actor(), pool=pool, label="slutlig", kind=RunKind.FINAL, key=final_key
    )
    allocation.run_approve(acting_user=system_actor(), run=final)
    services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q3", approve=True
    )
    q3 = InvoiceLine.objects.get(source_type="allocation", member=world.member, source_key__endswith="2025-Q3")
    assert q3.net == D("10000.00")  # 3/4 of 80 000 is due, 50 000 already billed
    q3_other = InvoiceLine.objects.get(
        source_type="allocation", member=world.other_member, source_key__endswith="2025-Q3"
    )
    assert q3_other.net == D("27500.00")  # 52 500 due, 25 000 billed
    services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q4", approve=True
    )
    total = sum(ln.net for ln in InvoiceLine.objects.filter(source_type="allocation", member=world.member))
    assert total == D("80000.00")


def test_negative_true_up_gives_a_negative_line_the_validators_accept(world):
    from samverkan.billing.exporters import adapters

    pool = fee_pool(world, [D(100000), D(50000)])
    allocation.run_approve(
        acting_user=system_actor(), run=allocation.run_create(acting_user=system_actor(), pool=pool, label="prel")
    )
    services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q1", approve=True
    )
    services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q2", approve=True
    )
    low = allocation.key_create(
        acting_user=system_actor(), federation=world.federation, name="Låg", kind=KeyKind.DECIDED
    )
    allocation.key_values_set(
        acting_user=system_actor(), key=low, values={world.member: D(20000), world.other_member: D(130000)}
    )
    allocation.run_approve(
        acting_user=system_actor(),
        run=allocation.run_create(acting_user=system_actor(), pool=pool, label="slut", kind=RunKind.FINAL, key=low),
    )
    run = services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q3", approve=True
    )
    invoice = run.invoices.get(member=world.member)
    assert invoice.total == D("-35000.00")  # 15 000 due by Q3, 50 000 billed
    assert fatal(validate(adapters.peppol_bytes(invoice))) == []


def report_time(world, team_code, minutes, day, department=None):
    """A billable time entry on a new ticket of ``team_code`` (the portal's models, as the desk writes them)."""
    from samverkan.portal.models import Team, Ticket, TimeEntry

    team, _created = Team.objects.get_or_create(
        federation=world.federation, code=team_code, defaults={"name": team_code}
    )
    ticket = Ticket.objects.create(
        federation=world.federation, member=world.member, department=department, team=team, title="Ärende"
    )
    return TimeEntry.objects.create(ticket=ticket, user=world.users["agent"], day=day, minutes=minutes)


def test_hours_on_tickets_are_priced_by_the_team_hourly_item(world):
    cat = make_catalogue(world.federation)
    world.department.invoice_reference = "2481-SOC"
    world.department.save()
    for minutes in (60, 45, 45):
        report_time(world, "it", minutes, date(2025, 2, 10), department=world.department)
    report_time(world, "telefoni", 30, date(2025, 3, 1))
    report_time(world, "it", 60, date(2025, 4, 1), department=world.department)  # the next quarter
    run = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q1")
    line = run.lines.get(source_type="hours")
    assert (line.quantity, line.unit_price, line.net, line.unit_code) == (D("2.5"), D("725.00"), D("1812.50"), "HUR")
    assert line.item == cat.support and line.invoice_reference == "2481-SOC"
    assert (line.period_start, line.period_end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert "telefoni" in run.note  # no hourly item for that team: reported, not billed
    again = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q1")
    assert not again.lines.filter(source_type="hours").exists()


@pytest.mark.parametrize("ore", [0, 1, 2, 3, 5, 199, 200, 201, -1, -2, -3, -199, -200, -201, 123456789, -987654321])
@pytest.mark.parametrize("rate", [25, 12, 6])
def test_sql_half_up_equals_domain_rounding(ore, rate):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql.half_up('CAST(%s AS BIGINT) * %s', 100)}", [ore, rate] * 3)
        from_db = cursor.fetchone()[0]
    assert D(from_db) / 100 == round_ore(D(ore) / 100 * rate / 100)


def test_allocation_gather_does_not_query_per_pool_or_member(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samverkan.billing import gather
    from samverkan.billing.models import InvoiceRun
    from samverkan.domain.periods import parse_period

    def queries_for_q1() -> int:
        run = InvoiceRun.objects.create(
            federation=world.federation, period="2025-Q1", timing="arrears", prorata_rule="days",
            issue_date=date(2025, 4, 1), due_date=date(2025, 5, 1),
        )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            billed = gather.gather_allocations(run, parse_period("2025-Q1"), "3600")
        InvoiceLine.objects.filter(run=run).delete()
        return billed, len(captured)

    pool = fee_pool(world, [D(100000), D(50000)])
    allocation.run_approve(
        acting_user=system_actor(), run=allocation.run_create(acting_user=system_actor(), pool=pool, label="a")
    )
    one_pool = queries_for_q1()
    second = allocation.pool_create(
        acting_user=system_actor(),
        federation=world.federation,
        name="Plattform 2025",
        kind=PoolKind.PLATFORM,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        total=D(150000),
        key=pool.key,
    )
    allocation.run_approve(
        acting_user=system_actor(), run=allocation.run_create(acting_user=system_actor(), pool=second, label="b")
    )
    two_pools = queries_for_q1()
    assert (one_pool[0], two_pools[0]) == (2, 4)  # a line per member and pool
    assert one_pool[1] == two_pools[1]  # the shares, the billed keys, the insert: not a query per row
