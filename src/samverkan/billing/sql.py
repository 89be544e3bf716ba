"""The two set-based statements of a run that touch every invoice: totals and numbering.

They do in SQL exactly what ``domain.invoice_math`` does in Python (VAT per invoice and VAT
rate on the rate's summed öre, half-up; optional rounding to whole kronor), in integer öre
so SQLite and PostgreSQL agree. (``noqa: S608``: only table names and constant expressions are
formatted into the SQL; every value is a query parameter.) ``usecases.run_reconciliation`` recomputes every run's
totals with ``invoice_math`` from the lines, and the tests require both to match.
"""

from __future__ import annotations

from django.db import connection

from samverkan.billing.models import DocumentKind, Invoice, InvoiceLine, MemberBillingSetting
from samverkan.domain.invoice_math import VAT_CODES, vat_scope
from samverkan.members.models import Member


def _vat_rate_case() -> str:
    """Each VAT code's percentage from the domain's table (no ELSE: an unknown code yields NULL, refused).

    Whole percentages keep the arithmetic in integer öre, so SQLite and PostgreSQL agree.
    """
    assert all(vat.rate == int(vat.rate) for vat in VAT_CODES.values()), "SQL totals need whole-percent rates"
    cases = " ".join(f"WHEN '{code}' THEN {int(vat.rate)}" for code, vat in VAT_CODES.items())
    return f"CASE vat_code {cases} END"


RATE = _vat_rate_case()


def half_up(numerator: str, denominator: int) -> str:
    """Integer ``numerator / denominator`` rounded half away from zero (integer division truncates)."""
    d2 = 2 * denominator
    return (
        f"(CASE WHEN ({numerator}) >= 0 THEN (2 * ({numerator}) + {denominator}) / {d2} "
        f"ELSE -((-2 * ({numerator}) + {denominator}) / {d2}) END)"
    )


