"""Cheaper index upkeep when a run inserts a million invoice lines (PostgreSQL only; issue 17).

Measured on ``benchmarks/billing_run.py``'s data (1 000 000 lines copied into a table with the
same indexes, PostgreSQL backend CPU, two runs each at load ≈ 3): 9,3–9,6 s with the old indexes,
6,5–7,1 s with the collation, the BRIN index and without the LIKE index. Inserting the lines is most of an invoice run's time.

* ``source_key`` and ``source_type`` compare bytewise (``COLLATE "C"``). They are keys the code
  writes (``order:123``, ``subscription``), never shown in an order a reader sees, and in the
  database's default collation every comparison in their two B-trees went through ``strcoll``.
* The ``varchar_pattern_ops`` twin Django adds to a unique text column goes: nothing searches
  ``source_key`` with LIKE, and with the C collation the unique index itself would serve one.
* ``line_source_idx`` (source type and id) leaves order lines out: they are the millions, and
  the run finds them by their unique key (``gather.order_key_sql``) instead.
* ``run_id`` gets a BRIN index instead of a B-tree: a run's lines are inserted together and
  runs only grow, so the heap is in run order and a block-range summary finds a run's lines
  (the totals, the checks, discarding a preview) without a B-tree entry per line.

The partial index is the model's (both databases). For the rest SQLite keeps Django's indexes (it
has no "C" collation by that name, nor BRIN); the model's state does not change for them, so
Django still sees ``source_key`` as unique and ``run`` as indexed.
"""

from django.db import migrations, models

LINE = "billing_invoiceline"

PG_FORWARD = [
    f"""
DO $$ DECLARE i record; BEGIN
  FOR i IN SELECT c.relname FROM pg_index x
           JOIN pg_class c ON c.oid = x.indexrelid
           JOIN pg_opclass o ON o.oid = x.indclass[0]
           WHERE x.indrelid = '{LINE}'::regclass AND o.opcname = 'varchar_pattern_ops'
  LOOP EXECUTE format('DROP INDEX %I', i.relname); END LOOP;
  FOR i IN SELECT c.relname FROM pg_index x
           JOIN pg_class c ON c.oid = x.indexrelid
           JOIN pg_am am ON am.oid = c.relam
           JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
           WHERE x.indrelid = '{LINE}'::regclass AND x.indnatts = 1 AND am.amname = 'btree'
             AND a.attname = 'run_id'
  LOOP EXECUTE format('DROP INDEX %I', i.relname); END LOOP;
END $$;
""",
    f"""ALTER TABLE {LINE} ALTER COLUMN source_key TYPE varchar(80) COLLATE "C",
                       ALTER COLUMN source_type TYPE varchar(12) COLLATE "C" """,
    f"CREATE INDEX billing_invoiceline_run_brin ON {LINE} USING brin (run_id) WITH (pages_per_range = 32)",
]
PG_REVERSE = [
    "DROP INDEX IF EXISTS billing_invoiceline_run_brin",
    f"""ALTER TABLE {LINE} ALTER COLUMN source_key TYPE varchar(80) COLLATE "default",
                       ALTER COLUMN source_type TYPE varchar(12) COLLATE "default" """,
    f"CREATE INDEX billing_invoiceline_run_id_f34b6a4f ON {LINE} (run_id)",
    f"CREATE INDEX billing_invoiceline_source_key_14267c84_like ON {LINE} (source_key varchar_pattern_ops)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("billing", "0008_billing_four_eyes_change_warning")]

    operations = [
        migrations.RunPython(_run(PG_FORWARD), _run(PG_REVERSE)),
        migrations.RemoveIndex(model_name="invoiceline", name="line_source_idx"),
        migrations.AddIndex(
            model_name="invoiceline",
            index=models.Index(
                condition=models.Q(("source_type", "order"), _negated=True),
                fields=["source_type", "source_id"],
                name="line_source_idx",
            ),
        ),
    ]
