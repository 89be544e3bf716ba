"""GIN indexes for Swedish full-text search on PostgreSQL (nothing on SQLite, which uses
substring matching). The expressions must equal selectors.TICKET_TSVECTOR/COMMENT_TSVECTOR."""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS portal_ticket_fts ON portal_ticket USING GIN ("
    "to_tsvector('swedish'::regconfig, coalesce(title, '') || ' ' || coalesce(description, '')))",
    "CREATE INDEX IF NOT EXISTS portal_comment_fts ON portal_comment USING GIN ("
    "to_tsvector('swedish'::regconfig, body))",
]
DROP = ["DROP INDEX IF EXISTS portal_ticket_fts", "DROP INDEX IF EXISTS portal_comment_fts"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
