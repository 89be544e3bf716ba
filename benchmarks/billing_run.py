"""Invoice-run benchmark: 290 members × 50 invoice references, 1 000 000 billable lines.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/billing_run.py [--orders 1000000] [--naive-sample 10000]

Creates a throw-away test database (``test_<name>``, like the test runner; your data is not
touched), fills it set-based with 290 members, 50 departments each (every department its own
invoice reference, and every member wants one invoice per reference → 14 500 invoices) and
1 000 000 delivered orders in 2025-Q1, then measures

* candidate: the real service — ``invoice_run_create`` (INSERT … SELECT of the lines, grouping
  by UPDATE … FROM, totals by GROUP BY), ``invoice_run_approve`` and ``invoice_run_issue``
  (gapless numbers for 14 500 invoices);
* set-based baseline (PostgreSQL): a hand-written SQL pipeline doing the same work on the same
  data — one INSERT … SELECT of the lines with their prices, INSERT … SELECT DISTINCT of the
  invoices, one UPDATE … FROM putting the lines on their invoices, one GROUP BY update of the
  totals, one ROW_NUMBER update numbering them — committed like the service;
* naive baseline: a per-line ORM implementation (for each order: price lookup, ``get_or_create``
  of its invoice, ``create`` of the line, totals updated per line) on a sample of the same
  orders, extrapolated linearly to all lines (running it on a million lines would take most
  of an hour; per-line cost does not fall with volume).

Both the set-based baseline and the candidate start from the same state: the lines, invoices and
number series tables are emptied (TRUNCATE) and analysed before each. The candidate's timing is
create + approve + issue; the Peppol/EN 16931 check of the drafts, which runs as a background job
after the preview (``invoice_run_validate``), is timed on its own line and not in that sum.

It prints the times, the ratios and the machine's load (``os.getloadavg()``: 8 helpers may share
the 2 cores), and checks both results alike: every line billed once, 14 500 invoices numbered,
sum of invoices = sum of lines + VAT.
"""

