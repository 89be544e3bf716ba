"""Invoice-run benchmark: 290 members × 50 invoice references, 1 000 000 billable lines.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/billing_run.py [--orders 1000000] [--naive-sample 10000]

Creates a throw-away test database (``test_<name>``, like the test runner; your data is not
touched), fills it set-based with 290 members, 50 departments each (every department its own
invoice reference, and every member wants one invoice per reference → 14 500 invoices) and
1 000 000 delivered orders in 2025-Q1, then measures

* candidate: the real service — ``invoice_run_create`` (INSERT … SELECT of the lines, grouping
  by UPDATE … FROM, totals by GROUP BY), ``invoice_run_approve`` and ``invoice_run_issue``
  (gapless numbers for 14 500 invoices);
* baseline: a naive per-line ORM implementation (for each order: price lookup, ``get_or_create``
  of its invoice, ``create`` of the line, totals updated per line) on a sample of the same
  orders, extrapolated linearly to all lines (running it on a million lines would take most
  of an hour; per-line cost does not fall with volume).

It prints both times and the ratio, and checks the candidate's result: every line billed once,
14 500 invoices, sum of invoices = sum of lines + VAT.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=290)
    parser.add_argument("--refs", type=int, default=50)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--naive-sample", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), CPUs: {os.cpu_count()}")
    old_name = connection.settings_dict["NAME"]
    t = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    print(f"test database created and migrated in {time.perf_counter() - t:.1f} s")
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def setup_data(args):
    from datetime import date

    from django.db import connection

    from samverkan.billing.models import MemberBillingSetting
    from samverkan.catalogue.models import CatalogueItem, Category, PriceVersion
    from samverkan.members.models import Department, Federation, Member

    federation = Federation.objects.create(
        slug="bench",
        name="Benchmarkförbundet",
        organisation_form="kommunalforbund",
        orgnr="222000-0018",
        vat_number="SE222000001801",
        bankgiro="5050-1055",
        street="Storgatan 1",
        postal_code="92181",
        city="Lycksele",
    )
    members = Member.objects.bulk_create(
        [
            Member(federation=federation, name=f"Kommun {i:03d}", kommunkod=f"{1000 + i}", orgnr="212000-0142")
            for i in range(args.members)
        ]
    )
    MemberBillingSetting.objects.bulk_create([MemberBillingSetting(member=m, per_reference=True) for m in members])
    departments = Department.objects.bulk_create(
        [
            Department(
                member=m, name=f"Förvaltning {r:02d}", code=f"F{r:02d}", invoice_reference=f"{m.kommunkod}-{r:02d}"
            )
            for m in members
            for r in range(args.refs)
        ],
        batch_size=5000,
    )
    category = Category.objects.create(federation=federation, name="Allt")
    units = ["one_off", "item", "hour"]
    items = CatalogueItem.objects.bulk_create(
        [
            CatalogueItem(
                federation=federation,
                code=f"art{i}",
                name=f"Artikel {i}",
                category=category,
                price_unit=units[i % 3],
                revenue_account=f"35{i % 10}0",
                activity="81141",
            )
            for i in range(20)
        ]
    )
    PriceVersion.objects.bulk_create(
        [
            PriceVersion(
                item=item,
                valid_from=date(2024, 1, 1),
                unit_price=Decimal(f"{99 + 37 * i}.{i:02d}"),
                vat_code=["25", "25", "12", "6", "E"][i % 5],
            )
            for i, item in enumerate(items)
        ]
    )
    n_depts = len(departments)
    first_dept, first_member, first_item = departments[0].pk, members[0].pk, items[0].pk
    assert departments[-1].pk == first_dept + n_depts - 1 and members[-1].pk == first_member + args.members - 1
    columns = (
        "federation_id, number, item_id, member_id, department_id, ordered_at, quantity, delivery_address, "
        "form_data, invoice_reference, status, delivered_on, note"
    )
    if connection.vendor == "postgresql":
        source = f"generate_series(0, {args.orders - 1}) AS g(i)"
        form, stamp, day = "'{}'::jsonb", "now()", "DATE '2025-01-01' + (i % 90)"
        prefix = ""
    else:
        prefix = f"WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < {args.orders - 1}) "  # noqa: S608
        source = "g"
        form, stamp, day = "'{}'", "CURRENT_TIMESTAMP", "date('2025-01-01', '+' || (i % 90) || ' days')"
    dept = f"({first_dept} + i % {n_depts})"
    # the department's invoice reference, "<kommunkod>-<nn>", computed instead of looked up
    m, r = f"((i % {n_depts}) / {args.refs})", f"((i % {n_depts}) % {args.refs})"
    ref = f"CAST(1000 + {m} AS VARCHAR(6)) || '-' || CASE WHEN {r} < 10 THEN '0' ELSE '' END || CAST({r} AS VARCHAR(3))"
    sql = (
        f"INSERT INTO catalogue_order ({columns}) {prefix}"  # noqa: S608
        f"SELECT {federation.pk}, 'B' || CAST(i AS VARCHAR(12)), {first_item} + i % 20, "
        f"{first_member} + (i % {n_depts}) / {args.refs}, {dept}, {stamp}, 1 + i % 5, '', {form}, "
        f"{ref}, 'delivered', {day}, '' FROM {source}"
    )
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    print(
        f"{args.orders:,} delivered orders for {args.members} members × {args.refs} references "
        f"generated in {time.perf_counter() - t:.1f} s"
    )
    return federation


def naive_run(federation, sample: int) -> float:
    """What a straightforward per-line ORM implementation does, timed on ``sample`` orders."""
    from django.db import transaction

    from samverkan.billing.models import Invoice, InvoiceLine, InvoiceRun
    from samverkan.catalogue.models import Order, PriceVersion
    from samverkan.domain.invoice_math import line_net, round_ore, vat_code

    run = InvoiceRun.objects.create(
        federation=federation,
        period="2025-Q1",
        timing="arrears",
        prorata_rule="days",
        issue_date="2025-04-01",
        due_date="2025-05-01",
    )
    start = time.perf_counter()
    with transaction.atomic():
        for order in (
            Order.objects.filter(federation=federation, status="delivered")
            .select_related("item")
            .order_by("pk")[:sample]
        ):
            price = (
                PriceVersion.objects.filter(item=order.item, valid_from__lte=order.delivered_on)
                .order_by("-valid_from")
                .first()
            )
            net = line_net(order.quantity, price.unit_price)
            invoice, _ = Invoice.objects.get_or_create(
                run=run,
                member_id=order.member_id,
                invoice_reference=order.invoice_reference,
                vat_scope="V",
                defaults={"federation": federation, "issue_date": run.issue_date, "due_date": run.due_date},
            )
            InvoiceLine.objects.create(
                run=run,
                invoice=invoice,
                member_id=order.member_id,
                invoice_reference=order.invoice_reference,
                source_type="order",
                source_id=order.pk,
                source_key=f"naive-order:{order.pk}",
                item=order.item,
                description=order.item.name,
                quantity=order.quantity,
                unit_price=price.unit_price,
                net=net,
                vat_code=price.vat_code,
                revenue_account=order.item.revenue_account,
                activity=order.item.activity,
            )
            vat = round_ore(net * vat_code(price.vat_code).rate / 100)
            invoice.net += net
            invoice.vat += vat
            invoice.total = invoice.net + invoice.vat
            invoice.save(update_fields=["net", "vat", "total"])
    elapsed = time.perf_counter() - start
    with transaction.atomic():
        InvoiceLine.objects.filter(run=run).delete()
        Invoice.objects.filter(run=run).delete()
        run.delete()
    return elapsed


def run(args) -> None:
    from django.db.models import Count, Sum

    from samverkan.billing import services
    from samverkan.billing.models import Invoice, InvoiceLine
    from samverkan.core.actors import system_actor

    federation, system = setup_data(args), system_actor()

    naive = naive_run(federation, args.naive_sample)
    per_line = naive / args.naive_sample
    naive_estimate = per_line * args.orders
    print(
        f"baseline (naive per-line ORM): {args.naive_sample:,} lines in {naive:.2f} s "
        f"= {per_line * 1e6:.0f} µs/line → {naive_estimate:.0f} s for {args.orders:,} lines (extrapolated)"
    )

    t0 = time.perf_counter()
    run = services.invoice_run_create(acting_user=system, federation=federation, period="2025-Q1", sources=("orders",))
    t1 = time.perf_counter()
    services.invoice_run_approve(acting_user=system, run=run)
    services.invoice_run_issue(acting_user=system, run=run)
    t2 = time.perf_counter()
    candidate = t2 - t0
    print(
        f"candidate (set-based service): gather + group + totals {t1 - t0:.1f} s, approve + issue {t2 - t1:.1f} s, "
        f"total {candidate:.1f} s"
    )

    lines = InvoiceLine.objects.filter(run=run).aggregate(n=Count("id"), net=Sum("net"))
    invoices = Invoice.objects.filter(run=run).aggregate(
        n=Count("id"), net=Sum("net"), vat=Sum("vat"), total=Sum("total")
    )
    numbered = Invoice.objects.filter(run=run, issued=True).exclude(number=None).count()
    assert lines["n"] == args.orders, lines
    assert invoices["n"] == numbered == args.members * args.refs, invoices
    assert invoices["net"] == lines["net"] and invoices["total"] == invoices["net"] + invoices["vat"]
    print(
        f"checked: {lines['n']:,} lines, {invoices['n']:,} invoices numbered, invoiced {invoices['total']:,} kr "
        f"= lines {lines['net']:,} + VAT {invoices['vat']:,}"
    )
    print(
        f"RESULT candidate {candidate:.1f} s, baseline {naive_estimate:.0f} s (extrapolated), "
        f"ratio {naive_estimate / candidate:.1f}×, under 60 s: {'yes' if candidate < 60 else 'NO'}"
    )


if __name__ == "__main__":
    main()
