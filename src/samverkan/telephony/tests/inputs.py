"""The family of bad (and awkward but good) inputs every call-record entry point is fed.

Each case is (id, file bytes, verdict): ``Accepted(calls)`` — the file is read, with that many
calls — or ``Refused(line, fragment)`` — refused with a message naming ``line`` (None: the file
as a whole) that contains ``fragment``. The same family goes to the importer, `telephony import`,
`telephony service-level`, the import page and the API (tests/test_queue_log_inputs.py,
tests/test_csv_inputs.py).
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from dataclasses import dataclass

import pytest

from samverkan.telephony import synthetic

from .conftest import LOG_2023


@dataclass(frozen=True)
class Accepted:
    calls: int


@dataclass(frozen=True)
class Refused:
    line: int | None
    fragment: str


def _zip() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return data.getvalue()


def _bad_among_many(lines: list[str], bad: str, at: int = 57) -> bytes:
    lines = list(lines)
    lines.insert(at - 1, bad + "\n")
    return "".join(lines).encode()


GOOD_LOG = LOG_2023  # 8 lines, 4 calls
BAD_AT = GOOD_LOG.count("\n") + 1  # a line appended to GOOD_LOG


def _log_plus(line: str) -> bytes:
    return (GOOD_LOG + line + "\n").encode()


_SYNTHETIC = list(synthetic.random_calls(seed=11, queues=["vaxel", "it"], start_epoch=1672574400, count=300))
_LOG_LINES = list(synthetic.queue_log_lines(_SYNTHETIC))
_CSV_LINES = list(synthetic.csv_lines(_SYNTHETIC))

QUEUE_LOG_CASES = [
    pytest.param(GOOD_LOG.encode(), Accepted(4), id="utf-8"),
    pytest.param(b"\xef\xbb\xbf" + GOOD_LOG.encode(), Accepted(4), id="byte-order mark"),
    pytest.param(GOOD_LOG.replace("\n", "\r\n").encode(), Accepted(4), id="CRLF"),
    pytest.param(GOOD_LOG.replace("\n", "\r").encode(), Accepted(4), id="CR only"),
    pytest.param(GOOD_LOG.encode("utf-16"), Accepted(4), id="UTF-16 with BOM"),
    pytest.param(GOOD_LOG.encode("utf-16-le"), Accepted(4), id="UTF-16 without BOM"),
    pytest.param(GOOD_LOG.rstrip("\n").encode(), Accepted(4), id="no final newline"),
    pytest.param(GOOD_LOG.encode("utf-16") + b"1", Refused(None, "UTF-16"), id="UTF-16 cut mid-character"),
    pytest.param(b"", Refused(None, "tom"), id="empty"),
    pytest.param(b"\n", Refused(None, "inga samtal"), id="just a newline"),
    pytest.param(b"\n \n\r\n", Refused(None, "inga samtal"), id="blank lines"),
    pytest.param(b"1688198400|NONE|NONE|NONE|QUEUESTART|\n", Refused(None, "inga samtal"), id="no calls"),
    pytest.param(gzip.compress(GOOD_LOG.encode()), Refused(None, "gzip"), id="gzip"),
    pytest.param(_zip(), Refused(None, "zip"), id="zip (xlsx)"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), Refused(1, "UTF-8"), id="binary"),
    pytest.param(
        (GOOD_LOG + "1688209200|a9|v\xe4xel|NONE|ABANDON|1|1|3\n").encode("latin-1"),
        Refused(BAD_AT, "UTF-8"),
        id="Latin-1",
    ),
    pytest.param(
        (GOOD_LOG + "1688209200|a9|vaxel-lyc|NONE|ABANDON|1|1").encode(), Refused(BAD_AT, "väntetid"), id="truncated"
    ),
    pytest.param(_log_plus("1688209200|a9|vax\x00el|NONE|ABANDON|1|1|3"), Refused(BAD_AT, "styrtecken"), id="NUL"),
    pytest.param(
        _log_plus("1688209200|a9|q|NONE|ABANDON|1|1|3|" + "x" * 200_000),
        Refused(BAD_AT, "längre än"),
        id="200 KB field",
    ),
    pytest.param(
        _log_plus("9" * 30 + "|a9|q|NONE|ABANDON|1|1|3"), Refused(BAD_AT, "tid (fält 1)"), id="30-digit epoch"
    ),
    pytest.param(_log_plus("8000000000|a9|q|NONE|ABANDON|1|1|3"), Refused(BAD_AT, "år 1970 och 2199"), id="year 2223"),
    pytest.param(_log_plus("5|a9|q|NONE|ABANDON|1|1|30"), Refused(BAD_AT, "in i kön"), id="entered before 1970"),
    pytest.param(
        _log_plus("1688209200|a9|q|NONE|ABANDON|1|1|" + "9" * 30),
        Refused(BAD_AT, "väntetid (fält 8)"),
        id="30-digit wait",
    ),
    pytest.param(
        _log_plus("1688209200|a9|q|NONE|ABANDON|1|1|9223372036854775808"), Refused(BAD_AT, "väntetid"), id="wait 2**63"
    ),
    pytest.param(
        _log_plus("1688209200|a9|q|NONE|ABANDON|1|1|" + "9" * 5000), Refused(BAD_AT, "längre än"), id="5000-digit wait"
    ),
    pytest.param(_log_plus("1688209200|a9|q|NONE|ABANDON|1|1|604801"), Refused(BAD_AT, "604"), id="wait over a week"),
    pytest.param(
        _log_plus("1688209200|a1|vaxel-lyc|SIP/1|COMPLETEAGENT|10|" + "9" * 20 + "|1"),
        Refused(BAD_AT, "samtalstid"),
        id="huge talk",
    ),
    pytest.param(
        _log_plus("1688209200|a9|" + "q" * 101 + "|NONE|ABANDON|1|1|3"),
        Refused(BAD_AT, "kö (fält 3): högst 100 tecken"),
        id="queue 101 chars",
    ),
    pytest.param(
        _log_plus("1688209200|" + "c" * 65 + "|q|NONE|ABANDON|1|1|3"),
        Refused(BAD_AT, "samtals-id (fält 2)"),
        id="callid 65 chars",
    ),
    pytest.param(
        _log_plus("1688209200|a9|q|" + "A" * 101 + "|CONNECT|3|x|1"),
        Refused(BAD_AT, "agent (fält 4)"),
        id="agent 101 chars",
    ),
    pytest.param(
        _log_plus("1688209200|NONE|q|" + "A" * 101 + "|ADDMEMBER|"),
        Refused(BAD_AT, "agent (fält 4)"),
        id="member agent 101 chars",
    ),
    pytest.param(
        b"callid,queue,entered,wait,outcome\na,q,1688198400,5,answered\n",
        Refused(1, "raden har 1 fält"),
        id="CSV as queue_log",
    ),
    pytest.param(b'"2481 Lycksele";12000\n"2421 Storuman";5800\n', Refused(1, "raden har 1 fält"), id="population CSV"),
    pytest.param(
        _bad_among_many(_LOG_LINES, "1688209200|a9|q|NONE|ABANDON|1|1|soon"),
        Refused(57, "väntetid"),
        id="one bad among many",
    ),
]

GOOD_CSV = (
    "callid,queue,entered,wait,outcome,talk\n"
    "a1,vaxel-lyc,2023-07-01 10:00:00,10,answered,90\n"
    "a2,vaxel-lyc,1688202000,40,answered,100\n"
    "a3,vaxel-lyc,2023-07-01T12:00:00+02:00,50,abandoned,\n"
    "b1,vaxel-sto,2023-07-01 12:00:00,5,besvarat,100\n"
)
HEADER = GOOD_CSV.splitlines()[0] + "\n"
CSV_BAD_AT = GOOD_CSV.count("\n") + 1
EXPORTED = (  # the calls CSV Samverkan exports (selectors.calls_csv): BOM, semicolons, Swedish words
    "\ufeffKö;Samtals-id;In i kön;Utfall;Väntetid (s);Samtalstid (s);Agent\n"
    "vaxel-lyc;a1;2023-07-01 10:00:00;Besvarat;10;90;SIP/1\n"
    "vaxel-lyc;a3;2023-07-01 12:00:00;Avbrutet av den som ringde;50;;\n"
)


def _csv_plus(row: str) -> bytes:
    return (GOOD_CSV + row + "\n").encode()


CSV_CASES = [
    pytest.param(GOOD_CSV.encode(), Accepted(4), id="utf-8"),
    pytest.param(b"\xef\xbb\xbf" + GOOD_CSV.encode(), Accepted(4), id="byte-order mark"),
    pytest.param(GOOD_CSV.replace("\n", "\r\n").encode(), Accepted(4), id="CRLF"),
    pytest.param(GOOD_CSV.replace("\n", "\r").encode(), Accepted(4), id="CR only"),
    pytest.param(GOOD_CSV.replace(",", "\t").encode("utf-16"), Accepted(4), id="UTF-16 tab-separated (Excel)"),
    pytest.param(GOOD_CSV.replace(",", ";").encode(), Accepted(4), id="semicolons"),
    pytest.param(EXPORTED.encode(), Accepted(2), id="Samverkan's own export"),
    pytest.param(b"", Refused(None, "tom"), id="empty"),
    pytest.param(b"\n", Refused(1, "rubrikraden saknas"), id="just a newline"),
    pytest.param(HEADER.encode(), Refused(None, "inga samtal"), id="header only"),
    pytest.param(gzip.compress(GOOD_CSV.encode()), Refused(None, "gzip"), id="gzip"),
    pytest.param(_zip(), Refused(None, "zip"), id="xlsx"),
    pytest.param((GOOD_CSV + "c1,vaxel-lyc,2023-07").encode(), Refused(CSV_BAD_AT, "raden har 3 fält"), id="truncated"),
    pytest.param(
        _csv_plus('c1,"vaxel-lyc,2023-07-01 10:00:00,5,answered,'), Refused(CSV_BAD_AT, "fält"), id="open quote"
    ),
    pytest.param(
        _csv_plus("c1,q,2023-07-01 10:00:00,5,answered," + "9" * 200_000),
        Refused(CSV_BAD_AT, "längre än"),
        id="200 KB field",
    ),
    pytest.param(
        _csv_plus('c1,"' + ("q" * 1000 + "\n") * 200 + '",2023-07-01 10:00:00,5,answered,'),
        Refused(None, "längre än 131"),
        id="200 KB field over many lines",
    ),
    pytest.param(
        _csv_plus("c1,q," + "9" * 30 + ",5,answered,"), Refused(CSV_BAD_AT, "kolumn «entered»"), id="30-digit epoch"
    ),
    pytest.param(_csv_plus("c1,q,0001-01-01 00:00,5,answered,"), Refused(CSV_BAD_AT, "året"), id="year 1"),
    pytest.param(_csv_plus("c1,q,9999-12-31 23:59,5,answered,"), Refused(CSV_BAD_AT, "året"), id="year 9999"),
    pytest.param(
        _csv_plus("c1,q,2023-07-01 10:00,soon,answered,"), Refused(CSV_BAD_AT, "kolumn «wait»"), id="wait not a number"
    ),
    pytest.param(
        _csv_plus("c1,q,2023-07-01 10:00," + "9" * 30 + ",answered,"),
        Refused(CSV_BAD_AT, "kolumn «wait»"),
        id="30-digit wait",
    ),
    pytest.param(
        _csv_plus("c1,q,2023-07-01 10:00,9223372036854775808,answered,"),
        Refused(CSV_BAD_AT, "kolumn «wait»"),
        id="wait 2**63",
    ),
    pytest.param(
        _csv_plus("c1,q,2023-07-01 10:00," + "9" * 5000 + ",answered,"),
        Refused(CSV_BAD_AT, "längre än"),
        id="5000-digit wait",
    ),
    pytest.param(
        _csv_plus("c1,q,2023-07-01 10:00,-5,answered,"), Refused(CSV_BAD_AT, "kolumn «wait»"), id="negative wait"
    ),
    pytest.param(_csv_plus("c1,q,2023-07-01 10:00,nan,answered,"), Refused(CSV_BAD_AT, "kolumn «wait»"), id="NaN wait"),
    pytest.param(
        _csv_plus("c1,q,2023-07-01 10:00,1e999999999,answered,"),
        Refused(CSV_BAD_AT, "kolumn «wait»"),
        id="1e999999999 wait",
    ),
    pytest.param(
        _csv_plus("c1,q,2023-07-01 10:00,5,answered," + "9" * 19), Refused(CSV_BAD_AT, "kolumn «talk»"), id="huge talk"
    ),
    pytest.param(
        _csv_plus("c1," + "q" * 101 + ",2023-07-01 10:00,5,answered,"),
        Refused(CSV_BAD_AT, "högst 100 tecken"),
        id="queue 101 chars",
    ),
    pytest.param(_csv_plus("c\x001,q,2023-07-01 10:00,5,answered,"), Refused(CSV_BAD_AT, "styrtecken"), id="NUL"),
    pytest.param(
        (GOOD_CSV + "c1,v\xe4xel,2023-07-01 10:00,5,answered,\n").encode("latin-1"),
        Refused(CSV_BAD_AT, "UTF-8"),
        id="Latin-1",
    ),
    pytest.param(
        _csv_plus("c1,q,2023-07-01 10:00,5,exploded,"), Refused(CSV_BAD_AT, "okänt utfall"), id="unknown outcome"
    ),
    pytest.param(GOOD_LOG.encode(), Refused(1, "kolumner saknas"), id="queue_log as CSV"),
    pytest.param(
        _bad_among_many(_CSV_LINES, "c9,q,2023-07-01 10:00,soon,answered,"),
        Refused(57, "kolumn «wait»"),
        id="one bad among many",
    ),
]


# --- the checks every entry point's test makes


def nothing_written() -> None:
    from samverkan.telephony.models import AgentInterval, CallArchive, CallInterval, ImportBatch, Queue

    for model in (ImportBatch, Queue, CallArchive, CallInterval, AgentInterval):
        assert not model.objects.exists(), f"a refused file wrote {model.__name__}"


def reset() -> None:
    from samverkan.telephony.models import AgentInterval, ImportBatch, Queue

    AgentInterval.objects.all().delete()
    ImportBatch.objects.all().delete()  # archives and intervals go with their import
    Queue.objects.all().delete()


def check_refusal(message: str, verdict: Refused) -> str:
    """One line, Swedish, naming the line; returns the reason (what follows "rad N: ", up to the entry point's tail)."""
    assert "\n" not in message and "Traceback" not in message and "Error" not in message, message
    if verdict.line is not None:
        assert re.search(rf"\b[Rr]ad {verdict.line}\b", message), message
    assert verdict.fragment in message, message
    reason = re.sub(r"^[Rr]ad \d+: ", "", message)
    return re.sub(r"(\. Inget importerades\.|; inget räknades)$", "", reason).casefold()


def cli(*args) -> tuple[str, str]:
    from io import StringIO

    from django.core.management import call_command

    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def through_every_entry_point(world, tmp_path, data: bytes, verdict, *, file_format: str, suffix: str) -> None:
    """The file through the importer (both engines), both commands, the import page and the API."""
    import json

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import CommandError
    from django.urls import reverse

    from samverkan.telephony import services
    from samverkan.telephony.models import ImportBatch

    reasons = set()
    for engine in ("auto", "reference"):
        try:
            batch, created = services.call_records_import(
                acting_user=world.users["admin"],
                federation=world.federation,
                file=io.BytesIO(data),
                file_name="calls" + suffix,
                file_format=file_format,
                engine=engine,
            )
        except ValidationError as exc:
            assert isinstance(verdict, Refused), exc.messages
            (message,) = exc.messages
            reasons.add(check_refusal(message, verdict))
            nothing_written()
        else:
            assert isinstance(verdict, Accepted), f"accepted: {verdict}"
            assert created and batch.records_created == batch.records_read == verdict.calls
            reset()

    path = tmp_path / ("calls" + suffix)
    path.write_bytes(data)
    world.federation.slug = "lystkom"
    world.federation.save()
    for command in (
        ("telephony", "service-level", str(path), "--within", "20", "--format", "json"),
        ("telephony", "import", str(path)),
    ):
        try:
            out, err = cli(*command)
        except CommandError as exc:
            assert isinstance(verdict, Refused), str(exc)
            reasons.add(check_refusal(str(exc), verdict))
            nothing_written()
        else:
            assert isinstance(verdict, Accepted), f"{command[1]} accepted: {verdict}"
            assert not err
            if command[1] == "service-level":
                assert sum(row["offered"] for row in json.loads(out)) == verdict.calls
            else:
                assert f"{verdict.calls} nya samtal" in out
                reset()
    assert len(reasons) <= 1, f"the entry points refuse for different reasons: {reasons}"

    page = world.client("admin").post(
        reverse("telephony:import"),
        {"file": SimpleUploadedFile("calls" + suffix, data), "file_format": file_format},
    )
    api = world.api("admin").post(
        reverse("telephony-api:import-list"),
        {"file": SimpleUploadedFile("calls" + suffix, data), "file_format": file_format},
        format="multipart",
    )
    if page.status_code == 200:  # refused by the form itself (e.g. an empty file): no job starts
        assert isinstance(verdict, Refused) and api.status_code == 400
        nothing_written()
        return
    # Page and API start a background job (run at once in tests); the page then shows the job.
    assert page.status_code == 302 and api.status_code == 202, (page.status_code, api.status_code)
    shown = world.client("admin").get(page.url).content.decode()
    if isinstance(verdict, Accepted):
        assert api.json()["status"] == "done", api.json()["error"]  # the API's upload is the page's file again
        assert ImportBatch.objects.get().records_created == verdict.calls
    else:
        assert api.json()["status"] == "failed"
        if verdict.line is not None:
            assert f"Rad {verdict.line}:" in shown
            assert f"Rad {verdict.line}:" in api.json()["error"]
        nothing_written()
