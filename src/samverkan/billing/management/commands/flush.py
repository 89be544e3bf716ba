"""Django's ``flush``, able to empty the billing tables on SQLite.

On SQLite, triggers (migration 0003) refuse DELETE of issued invoices and their lines, and
Django's ``flush`` empties tables with DELETE (PostgreSQL uses TRUNCATE, which row triggers
ignore). This command does what Django's does, inside one transaction that first writes a
row into ``billing_guard_off`` and removes it again, so the triggers stand aside for this
flush only and no other connection ever sees the row. Used by ``samverkan demo`` and by the
test framework (``transactional_db``), which both call ``flush`` by name.
"""

from __future__ import annotations

from django.core.management.commands import flush
from django.db import connections, transaction

GUARD_TABLE = "billing_guard_off"


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            guarded = GUARD_TABLE in connection.introspection.table_names(cursor)
        if not guarded:
            return super().handle(**options)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {GUARD_TABLE} (reason) VALUES (%s)", ["flush"])  # noqa: S608
            super().handle(**options)
            cursor.execute(f"DELETE FROM {GUARD_TABLE}")  # noqa: S608
        return None
