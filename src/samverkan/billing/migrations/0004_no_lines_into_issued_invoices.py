"""No line can be added to an issued invoice or credit note, on SQLite as on PostgreSQL.

0002/0003 refuse changing or deleting an issued document and its lines; a new line (INSERT) or a
draft line moved onto an issued document (UPDATE of ``invoice_id``) would still have changed it.
PostgreSQL checks once per statement over the statement's new rows (a transition table), so the
million-line run inserting loose lines pays one join, not a lookup per row; SQLite has no
statement triggers and checks per row.
"""

from django.db import migrations

PG_FORWARD = [
    """
CREATE OR REPLACE FUNCTION billing_refuse_lines_into_issued() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_lines n JOIN billing_invoice i ON i.id = n.invoice_id WHERE i.issued) THEN
    RAISE EXCEPTION 'lines cannot be added to an issued invoice; issue a credit note'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
""",
    """CREATE TRIGGER billing_invoiceline_insert_guard AFTER INSERT ON billing_invoiceline
       REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT
       EXECUTE FUNCTION billing_refuse_lines_into_issued()""",
    """CREATE TRIGGER billing_invoiceline_move_guard AFTER UPDATE ON billing_invoiceline
       REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT
       EXECUTE FUNCTION billing_refuse_lines_into_issued()""",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS billing_invoiceline_insert_guard ON billing_invoiceline",
    "DROP TRIGGER IF EXISTS billing_invoiceline_move_guard ON billing_invoiceline",
    "DROP FUNCTION IF EXISTS billing_refuse_lines_into_issued()",
]
SQLITE_FORWARD = [
    """CREATE TRIGGER billing_invoiceline_insert_guard BEFORE INSERT ON billing_invoiceline
       WHEN NEW.invoice_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM billing_invoice WHERE id = NEW.invoice_id AND issued = 1)
       BEGIN SELECT RAISE(ABORT, 'lines cannot be added to an issued invoice; issue a credit note'); END""",
    """CREATE TRIGGER billing_invoiceline_move_guard BEFORE UPDATE OF invoice_id ON billing_invoiceline
       WHEN NEW.invoice_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM billing_invoice WHERE id = NEW.invoice_id AND issued = 1)
       BEGIN SELECT RAISE(ABORT, 'lines cannot be added to an issued invoice; issue a credit note'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS billing_invoiceline_insert_guard",
    "DROP TRIGGER IF EXISTS billing_invoiceline_move_guard",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_run_timing_and_delete_guards")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
