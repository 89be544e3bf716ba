"""Database guard: adjusted (locked) minutes never change, on SQLite as on PostgreSQL.

Once ``Minutes.locked_at`` is set, the database refuses UPDATE and DELETE of that minutes row,
and INSERT, UPDATE and DELETE of its paragraphs, its adjusters and its meeting's attendance.
The services refuse first with a Swedish message; the triggers make the rule hold for raw SQL,
the admin and any future code (a correction is a new paragraph in a later meeting).

Both databases raise the refusal as an integrity error (SQLSTATE 23001 restrict_violation on
PostgreSQL, RAISE(ABORT) on SQLite), so Django reports ``IntegrityError`` on both.

Django's ``flush`` empties SQLite tables with DELETE; the SQLite DELETE triggers stand aside
while billing's ``billing_guard_off`` table holds a row, which only billing's ``flush`` command
writes, inside its own transaction (billing migration 0003, ``billing/management/commands/
flush.py``). PostgreSQL flushes with TRUNCATE, which row triggers ignore.

SQLite drops a table's triggers when Django rebuilds the table (an altered column): a later
migration that alters one of these four tables must create them again;
``tests/test_minutes_immutability.py`` fails if it does not.
"""

from django.db import migrations

LOCKED = "EXISTS (SELECT 1 FROM governance_minutes m WHERE m.id = {ref}.minutes_id AND m.locked_at IS NOT NULL)"
LOCKED_MEETING = (
    "EXISTS (SELECT 1 FROM governance_minutes m WHERE m.meeting_id = {ref}.meeting_id AND m.locked_at IS NOT NULL)"
)
CHILDREN = {"governance_paragraph": LOCKED, "governance_adjuster": LOCKED, "governance_attendance": LOCKED_MEETING}

PG_FORWARD = [
    """
CREATE OR REPLACE FUNCTION governance_refuse_locked_minutes() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'adjusted minutes % are immutable; a correction is a new paragraph', OLD.id
    USING ERRCODE = 'restrict_violation';
END $$ LANGUAGE plpgsql;
""",
    """CREATE TRIGGER governance_minutes_immutable BEFORE UPDATE OR DELETE ON governance_minutes
       FOR EACH ROW WHEN (OLD.locked_at IS NOT NULL) EXECUTE FUNCTION governance_refuse_locked_minutes()""",
    f"""
CREATE OR REPLACE FUNCTION governance_refuse_locked_child() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF TG_TABLE_NAME = 'governance_attendance' THEN
      IF {LOCKED_MEETING.format(ref="OLD")} THEN
        RAISE EXCEPTION 'attendance of adjusted minutes is immutable' USING ERRCODE = 'restrict_violation';
      END IF;
    ELSIF {LOCKED.format(ref="OLD")} THEN
      RAISE EXCEPTION '% of adjusted minutes is immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF TG_TABLE_NAME = 'governance_attendance' THEN
      IF {LOCKED_MEETING.format(ref="NEW")} THEN
        RAISE EXCEPTION 'attendance of adjusted minutes is immutable' USING ERRCODE = 'restrict_violation';
      END IF;
    ELSIF {LOCKED.format(ref="NEW")} THEN
      RAISE EXCEPTION '% of adjusted minutes is immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
""",
    *(
        f"""CREATE TRIGGER {table}_locked BEFORE INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION governance_refuse_locked_child()"""
        for table in CHILDREN
    ),
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS governance_minutes_immutable ON governance_minutes",
    *(f"DROP TRIGGER IF EXISTS {table}_locked ON {table}" for table in CHILDREN),
    "DROP FUNCTION IF EXISTS governance_refuse_locked_minutes()",
    "DROP FUNCTION IF EXISTS governance_refuse_locked_child()",
]

GUARD_OFF = "NOT EXISTS (SELECT 1 FROM billing_guard_off)"
MESSAGE = "adjusted minutes are immutable; a correction is a new paragraph"
SQLITE_FORWARD = [
    f"""CREATE TRIGGER governance_minutes_immutable BEFORE UPDATE ON governance_minutes
        WHEN OLD.locked_at IS NOT NULL BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER governance_minutes_undeletable BEFORE DELETE ON governance_minutes
        WHEN OLD.locked_at IS NOT NULL AND {GUARD_OFF} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
for _table, _locked in CHILDREN.items():
    SQLITE_FORWARD += [
        f"""CREATE TRIGGER {_table}_locked_insert BEFORE INSERT ON {_table}
            WHEN {_locked.format(ref="NEW")} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
        f"""CREATE TRIGGER {_table}_locked_update BEFORE UPDATE ON {_table}
            WHEN {_locked.format(ref="OLD")} OR {_locked.format(ref="NEW")}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
        f"""CREATE TRIGGER {_table}_locked_delete BEFORE DELETE ON {_table}
            WHEN {_locked.format(ref="OLD")} AND {GUARD_OFF} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    ]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS governance_minutes_immutable",
    "DROP TRIGGER IF EXISTS governance_minutes_undeletable",
    *(f"DROP TRIGGER IF EXISTS {table}_locked_{op}" for table in CHILDREN for op in ("insert", "update", "delete")),
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
        ("billing", "0003_run_timing_and_delete_guards"),  # billing_guard_off, read by the SQLite DELETE triggers
    ]
    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
