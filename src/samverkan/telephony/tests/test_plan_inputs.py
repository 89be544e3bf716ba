"""`samverkan staffing plan FILE` fed the family of inputs: read (BOM, line ends, UTF-16, delimiters)
with the agents of the clean file, or refused in one Swedish line naming the line and column,
exit 1, nothing computed and nothing (numpy warnings included) on stderr."""

import gzip
import json
import re
import warnings

import pytest
from django.core.management import CommandError

from samverkan.telephony.importers.plan import MAX_ROWS

from .inputs import cli

GOOD = "start,calls,aht\n2025-01-02T08:00,100,180\n2025-01-02T08:30,0,\n"


def _rows(n: int, bad_at: int | None = None) -> str:
    lines = [f"08:{i % 60:02d},{i % 50},180\n" for i in range(n)]
    if bad_at:
        lines[bad_at - 2] = "08:00,nan,180\n"
    return "start,calls,aht\n" + "".join(lines)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(GOOD.encode(), id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + GOOD.encode(), id="byte-order mark"),
        pytest.param(GOOD.replace("\n", "\r\n").encode(), id="CRLF"),
        pytest.param(GOOD.replace("\n", "\r").encode(), id="CR only"),
        pytest.param(GOOD.encode("utf-16"), id="UTF-16"),
        pytest.param(GOOD.replace(",", ";").encode(), id="semicolons"),
        pytest.param(GOOD.replace(",", "\t").encode("utf-16"), id="UTF-16 tabs (Excel)"),
    ],
)
def test_plan_reads_every_encoding(tmp_path, data):
    path = tmp_path / "plan.csv"
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, err = cli("staffing", "plan", str(path), "--aht", "180", "--format", "json")
    assert [r["agents"] for r in json.loads(out)] == [14, 0] and not err


@pytest.mark.parametrize(
    ("data", "line", "fragment"),
    [
        pytest.param(b"", None, "tom", id="empty"),
        pytest.param(b"\n", None, "tom", id="just a newline"),
        pytest.param(b"start,calls,aht\n", None, "inga intervall", id="header only"),
        pytest.param(gzip.compress(GOOD.encode()), None, "gzip", id="gzip"),
        pytest.param((GOOD + "08:00,12,x\xe4\n").encode("latin-1"), 4, "UTF-8", id="Latin-1"),
        pytest.param(b"begin,calls\n08:00,1\n", 1, "start och calls", id="missing column"),
        pytest.param(b"1688198400|a1|q|NONE|ABANDON|1|1|5\n", 1, "start och calls", id="a queue_log"),
        pytest.param((GOOD + "08:00,nan,180\n").encode(), 4, "kolumn «calls»", id="NaN calls"),
        pytest.param((GOOD + "08:00,100,nan\n").encode(), 4, "kolumn «aht»", id="NaN aht"),
        pytest.param((GOOD + "08:00,inf,180\n").encode(), 4, "kolumn «calls»", id="infinite calls"),
        pytest.param((GOOD + "08:00,1e999999999,180\n").encode(), 4, "kolumn «calls»", id="1e999999999"),
        pytest.param((GOOD + "08:00," + "9" * 30 + ",180\n").encode(), 4, "kolumn «calls»", id="30 digits"),
        pytest.param((GOOD + "08:00,-5,180\n").encode(), 4, "kolumn «calls»", id="negative calls"),
        pytest.param((GOOD + "08:00,5,0\n").encode(), 4, "kolumn «aht»", id="aht 0"),
        pytest.param((GOOD + "08:00,2000000,180\n").encode(), 4, "kolumn «calls»", id="too many calls"),
        pytest.param((GOOD + ",5,180\n").encode(), 4, "kolumn «start»", id="no start"),
        pytest.param((GOOD + "08:00,5\n").encode(), 4, "raden har 2 fält", id="truncated"),
        pytest.param((GOOD + '08:00,"5,180\n').encode(), None, "", id="open quote"),
        pytest.param((GOOD + "08:00,5,180," + "x" * 200_000 + "\n").encode(), 4, "längre än", id="200 KB field"),
        pytest.param(_rows(120, bad_at=57).encode(), 57, "kolumn «calls»", id="one bad among many"),
        pytest.param(_rows(MAX_ROWS + 1).encode(), MAX_ROWS + 2, "högst", id="too many rows"),
    ],
)
def test_plan_refuses_with_line_and_column(tmp_path, data, line, fragment):
    path = tmp_path / "plan.csv"
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CommandError) as info:
            cli("staffing", "plan", str(path), "--aht", "180")
    message = str(info.value)
    assert "\n" not in message and "Error" not in message and fragment in message, message
    if line is not None:
        assert re.match(rf"rad {line}: ", message), message


def test_plan_needs_a_handle_time(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("start,calls\n08:00,5\n")
    with pytest.raises(CommandError, match="ange --aht"):
        cli("staffing", "plan", str(path))