# ruff: noqa: S608  (the hand-written baseline formats ids and dates it made itself into its SQL)

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
    parser.add_argument(
        "--peppol-sample",
        type=int,
        default=0,
        help="run the background Peppol check on this many drafts only, extrapolated; the other drafts get a "
        "passing verdict unchecked (0: check every draft, as the service's job does)",
    )
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
        prefix = f"WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < {args.orders - 1}) "
        source = "g"
        form, stamp, day = "'{}'", "CURRENT_TIMESTAMP", "date('2025-01-01', '+' || (i % 90) || ' days')"
    dept = f"({first_dept} + i % {n_depts})"
    # the department's invoice reference, "<kommunkod>-<nn>", computed instead of looked up
    m, r = f"((i % {n_depts}) / {args.refs})", f"((i % {n_depts}) % {args.refs})"
    ref = f"CAST(1000 + {m} AS VARCHAR(6)) || '-' || CASE WHEN {r} < 10 THEN '0' ELSE '' END || CAST({r} AS VARCHAR(3))"
    sql = (
        f"INSERT INTO catalogue_order ({columns}) {prefix}"
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


def set_based_run(federation, period_start, period_end) -> tuple[float, int]:
    """The hand-written set-based pipeline (PostgreSQL): what the service is measured against.

    One INSERT … SELECT writes every line with its price, one INSERT … SELECT DISTINCT the invoices,
    one UPDATE … FROM puts each line on its invoice, one GROUP BY update totals them (VAT per invoice
    and rate on the rate's sum, half-up) and one ROW_NUMBER update numbers them; committed like the
    service, in the same tables with the same indexes and triggers. Returns (seconds, run id).
    """
    from datetime import timedelta

    from django.db import connection, transaction

    from samverkan.billing import selectors
    from samverkan.billing.models import InvoiceRun

    profile = selectors.profile_for(federation)
    issue_date = period_end + timedelta(days=1)
    run = InvoiceRun.objects.create(
        federation=federation,
        period="2025-Q1",
        timing="arrears",
        prorata_rule="days",
        issue_date=issue_date,
        due_date=issue_date + timedelta(days=profile.payment_days),
    )
    f, r = federation.pk, run.pk
    rate = "CASE vat_code WHEN '25' THEN 25 WHEN '12' THEN 12 WHEN '6' THEN 6 WHEN 'E' THEN 0 WHEN 'O' THEN 0 END"
    scope = "CASE l.vat_code WHEN 'O' THEN 'O' ELSE 'V' END"
    ref = (
        "CASE WHEN l.member_id IN (SELECT member_id FROM billing_memberbillingsetting WHERE per_reference) "
        "THEN l.invoice_reference ELSE '' END"
    )
    statements = [
        # every delivered, unbilled order of the period as a line, with the price valid on delivery (NOT IN: the
        # billed ids are hashed once before the insert; a NOT EXISTS planned as a nested loop over the table
        # being inserted into rescans its growing heap per row and took over 11 minutes)
        f"""INSERT INTO billing_invoiceline (run_id, invoice_id, member_id, invoice_reference, source_type,
                source_id, source_key, item_id, description, quantity, unit_code, unit_price, net, vat_code,
                revenue_account, activity, period_start, period_end, order_number)
            SELECT {r}, NULL, o.member_id, o.invoice_reference, 'order', o.id, 'order:' || o.id, o.item_id, i.name,
                o.quantity, CASE i.price_unit WHEN 'one_off' THEN 'C62' WHEN 'hour' THEN 'HUR' WHEN 'item' THEN 'H87'
                END, p.unit_price, CAST(ROUND(o.quantity * p.unit_price) AS BIGINT), p.vat_code,
                i.revenue_account, i.activity, o.delivered_on, o.delivered_on, o.number
            FROM catalogue_order o
            JOIN catalogue_catalogueitem i ON i.id = o.item_id
            JOIN catalogue_priceversion p ON p.item_id = o.item_id AND p.valid_from <= o.delivered_on
                AND (p.valid_to IS NULL OR p.valid_to >= o.delivered_on)
            WHERE o.federation_id = {f} AND o.status = 'delivered' AND o.delivered_on <= '{period_end}'
              AND i.price_unit IN ('one_off', 'hour', 'item')
              AND o.id NOT IN (SELECT b.source_id FROM billing_invoiceline b
                               WHERE b.source_type = 'order' AND b.source_id IS NOT NULL)""",
        # one draft per member (and reference, for members who want that) and VAT scope
        f"""INSERT INTO billing_invoice (federation_id, run_id, kind, member_id, invoice_reference, order_reference,
                vat_scope, series, number, issued, issue_date, due_date, period_start, period_end, net, vat,
                rounding, total, credits_id, note)
            SELECT DISTINCT {f}, {r}, '380', l.member_id, {ref}, '', {scope}, '', NULL::varchar, false,
                DATE '{run.issue_date}', DATE '{run.due_date}', DATE '{period_start}', DATE '{period_end}',
                0, 0, 0, 0, NULL::bigint, ''
            FROM billing_invoiceline l WHERE l.run_id = {r}""",
        f"""UPDATE billing_invoiceline l SET invoice_id = inv.id FROM billing_invoice inv
            WHERE l.run_id = {r} AND inv.run_id = {r} AND inv.member_id = l.member_id
              AND inv.invoice_reference = {ref} AND inv.vat_scope = {scope}""",
        f"""UPDATE billing_invoice inv SET net = t.net, vat = t.vat, total = t.net + t.vat FROM (
                SELECT invoice_id, SUM(net) AS net, SUM(vat) AS vat FROM (
                    SELECT invoice_id, SUM(net) AS net, ROUND(SUM(net) * {rate} / 100.0) AS vat
                    FROM billing_invoiceline WHERE run_id = {r} GROUP BY invoice_id, vat_code
                ) g GROUP BY invoice_id
            ) t WHERE inv.id = t.invoice_id""",
        f"""UPDATE billing_invoice inv SET series = '{profile.invoice_series}', issued = true,
                number = '{profile.invoice_series}{issue_date.year}-' || lpad(CAST(n.rn AS TEXT), 5, '0')
            FROM (SELECT i.id, ROW_NUMBER() OVER (ORDER BY m.name, i.member_id, i.invoice_reference, i.vat_scope) AS rn
                  FROM billing_invoice i JOIN members_member m ON m.id = i.member_id WHERE i.run_id = {r}) n
            WHERE inv.id = n.id""",
        f"UPDATE billing_invoicerun SET status = 'issued', issued_at = now() WHERE id = {r}",
    ]
    steps = ["lines", "invoices", "lines onto invoices", "totals", "numbers", "run"]
    start, times = time.perf_counter(), []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '128MB'")  # the service's setting for its batch statements
        for step, statement in zip(steps, statements, strict=True):
            t = time.perf_counter()
            cursor.execute(statement)
            if step in ("lines", "invoices"):  # the fresh rows' numbers for the planner, as the service does
                cursor.execute(f"ANALYZE billing_{'invoiceline' if step == 'lines' else 'invoice'}")
            times.append(f"{step} {time.perf_counter() - t:.1f}")
        t = time.perf_counter()
    times.append(f"commit {time.perf_counter() - t:.1f}")
    print("set-based baseline steps (s):", ", ".join(times))
    return time.perf_counter() - start, r


def reset() -> None:
    """Empty what a run writes, so the next contender starts where the previous one did."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE billing_invoiceline, billing_invoice, billing_numberseries CASCADE")
            cursor.execute("ANALYZE billing_invoiceline")
            cursor.execute("ANALYZE billing_invoice")
        else:  # SQLite: only the naive run's rows are there, and it deleted them
            cursor.execute("DELETE FROM billing_numberseries")


def check(run_id: int, args, who: str) -> None:
    from django.db.models import Count, Sum

    from samverkan.billing.models import Invoice, InvoiceLine

    lines = InvoiceLine.objects.filter(run_id=run_id).aggregate(n=Count("id"), net=Sum("net"))
    invoices = Invoice.objects.filter(run_id=run_id).aggregate(
        n=Count("id"), net=Sum("net"), vat=Sum("vat"), total=Sum("total")
    )
    numbered = Invoice.objects.filter(run_id=run_id, issued=True).exclude(number=None).count()
    loose = InvoiceLine.objects.filter(run_id=run_id, invoice=None).count()
    assert lines["n"] == args.orders and loose == 0, (lines, loose)
    assert invoices["n"] == numbered == args.members * args.refs, invoices
    assert invoices["net"] == lines["net"] and invoices["total"] == invoices["net"] + invoices["vat"]
    print(
        f"checked {who}: {lines['n']:,} lines, {invoices['n']:,} invoices numbered, invoiced "
        f"{invoices['total']:,} kr = lines {lines['net']:,} + VAT {invoices['vat']:,}"
    )
    return invoices["total"]


def peppol_check(run, system, sample: int) -> str:
    """The background Peppol check of the drafts (``invoice_run_validate``), before approve and issue."""
    from samverkan.billing import services
    from samverkan.billing.models import Invoice
    from samverkan.billing.peppol import verdicts

    t = time.perf_counter()
    drafts = Invoice.objects.filter(run=run).select_related("member", "federation", "run").order_by("pk")
    if not sample:
        valid, invalid = services.invoice_run_validate(acting_user=system, run=run)
        assert invalid == 0, (valid, invalid)
        return f"Peppol check of {valid:,} drafts (background job, not counted) {time.perf_counter() - t:.1f} s"
    valid, invalid = verdicts.check_drafts(drafts[:sample], placeholder="F2025-00000")
    assert invalid == 0, (valid, invalid)
    per_draft = (time.perf_counter() - t) / sample
    rest = list(drafts[sample:])
    digests = verdicts.digests(rest)
    for invoice in rest:
        invoice.peppol_valid, invoice.peppol_findings, invoice.peppol_digest = True, "", digests[invoice.pk]
    Invoice.objects.bulk_update(rest, ["peppol_valid", "peppol_findings", "peppol_digest"], batch_size=2000)
    return (
        f"Peppol check (background job, not counted) of {sample:,} drafts {per_draft * 1000:.0f} ms each → "
        f"{per_draft * (sample + len(rest)):.0f} s for all {sample + len(rest):,} (extrapolated; the other drafts "
        "were given a passing verdict unchecked)"
    )


def load() -> str:
    return "load " + " / ".join(f"{x:.1f}" for x in os.getloadavg()) + f" (1/5/15 min, {os.cpu_count()} CPUs)"


def run(args) -> None:
    from datetime import date

    from django.db import connection

    from samverkan.billing import services
    from samverkan.core.actors import system_actor

    federation, system = setup_data(args), system_actor()
    print(load())

    naive_estimate = None
    if args.naive_sample:
        naive = naive_run(federation, args.naive_sample)
        per_line = naive / args.naive_sample
        naive_estimate = per_line * args.orders
        print(
            f"naive baseline (per-line ORM): {args.naive_sample:,} lines in {naive:.2f} s "
            f"= {per_line * 1e6:.0f} µs/line → {naive_estimate:.0f} s for {args.orders:,} lines (extrapolated); "
            f"{load()}"
        )

    set_based = None
    if connection.vendor == "postgresql":
        reset()
        set_based, baseline_run = set_based_run(federation, date(2025, 1, 1), date(2025, 3, 31))
        print(f"set-based baseline (hand-written SQL): {set_based:.1f} s; {load()}")
        baseline_total = check(baseline_run, args, "set-based baseline")
    reset()

    t0 = time.perf_counter()
    run = services.invoice_run_create(acting_user=system, federation=federation, period="2025-Q1", sources=("orders",))
    t1 = time.perf_counter()
    validated = peppol_check(run, system, args.peppol_sample)
    t2 = time.perf_counter()
    services.invoice_run_approve(acting_user=system, run=run)
    services.invoice_run_issue(acting_user=system, run=run)
    t3 = time.perf_counter()
    candidate = (t1 - t0) + (t3 - t2)
    print(
        f"candidate (the service): gather + group + totals {t1 - t0:.1f} s, approve + issue {t3 - t2:.1f} s "
        f"(Peppol check as a background job before them), total {candidate:.1f} s; {validated}; {load()}"
    )
    total = check(run.pk, args, "candidate")
    if set_based is not None:
        assert total == baseline_total, (total, baseline_total)
        print(
            f"RESULT candidate {candidate:.1f} s, set-based baseline {set_based:.1f} s, ratio candidate/set-based "
            f"{candidate / set_based:.2f} (goal ≤ 1.5: {'yes' if candidate <= 1.5 * set_based else 'NO'}), "
            f"under 15 s: {'yes' if candidate < 15 else 'NO'}"
        )
    if naive_estimate is not None:
        print(
            f"RESULT naive baseline {naive_estimate:.0f} s (extrapolated), ratio naive/candidate "
            f"{naive_estimate / candidate:.1f}×"
        )
    print(f"RESULT {load()}")


if __name__ == "__main__":
    main()
