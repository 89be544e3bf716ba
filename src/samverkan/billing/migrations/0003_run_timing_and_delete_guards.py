"""Run timing settings, the date of each series' last number, and DELETE guards on SQLite too.

* ``BillingProfile.timing`` (default in arrears) and ``advance_days``: how far ahead a run in
  advance may be made (``services.invoice_run_create`` refuses the rest).
* ``NumberSeries.last_date``: invoice date of the last number given, filled here from the
  issued invoices, so a later number never gets an earlier date.
* SQLite now refuses DELETE of issued invoices and of their lines as PostgreSQL does (0002 only
  guarded UPDATE there). Django's ``flush`` empties SQLite tables with DELETE, so the DELETE
  triggers stand aside while ``billing_guard_off`` holds a row; only the billing app's
  ``flush`` command (``management/commands/flush.py``) writes one, inside its own transaction.
  (PostgreSQL flushes with TRUNCATE, which row triggers ignore.)
* Both databases raise the refusal as an integrity error (SQLSTATE 23001 restrict_violation
  on PostgreSQL, SQLITE_CONSTRAINT on SQLite), so Django reports ``IntegrityError`` on both.

SQLite drops a table's triggers when Django rebuilds the table (an altered column): a later
migration that alters ``billing_invoice`` or ``billing_invoiceline`` must create them again;
``tests/test_immutability.py`` fails if it does not.
"""

import django.core.validators
from django.db import migrations, models

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION billing_refuse_issued_change() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'billing_invoice' THEN
    RAISE EXCEPTION 'issued invoice % is immutable; issue a credit note', OLD.number
      USING ERRCODE = 'restrict_violation';
  ELSIF EXISTS (SELECT 1 FROM billing_invoice WHERE id = OLD.invoice_id AND issued) THEN
    RAISE EXCEPTION 'lines of issued invoice % are immutable', OLD.invoice_id
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""
PG_FUNCTION_0002 = """
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
"""
SQLITE_FORWARD = [
    "CREATE TABLE billing_guard_off (reason TEXT NOT NULL)",
    """CREATE TRIGGER billing_invoice_undeletable BEFORE DELETE ON billing_invoice
       WHEN OLD.issued = 1 AND NOT EXISTS (SELECT 1 FROM billing_guard_off)
       BEGIN SELECT RAISE(ABORT, 'issued invoice is immutable; issue a credit note'); END""",
    """CREATE TRIGGER billing_invoiceline_undeletable BEFORE DELETE ON billing_invoiceline
       WHEN OLD.invoice_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM billing_guard_off)
        AND EXISTS (SELECT 1 FROM billing_invoice WHERE id = OLD.invoice_id AND issued = 1)
       BEGIN SELECT RAISE(ABORT, 'lines of an issued invoice are immutable'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS billing_invoice_undeletable",
    "DROP TRIGGER IF EXISTS billing_invoiceline_undeletable",
    "DROP TABLE IF EXISTS billing_guard_off",
]


def guards_forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def guards_reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION_0002, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


def fill_last_dates(apps, schema_editor):
    NumberSeries = apps.get_model("billing", "NumberSeries")
    Invoice = apps.get_model("billing", "Invoice")
    for row in NumberSeries.objects.filter(last__gt=0):
        issued = Invoice.objects.filter(
            federation_id=row.federation_id, issued=True, number__startswith=f"{row.series}{row.year}-"
        )
        row.last_date = issued.aggregate(d=models.Max("issue_date"))["d"]
        row.save(update_fields=["last_date"])


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_immutable_issued_invoices")]

    operations = [
        migrations.AddField(
            model_name="billingprofile",
            name="advance_days",
            field=models.PositiveSmallIntegerField(
                default=31,
                help_text="En körning i förskott får skapas högst så många dagar innan perioden börjar; "
                "fakturadatumet får ligga högst så många dagar fram i tiden.",
                validators=[django.core.validators.MaxValueValidator(366)],
                verbose_name="förskott: dagar före periodens början",
            ),
        ),
        migrations.AddField(
            model_name="billingprofile",
            name="timing",
            field=models.CharField(
                choices=[("arrears", "i efterskott"), ("advance", "i förskott")],
                default="arrears",
                help_text="Förval för nya körningar. I efterskott kan en period faktureras först när den har slutat.",
                max_length=10,
                verbose_name="fakturering",
            ),
        ),
        migrations.AddField(
            model_name="numberseries",
            name="last_date",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(fill_last_dates, migrations.RunPython.noop),
        migrations.RunPython(guards_forward, guards_reverse),
    ]
