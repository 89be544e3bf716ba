"""Drop the single-column queue_id indexes of CallInterval and CallArchive.

Every query that filters on the queue alone (the reports' joins, a queue's rebuild, PROTECT's
check) is served by the composite indexes that start with queue_id — (queue, start) and the
unique (queue, batch, start); (queue, first_entered) — checked with EXPLAIN on the benchmark
database (telephony/README.md, Benchmarks). One index less for PostgreSQL to maintain for
every counter row an import COPYs (~380 000 for 10 M queue_log lines).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("telephony", "0004_service_label"),
    ]

    operations = [
        migrations.AlterField(
            model_name="callarchive",
            name="queue",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="archives",
                to="telephony.queue",
            ),
        ),
        migrations.AlterField(
            model_name="callinterval",
            name="queue",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="intervals",
                to="telephony.queue",
            ),
        ),
    ]
