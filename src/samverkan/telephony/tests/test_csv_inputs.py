"""The CSV call-record importer fed the whole family of inputs (tests/inputs.py) through every entry
point, and what Samverkan exports read back: import → calls CSV → import / service level, same counts."""

import pytest

from .inputs import CSV_CASES, through_every_entry_point


@pytest.mark.parametrize(("data", "verdict"), CSV_CASES)
def test_csv_family(world, tmp_path, data, verdict):
    through_every_entry_point(world, tmp_path, data, verdict, file_format="csv", suffix=".csv")


def test_what_samverkan_exports_it_reads_back(world, tmp_path):
    """import → the calls CSV of the import (BOM, semicolons, Swedish words) → service level and import: same counts."""
    import json

    from django.db.models import Sum
    from django.urls import reverse

    from samverkan.core.actors import system_actor
    from samverkan.telephony import services, synthetic
    from samverkan.telephony.models import CallInterval

    from .inputs import cli

    calls = list(synthetic.random_calls(seed=21, queues=["vaxel", "it"], start_epoch=1672574400, count=2000))
    log = tmp_path / "queue_log"
    log.write_text("".join(synthetic.queue_log_lines(calls)))
    with log.open("rb") as handle:
        batch, _ = services.call_records_import(
            acting_user=world.users["admin"], federation=world.federation, file=handle, file_name="queue_log"
        )
    response = world.client("admin").get(reverse("telephony:import-calls", args=[batch.pk]))
    exported = tmp_path / "samtal.csv"
    exported.write_bytes(b"".join(response.streaming_content))
    assert exported.read_bytes().startswith(b"\xef\xbb\xbfK\xc3\xb6;") and "Besvarat" in exported.read_text("utf-8-sig")

    for by in ("queue", "month", "hour", "weekday"):
        original, _ = cli("telephony", "service-level", str(log), "--within", "20", "--by", by, "--format", "json")
        again, _ = cli("telephony", "service-level", str(exported), "--within", "20", "--by", by, "--format", "json")
        assert json.loads(again) == json.loads(original)

    with exported.open("rb") as handle:
        again, created = services.call_records_import(
            acting_user=system_actor(),
            federation=world.other_federation,
            file=handle,
            file_name="samtal.csv",
            file_format="csv",
        )
    assert created and again.records_created == again.records_read == 2000

    def counters(federation):
        rows = CallInterval.objects.filter(queue__federation=federation).values("queue__name", "start")
        sums = rows.annotate(n=Sum("offered"), a=Sum("answered"), w=Sum("answered_within"), t=Sum("talk_total"))
        return sorted(sums.values_list("queue__name", "start", "n", "a", "w", "t"))

    assert counters(world.other_federation) == counters(world.federation)
