"""An invoice line's run and invoice are checked once per statement, not once per row at commit.

The deferred foreign keys of ``billing_invoiceline`` (run, invoice, item) queued one trigger call
per inserted row and key until COMMIT: for a run of a million lines, three million lookups that
took longer than gathering, grouping and totalling together (``benchmarks/billing_run.py``).

On PostgreSQL the constraints are replaced by statement-level triggers over transition tables
(like the guards of 0004): a statement that inserts or moves lines onto a run or invoice that
does not exist, or deletes a run or invoice that still has lines, is refused with
``foreign_key_violation`` — one join per statement, whatever its size. The item, like the member
(0001), is a catalogue row the run has just read and is never deleted (``PROTECT``).

On SQLite the tables keep their foreign keys (only the migration state changes): rebuilding
``billing_invoiceline`` would drop its triggers, and SQLite is not where million-line runs go.
"""

import django.db.models.deletion
from django.db import migrations, models

PG_FORWARD = [
    """
DO $$ DECLARE c record; BEGIN
  FOR c IN SELECT con.conname FROM pg_constraint con
           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
           WHERE con.conrelid = 'billing_invoiceline'::regclass AND con.contype = 'f'
             AND a.attname IN ('run_id', 'invoice_id', 'item_id')
  LOOP EXECUTE format('ALTER TABLE billing_invoiceline DROP CONSTRAINT %I', c.conname); END LOOP;
END $$;
""",
    """
CREATE OR REPLACE FUNCTION billing_lines_reference_existing() RETURNS trigger AS $$
BEGIN
  -- the distinct keys first: a million new lines of one run name a few thousand invoices
  IF EXISTS (SELECT 1 FROM (SELECT DISTINCT run_id, invoice_id FROM new_lines) n
             WHERE (n.invoice_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM billing_invoice i WHERE i.id = n.invoice_id))
                OR (n.run_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM billing_invoicerun r WHERE r.id = n.run_id))) THEN
    RAISE EXCEPTION 'an invoice line refers to a run or invoice that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
""",
    """
CREATE OR REPLACE FUNCTION billing_refuse_deleting_referenced() RETURNS trigger AS $$
BEGIN
  IF (TG_TABLE_NAME = 'billing_invoice'
      AND EXISTS (SELECT 1 FROM old_rows o JOIN billing_invoiceline l ON l.invoice_id = o.id))
  OR (TG_TABLE_NAME = 'billing_invoicerun'
      AND EXISTS (SELECT 1 FROM old_rows o JOIN billing_invoiceline l ON l.run_id = o.id)) THEN
    RAISE EXCEPTION '% still has invoice lines', TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
""",
    """CREATE TRIGGER billing_invoiceline_insert_refs AFTER INSERT ON billing_invoiceline
       REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION billing_lines_reference_existing()""",
    """CREATE TRIGGER billing_invoiceline_update_refs AFTER UPDATE ON billing_invoiceline
       REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION billing_lines_reference_existing()""",
    """CREATE TRIGGER billing_invoice_delete_refs AFTER DELETE ON billing_invoice
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_refuse_deleting_referenced()""",
    """CREATE TRIGGER billing_invoicerun_delete_refs AFTER DELETE ON billing_invoicerun
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_refuse_deleting_referenced()""",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS billing_invoiceline_insert_refs ON billing_invoiceline",
    "DROP TRIGGER IF EXISTS billing_invoiceline_update_refs ON billing_invoiceline",
    "DROP TRIGGER IF EXISTS billing_invoice_delete_refs ON billing_invoice",
    "DROP TRIGGER IF EXISTS billing_invoicerun_delete_refs ON billing_invoicerun",
    "DROP FUNCTION IF EXISTS billing_lines_reference_existing()",
    "DROP FUNCTION IF EXISTS billing_refuse_deleting_referenced()",
    """ALTER TABLE billing_invoiceline
         ADD CONSTRAINT billing_invoiceline_run_id_fk FOREIGN KEY (run_id) REFERENCES billing_invoicerun (id)
           DEFERRABLE INITIALLY DEFERRED,
         ADD CONSTRAINT billing_invoiceline_invoice_id_fk FOREIGN KEY (invoice_id) REFERENCES billing_invoice (id)
           DEFERRABLE INITIALLY DEFERRED,
         ADD CONSTRAINT billing_invoiceline_item_id_fk FOREIGN KEY (item_id) REFERENCES catalogue_catalogueitem (id)
           DEFERRABLE INITIALLY DEFERRED""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0006_invoice_peppol_verdict"),
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="invoiceline",
                    name="invoice",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lines",
                        to="billing.invoice",
                    ),
                ),
                migrations.AlterField(
                    model_name="invoiceline",
                    name="item",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalogue.catalogueitem",
                    ),
                ),
                migrations.AlterField(
                    model_name="invoiceline",
                    name="run",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lines",
                        to="billing.invoicerun",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(_run(PG_FORWARD), _run(PG_REVERSE))],
        )
    ]
