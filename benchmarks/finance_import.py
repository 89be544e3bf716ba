"""Ledger import benchmark: a SIE 4E file of 1 000 000 transactions, imported and followed up.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/finance_import.py \
        [--transactions 1000000] [--naive-sample 5000] [--cache FILE]

Creates a throw-away test database (``test_finance_import``; your data is not touched), a
federation, and a generated SIE 4E file for 2023 (written by ``samverkan.domain.sie.write_sie``:
a Kommun-Bas chart, four activities and ten projects as objects, opening balances, vouchers of
four lines each — a cost on an activity against the bank, a member fee on an activity), then
measures

* candidate: the real service ``finance.services.ledger.import_sie`` (parse, check, COPY on
  PostgreSQL / executemany elsewhere, in one transaction) followed by the year's follow-up
  report (``finance.usecases.followup.followup_report``, kind ``followup``, the whole year);
* baseline: a straightforward importer — the same parser, then ``Voucher.objects.create`` per
  voucher and ``Transaction.objects.create`` per line inside one transaction — timed on a sample
  of the file's lines and extrapolated linearly to all lines (per-line cost does not fall with
  volume), plus the same parse time and the same follow-up.

It prints both times and the ratio, and checks the candidate's result: every line stored once,
every voucher balances, the year's result equals the generator's.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

ACTIVITIES = {"81141": "IT", "81143": "Kundtjänst", "81145": "Revision", "81146": "LYSTKOM"}
COST_ACCOUNTS = ["4010", "4410", "5010", "5110", "5410", "6110", "6310", "6410", "7010", "7810"]
INCOME_ACCOUNTS = ["3010", "3110", "8010"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--naive-sample", type=int, default=5_000)
    parser.add_argument("--cache", type=Path, help="keep the generated file here and reuse it (same size)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), CPUs: {os.cpu_count()}")
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        "test_finance_import" if connection.vendor == "postgresql" else None
    )
    t = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    print(f"test database created and migrated in {time.perf_counter() - t:.1f} s")
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def generate(n_transactions: int):
    """The SIE file as a SieFile (bytes via write_sie) and its expected result in öre."""
    from datetime import date, timedelta

    from samverkan.domain.sie import SieAccount, SieBalance, SieDimension, SieFile, SieTrans, SieVoucher

    accounts = {"1930": SieAccount("1930", "Bank", "T"), "2081": SieAccount("2081", "Eget kapital", "S")}
    accounts |= {a: SieAccount(a, f"Kostnad {a}", "K") for a in COST_ACCOUNTS}
    accounts |= {a: SieAccount(a, f"Intäkt {a}", "I") for a in INCOME_ACCOUNTS}
    objects = {(1, code): name for code, name in ACTIVITIES.items()}
    objects |= {(6, f"P{i:02d}"): f"Projekt {i}" for i in range(10)}
    codes = list(ACTIVITIES)
    vouchers, line, result = [], 100, 0
    n_vouchers = n_transactions // 4
    start = date(2023, 1, 1)
    for i in range(n_vouchers):
        day = start + timedelta(days=i * 365 // max(n_vouchers, 1))
        activity = ((1, codes[i % 4]),)
        project = ((1, codes[i % 4]), (6, f"P{i % 10:02d}"))
        cost = 10_000 + (i * 7919) % 900_000  # öre
        fee = cost + 5_000 + (i * 104729) % 50_000
        rows = (
            SieTrans(COST_ACCOUNTS[i % len(COST_ACCOUNTS)], project if i % 3 == 0 else activity, cost, None, "", None),
            SieTrans("1930", (), -cost),
            SieTrans(INCOME_ACCOUNTS[i % len(INCOME_ACCOUNTS)], activity, -fee, None, "Avgift", None),
            SieTrans("1930", (), fee),
        )
        result += fee - cost
        vouchers.append(SieVoucher(["A", "B", "C"][i % 3], str(i + 1), day, f"Verifikation {i + 1}", None, line, rows))
        line += 6
    sie = SieFile(
        sie_type="4",
        program="Samverkan benchmark",
        generated=date(2024, 1, 15),
        company_name="Benchmarkförbundet",
        orgnr="222000-0018",
        chart_type="KOMMUNBAS",
        fiscal_years={0: (date(2023, 1, 1), date(2023, 12, 31)), -1: (date(2022, 1, 1), date(2022, 12, 31))},
        accounts=accounts,
        dimensions={1: SieDimension(1, "Verksamhet"), 6: SieDimension(6, "Projekt")},
        objects=objects,
        balances=[
            SieBalance("IB", 0, "1930", (), None, 500_000_00),
            SieBalance("IB", 0, "2081", (), None, -500_000_00),
        ],
        vouchers=vouchers,
    )
    return sie, result


def setup_federation():
    from samverkan.members.models import Federation

    return Federation.objects.create(
        slug="bench",
        name="Benchmarkförbundet",
        organisation_form="kommunalforbund",
        orgnr="222000-0018",
        vat_number="SE222000001801",
        bankgiro="5050-1055",
    )


def naive_import(federation, user, sie, sample: int) -> tuple[float, int]:
    """A straightforward per-line ORM importer on the first `sample` lines of the parsed file."""
    from django.db import transaction

    from samverkan.domain.sie import format_objects
    from samverkan.finance.models import FiscalYear, Transaction, Voucher

    start = time.perf_counter()
    done = 0
    with transaction.atomic():
        fy = FiscalYear.objects.create(
            federation=federation,
            year=2022,  # beside the candidate's 2023, removed below
            start=sie.fiscal_years[0][0],
            end=sie.fiscal_years[0][1],
            sie_type="4",
            source_name="naive.se",
            source_sha256="",
            imported_by=user,
        )
        for v in sie.vouchers:
            voucher = Voucher.objects.create(
                fiscal_year=fy, series=v.series, number=v.number, date=v.date, text=v.text, line=v.line
            )
            for t in v.transactions:
                day = t.date or v.date
                Transaction.objects.create(
                    fiscal_year=fy,
                    voucher=voucher,
                    kind=t.kind,
                    account=t.account,
                    activity=next((c for d, c in t.objects if d == 1), ""),
                    project=next((c for d, c in t.objects if d == 6), ""),
                    object_list=format_objects(t.objects),
                    period=day.year * 100 + day.month,
                    date=day,
                    amount=Decimal(t.amount_ore) / 100,
                    quantity=t.quantity,
                    text=t.text,
                    line=t.line,
                )
                done += 1
            if done >= sample:
                break
    elapsed = time.perf_counter() - start
    with transaction.atomic():
        Transaction.objects.filter(fiscal_year=fy).delete()
        Voucher.objects.filter(fiscal_year=fy).delete()
        fy.delete()
    return elapsed, done


def follow_up(federation, user) -> tuple[float, str]:
    """The year's follow-up report (D's use case), or a plain GROUP BY when it is not available."""
    from django.db.models import Sum

    from samverkan.finance.models import Transaction

    start = time.perf_counter()
    try:
        from samverkan.finance.usecases.followup import followup_report

        report = followup_report(user=user, federation=federation, kind="followup", year=2023, period="Y")
        report.as_dict()
        what = "followup_report(kind=followup, period=Y)"
    except Exception as exc:  # the benchmark still measures the aggregation
        list(
            Transaction.objects.filter(fiscal_year__year=2023)
            .values("activity", "account", "period")
            .annotate(total=Sum("amount"))
        )
        what = f"GROUP BY activity, account, period (follow-up report failed: {exc})"
    return time.perf_counter() - start, what


def backend_cpu() -> float:
    """CPU seconds the database backend of this connection has used (local PostgreSQL: read from
    /proc; elsewhere 0), to tell the import's own cost from waiting on a busy machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(args) -> None:
    from django.db.models import Count, Sum

    from samverkan.core.actors import system_actor
    from samverkan.domain.sie import parse_sie, write_sie
    from samverkan.finance.models import Transaction, Voucher
    from samverkan.finance.services.ledger import import_sie

    federation, system = setup_federation(), system_actor()
    t = time.perf_counter()
    sie, expected_result = generate(args.transactions)
    if args.cache and args.cache.exists():
        data = args.cache.read_bytes()
    else:
        data = write_sie(sie)
        if args.cache:
            args.cache.write_bytes(data)
    del sie
    elapsed = time.perf_counter() - t
    print(f"SIE 4E file of {args.transactions:,} transactions ({len(data) / 1e6:.0f} MB) written in {elapsed:.1f} s")

    t = time.perf_counter()
    parsed = parse_sie(data)
    parse_time = time.perf_counter() - t
    naive, lines = naive_import(federation, system, parsed, args.naive_sample)
    del parsed
    per_line = naive / lines
    naive_estimate = parse_time + per_line * args.transactions
    print(
        f"baseline (parse + per-line ORM create): parse {parse_time:.1f} s, {lines:,} lines in {naive:.2f} s "
        f"= {per_line * 1e6:.0f} µs/line → {naive_estimate:.0f} s for {args.transactions:,} lines (extrapolated)"
    )

    import logging

    logging.basicConfig(format="  %(message)s")
    logging.getLogger("samverkan.finance.services.ledger").setLevel(logging.INFO)
    server_cpu = backend_cpu()
    cpu0, t0 = time.process_time(), time.perf_counter()
    result = import_sie(acting_user=system, federation=federation, data=data, source_name="bench.se")
    cpu1, t1 = time.process_time(), time.perf_counter()
    server_cpu = backend_cpu() - server_cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes
    report_time, what = follow_up(federation, system)
    candidate = t1 - t0 + report_time
    print(
        f"candidate: import_sie {t1 - t0:.1f} s (of which parsing ≈ {parse_time:.1f} s; process peak RSS "
        f"{peak / 1e6:.0f} MB incl. the file and the parsed file), follow-up {report_time:.1f} s [{what}], "
        f"total {candidate:.1f} s"
    )
    baseline = naive_estimate + report_time
    print(
        f"CPU during import_sie: Python {cpu1 - cpu0:.1f} s, database backend {server_cpu:.1f} s "
        f"(they overlap during COPY); load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )

    fy = result.fiscal_year
    stored = Transaction.objects.filter(fiscal_year=fy).aggregate(n=Count("id"), total=Sum("amount"))
    unbalanced = (
        Transaction.objects.filter(fiscal_year=fy)
        .values("voucher_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .count()
    )
    n_vouchers = Voucher.objects.filter(fiscal_year=fy).count()
    assert stored["n"] == args.transactions // 4 * 4, stored
    assert stored["total"] == 0 and unbalanced == 0, (stored, unbalanced)
    got = result.changes["result"]["after"]
    assert got == f"{expected_result / 100:.2f}", (got, expected_result)
    print(
        f"checked: {stored['n']:,} transactions in {n_vouchers:,} vouchers, all balanced; result {got} kr as generated"
    )
    t = time.perf_counter()
    again = import_sie(acting_user=system, federation=federation, data=data, source_name="bench.se")
    assert again.replaced and again.changes["transactions"] == {"before": stored["n"], "after": stored["n"]}
    print(
        f"re-import of the same file (the year replaced: {stored['n']:,} lines deleted and written): "
        f"{time.perf_counter() - t:.1f} s"
    )
    print(
        f"RESULT candidate {candidate:.1f} s, baseline {baseline:.0f} s (extrapolated), "
        f"ratio {baseline / candidate:.1f}×, under 30 s: {'yes' if candidate < 30 else 'NO'}"
    )


if __name__ == "__main__":
    main()
