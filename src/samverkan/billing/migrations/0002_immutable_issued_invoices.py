"""Database guard: issued invoices and their lines cannot be updated (nor deleted on PostgreSQL).

The services already refuse; the triggers make the rule hold for raw SQL, the admin and any
future code too. SQLite guards UPDATE only, because Django's ``flush`` (demo rebuild, tests)
empties tables with DELETE there; PostgreSQL flushes with TRUNCATE, which row triggers ignore.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION billing_refuse_issued_change() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'billing_invoice' THEN
    RAISE EXCEPTION 'issued invoice % is immutable; issue a credit note', OLD.number;
  ELSIF EXISTS (SELECT 1 FROM billing_invoice WHERE id = OLD.invoice_id AND issued) THEN
    RAISE EXCEPTION 'lines of issued invoice % are immutable', OLD.invoice_id;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER billing_invoice_immutable BEFORE UPDATE OR DELETE ON billing_invoice
  FOR EACH ROW WHEN (OLD.issued) EXECUTE FUNCTION billing_refuse_issued_change();
CREATE TRIGGER billing_invoiceline_immutable BEFORE UPDATE OR DELETE ON billing_invoiceline
  FOR EACH ROW WHEN (OLD.invoice_id IS NOT NULL) EXECUTE FUNCTION billing_refuse_issued_change();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS billing_invoice_immutable ON billing_invoice;
DROP TRIGGER IF EXISTS billing_invoiceline_immutable ON billing_invoiceline;
DROP FUNCTION IF EXISTS billing_refuse_issued_change();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER billing_invoice_immutable BEFORE UPDATE ON billing_invoice
       WHEN OLD.issued = 1 BEGIN SELECT RAISE(ABORT, 'issued invoice is immutable; issue a credit note'); END""",
    """CREATE TRIGGER billing_invoiceline_immutable BEFORE UPDATE ON billing_invoiceline
       WHEN OLD.invoice_id IS NOT NULL AND EXISTS (SELECT 1 FROM billing_invoice WHERE id = OLD.invoice_id AND issued = 1)
       BEGIN SELECT RAISE(ABORT, 'lines of an issued invoice are immutable'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS billing_invoice_immutable",
    "DROP TRIGGER IF EXISTS billing_invoiceline_immutable",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
