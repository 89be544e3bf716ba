"""Bulk writing of a ledger year: a million voucher lines cannot go through the ORM one model
instance at a time (minutes and gigabytes), so rows travel as plain tuples.

PostgreSQL: `COPY … FROM STDIN` through psycopg's `cursor.copy` (rows streamed, never all in
memory). Other databases (SQLite in development and tests): `executemany` in chunks. The caller
holds the transaction; these functions only write what they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection

from samverkan.finance.models import Balance, Transaction, Voucher

# Rows per executemany call on databases without COPY, and lines per write of a COPY (bounded
# memory, few round trips).
CHUNK = 5000
COPY_CHUNK = 20000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def has_copy() -> bool:
    """Does the database take COPY … FROM STDIN (PostgreSQL)?"""
    return connection.vendor == "postgresql"


def copy_text(value: str) -> str:
    """A text value as COPY's text format writes it (backslash, tab and line ends escaped)."""
    return value.translate(_COPY_ESCAPES) if value else value


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` (tuples in the order of `columns`) into `table`; returns how many."""
    cols = ", ".join(_quote(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
            with raw.copy(f"COPY {_quote(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {_quote(table)} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        iterator = iter(rows)
        while chunk := list(islice(iterator, CHUNK)):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def copy_lines(table: str, columns: Sequence[str], lines: Iterable[str]) -> int:
    """PostgreSQL only: COPY preformatted text-format lines ("a\tb\n", values through
    `copy_text`, NULL as `NULL`) — the fastest way in for a million rows, since the caller can
    format the parts that repeat once. Returns how many lines."""
    cols = ", ".join(_quote(c) for c in columns)
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {_quote(table)} ({cols}) FROM STDIN") as copy:
        iterator = iter(lines)
        while chunk := list(islice(iterator, COPY_CHUNK)):
            copy.write("".join(chunk))
            count += len(chunk)
    return count


def delete_year_rows(fiscal_year_id: int) -> None:
    """Remove a year's transactions, vouchers and balances by three set-based DELETEs (the ORM's
    cascade collector would first load every voucher's id)."""
    with connection.cursor() as cursor:
        for model in (Transaction, Voucher, Balance):
            cursor.execute(
                f"DELETE FROM {_quote(model._meta.db_table)} WHERE fiscal_year_id = %s",  # noqa: S608
                [fiscal_year_id],
            )


def voucher_ids_by_line(fiscal_year_id: int) -> dict[int, int]:
    """The ids the database gave a year's vouchers, by the file line each came from (unique per
    file), so transactions can point at them without one round trip per voucher."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT line, id FROM {_quote(Voucher._meta.db_table)} WHERE fiscal_year_id = %s",  # noqa: S608
            [fiscal_year_id],
        )
        return dict(cursor.fetchall())


def analyze(*models) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL), so the first report after an
    import does not plan against an empty table."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {_quote(model._meta.db_table)}")