def update_totals(run_id: int, *, round_to_krona: bool) -> None:
    """Every draft's totals and order reference in one UPDATE over one pass of the run's lines.

    The same pass stretches each draft's invoice period over its lines' periods (Peppol
    PEPPOL-EN16931-R110/R111): a run's invoices cover its period, but a quarterly line billed by a
    March run starts in January, and late ticket time or a manual line may lie before the run's
    period. One-day lines (orders) print no line period and are left out.
    """
    line, invoice = InvoiceLine._meta.db_table, Invoice._meta.db_table
    group_net = "CAST(SUM(net) AS BIGINT)"
    inclusive = "(t.net + t.vat)"
    payable = f"({half_up(inclusive, 100)} * 100)" if round_to_krona else inclusive
    start, end = f"{invoice}.period_start", f"{invoice}.period_end"
    sql = f"""
        UPDATE {invoice} SET net = t.net, vat = t.vat, total = {payable}, rounding = {payable} - {inclusive},
            order_reference = CASE WHEN t.first_order = t.last_order AND t.n = t.with_order
                                   THEN t.first_order ELSE '' END,
            period_start = CASE WHEN t.first_day < {start} THEN t.first_day ELSE {start} END,
            period_end = CASE WHEN t.last_day > {end} THEN t.last_day ELSE {end} END
        FROM (
            SELECT invoice_id, CAST(SUM(g_net) AS BIGINT) AS net, CAST(SUM(g_vat) AS BIGINT) AS vat,
                   MIN(first_order) AS first_order, MAX(last_order) AS last_order,
                   CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(with_order) AS BIGINT) AS with_order,
                   MIN(first_day) AS first_day, MAX(last_day) AS last_day
            FROM (
                SELECT invoice_id, {group_net} AS g_net, {half_up(f"{group_net} * {RATE}", 100)} AS g_vat,
                       MIN(CASE WHEN order_number <> '' THEN order_number END) AS first_order,
                       MAX(CASE WHEN order_number <> '' THEN order_number END) AS last_order,
                       COUNT(*) AS n, SUM(CASE WHEN order_number <> '' THEN 1 ELSE 0 END) AS with_order,
                       MIN(CASE WHEN period_end <> period_start THEN period_start END) AS first_day,
                       MAX(CASE WHEN period_end <> period_start THEN period_end END) AS last_day
                FROM {line} WHERE run_id = %s AND invoice_id IS NOT NULL
                GROUP BY invoice_id, vat_code
            ) g GROUP BY invoice_id
        ) t
        WHERE {invoice}.id = t.invoice_id AND {invoice}.issued = %s
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [run_id, False])


def number_invoices(run_id: int, *, prefix: str, first: int, series: str) -> int:
    """Give the run's unissued invoices consecutive numbers from ``first`` (by member name, reference)."""
    invoice, member = Invoice._meta.db_table, Member._meta.db_table
    n = f"({first} + r.rn - 1)"
    if connection.vendor == "postgresql":
        padded = f"CASE WHEN {n} < 100000 THEN lpad(CAST({n} AS TEXT), 5, '0') ELSE CAST({n} AS TEXT) END"
    else:
        padded = f"printf('%%05d', {n})"
    sql = f"""
        UPDATE {invoice} SET number = %s || {padded}, series = %s, issued = %s
        FROM (
            SELECT i.id AS id, ROW_NUMBER() OVER (ORDER BY m.name, i.member_id, i.invoice_reference, i.vat_scope) AS rn
            FROM {invoice} i JOIN {member} m ON m.id = i.member_id
            WHERE i.run_id = %s AND i.issued = %s
        ) r
        WHERE {invoice}.id = r.id
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, series, True, run_id, False])
        return int(cursor.rowcount)


INVOICE_COLUMNS = (
    "federation_id, run_id, kind, member_id, invoice_reference, order_reference, vat_scope, series, number, issued, "
    "issue_date, due_date, period_start, period_end, net, vat, rounding, total, credits_id, note"
)


def reference_key(alias: str) -> str:
    """The invoice a line belongs to is per reference only for members who asked for that."""
    settings = MemberBillingSetting._meta.db_table
    return (
        f"CASE WHEN {alias}.member_id IN (SELECT member_id FROM {settings} WHERE per_reference = %s) "  # noqa: S608
        f"THEN {alias}.invoice_reference ELSE '' END"
    )


def scope_key(vat_column: str) -> str:
    """Outside-scope (O) lines go on their own invoice (EN 16931 BR-O-11): the domain's ``vat_scope`` per code.

    No ELSE: a code the domain does not know gives NULL, which the NOT NULL column refuses.
    """
    cases = " ".join(f"WHEN '{code}' THEN '{vat_scope(vat)}'" for code, vat in VAT_CODES.items())
    return f"CASE {vat_column} {cases} END"


def insert_invoices(run: object, keys_sql: str, keys_params: list[object], period: object) -> int:
    """INSERT one draft invoice per distinct (member_id, ref, scope) row of ``keys_sql`` not yet in the run."""
    invoice = Invoice._meta.db_table
    # ON CONFLICT rather than NOT EXISTS: an anti-join against the table being inserted into
    # rescans its growing heap per row. ``WHERE true`` lets SQLite parse INSERT … SELECT … ON CONFLICT.
    sql = f"""
        INSERT INTO {invoice} ({INVOICE_COLUMNS})
        SELECT %s, %s, %s, k.member_id, k.ref, '', k.scope, '', NULL, %s, %s, %s, %s, %s, 0, 0, 0, 0, NULL, ''
        FROM ({keys_sql}) k
        WHERE true
        ON CONFLICT (run_id, member_id, invoice_reference, vat_scope) DO NOTHING
    """  # noqa: S608
    params = [
        run.federation_id,
        run.pk,
        DocumentKind.INVOICE,
        False,
        run.issue_date,
        run.due_date,
        period.start,
        period.end,  # type: ignore[attr-defined]
        *keys_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def group_loose_lines(run: object, period: object) -> None:
    """Lines inserted without an invoice (subscriptions, hours, allocations): invoices, then attach."""
    line, invoice = InvoiceLine._meta.db_table, Invoice._meta.db_table
    keys = (
        f"SELECT DISTINCT l.member_id AS member_id, {reference_key('l')} AS ref, {scope_key('l.vat_code')} AS scope "  # noqa: S608
        f"FROM {line} l WHERE l.run_id = %s AND l.invoice_id IS NULL"
    )
    insert_invoices(run, keys, [True, run.pk], period)  # type: ignore[attr-defined]
    sql = f"""
        UPDATE {line} SET invoice_id = inv.id
        FROM {invoice} inv
        WHERE {line}.run_id = %s AND {line}.invoice_id IS NULL AND inv.run_id = %s
          AND inv.member_id = {line}.member_id AND inv.vat_scope = {scope_key(f"{line}.vat_code")}
          AND inv.invoice_reference = {reference_key(line)}
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [run.pk, run.pk, True])  # type: ignore[attr-defined]
