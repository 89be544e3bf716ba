"""A counter row's queue and import are checked once per statement, not once per row at commit.

An import COPYs ~380 000 rows of 15-minute counters for 10 M queue_log lines; their two deferred
foreign keys queued a lookup per row and key until COMMIT, 3,2–4,0 s of a 17 s import
(``benchmarks/telephony_queue_log.py``). As billing migration 0007 did for invoice lines, on
PostgreSQL the constraints are replaced by statement-level triggers over transition tables: a
statement that writes counters for a queue or import that does not exist, or deletes a queue or
import that still has counters, is refused with ``foreign_key_violation`` — one join per
statement, whatever its size. Deleting an import still removes its counters first (the model's
CASCADE, done by Django), and a queue with counters still cannot be deleted (PROTECT).

On SQLite the table keeps its foreign keys (only the migration state changes).
"""

import django.db.models.deletion
from django.db import migrations, models

PG_FORWARD = [
    """
DO $$ DECLARE c record; BEGIN
  FOR c IN SELECT con.conname FROM pg_constraint con
           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
           WHERE con.conrelid = 'telephony_callinterval'::regclass AND con.contype = 'f'
             AND a.attname IN ('queue_id', 'batch_id')
  LOOP EXECUTE format('ALTER TABLE telephony_callinterval DROP CONSTRAINT %I', c.conname); END LOOP;
END $$;
""",
    """
CREATE OR REPLACE FUNCTION telephony_intervals_reference_existing() RETURNS trigger AS $$
BEGIN
  -- the distinct keys first: an import's 380 000 counter rows name a few queues and one import
  IF EXISTS (SELECT 1 FROM (SELECT DISTINCT queue_id, batch_id FROM new_rows) n
             WHERE NOT EXISTS (SELECT 1 FROM telephony_queue q WHERE q.id = n.queue_id)
                OR NOT EXISTS (SELECT 1 FROM telephony_importbatch b WHERE b.id = n.batch_id)) THEN
    RAISE EXCEPTION 'a call interval refers to a queue or import that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
""",
    """
CREATE OR REPLACE FUNCTION telephony_refuse_deleting_counted() RETURNS trigger AS $$
BEGIN
  IF (TG_TABLE_NAME = 'telephony_queue'
      AND EXISTS (SELECT 1 FROM old_rows o JOIN telephony_callinterval i ON i.queue_id = o.id))
  OR (TG_TABLE_NAME = 'telephony_importbatch'
      AND EXISTS (SELECT 1 FROM old_rows o JOIN telephony_callinterval i ON i.batch_id = o.id)) THEN
    RAISE EXCEPTION '% still has call intervals', TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
""",
    """CREATE TRIGGER telephony_callinterval_insert_refs AFTER INSERT ON telephony_callinterval
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION telephony_intervals_reference_existing()""",
    """CREATE TRIGGER telephony_callinterval_update_refs AFTER UPDATE ON telephony_callinterval
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION telephony_intervals_reference_existing()""",
    """CREATE TRIGGER telephony_queue_delete_refs AFTER DELETE ON telephony_queue
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION telephony_refuse_deleting_counted()""",
    """CREATE TRIGGER telephony_importbatch_delete_refs AFTER DELETE ON telephony_importbatch
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION telephony_refuse_deleting_counted()""",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS telephony_callinterval_insert_refs ON telephony_callinterval",
    "DROP TRIGGER IF EXISTS telephony_callinterval_update_refs ON telephony_callinterval",
    "DROP TRIGGER IF EXISTS telephony_queue_delete_refs ON telephony_queue",
    "DROP TRIGGER IF EXISTS telephony_importbatch_delete_refs ON telephony_importbatch",
    "DROP FUNCTION IF EXISTS telephony_intervals_reference_existing()",
    "DROP FUNCTION IF EXISTS telephony_refuse_deleting_counted()",
    """ALTER TABLE telephony_callinterval
         ADD CONSTRAINT telephony_callinterval_queue_id_fk FOREIGN KEY (queue_id) REFERENCES telephony_queue (id)
           DEFERRABLE INITIALLY DEFERRED,
         ADD CONSTRAINT telephony_callinterval_batch_id_fk FOREIGN KEY (batch_id)
           REFERENCES telephony_importbatch (id) DEFERRABLE INITIALLY DEFERRED""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("telephony", "0005_drop_redundant_queue_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="callinterval",
                    name="queue",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="intervals",
                        to="telephony.queue",
                    ),
                ),
                migrations.AlterField(
                    model_name="callinterval",
                    name="batch",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="intervals",
                        to="telephony.importbatch",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(_run(PG_FORWARD), _run(PG_REVERSE))],
        )
    ]
