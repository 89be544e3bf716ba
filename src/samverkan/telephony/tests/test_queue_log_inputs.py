"""The queue_log importer fed the whole family of inputs (tests/inputs.py) through every entry point:
the importer (both engines), `telephony import`, `telephony service-level`, the import page and the API.

Each either reads the file with the expected calls, or refuses it the same way everywhere: one
Swedish line naming the line and field, exit 1 / HTTP 400 (the page shows it), nothing written.
"""

import pytest

from .inputs import QUEUE_LOG_CASES, through_every_entry_point


@pytest.mark.parametrize(("data", "verdict"), QUEUE_LOG_CASES)
def test_queue_log_family(world, tmp_path, data, verdict):
    through_every_entry_point(world, tmp_path, data, verdict, file_format="queue_log", suffix=".log")
