"""List pages read in display order (-created_at, -id) per scope and stop after a page.

On PostgreSQL also extended statistics: a ticket's requester determines its department and
member, which the planner otherwise treats as independent (it then expects ~150 of a busy
requester's 12 500 department tickets and sorts them all instead of reading the index).
"""

from django.conf import settings
from django.db import migrations, models

STATISTICS = "portal_ticket_scope_requester"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0001_initial'),
        ('portal', '0003_open_queue_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='ticket',
            name='portal_ticket_dept',
        ),
        migrations.RemoveIndex(
            model_name='ticket',
            name='portal_ticket_member',
        ),
        migrations.RemoveIndex(
            model_name='ticket',
            name='portal_ticket_assignee',
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['department', '-created_at', '-id'], name='portal_ticket_dept_order'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['member', '-created_at', '-id'], name='portal_ticket_member_order'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['assignee', '-created_at', '-id'], name='portal_ticket_assignee_order'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['department', 'requester', '-created_at', '-id'], name='portal_ticket_dept_requester'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['member', 'requester', '-created_at', '-id'], name='portal_ticket_member_requester'),
        ),
        migrations.RunPython(
            _run(f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (dependencies) "
                 "ON department_id, member_id, requester_id FROM portal_ticket"),
            _run(f"DROP STATISTICS IF EXISTS {STATISTICS}"),
        ),
    ]
