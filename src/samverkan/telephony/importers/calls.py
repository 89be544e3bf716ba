"""The calls of one file, paired into callstore's table :data:`..callstore.CALLS`: the one reading
`telephony import` (and the import page and API) and `telephony service-level` share, so both
accept and refuse exactly the same files and count exactly the same calls.

A queue_log in all-or-nothing mode goes set-based (:mod:`.bulk`, when the file is on disk);
CSV call records, skip-bad-lines mode and whatever the bulk scan cannot vouch for go through
the streaming readers (:mod:`.queue_log`, :mod:`.csv_records`) over :func:`.lines.text_lines`.
An empty file, one over :data:`~..validators.MAX_FILE_BYTES` and one without a single call are
refused (:class:`.lines.InputError`) whichever way it was read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import duckdb
from django.utils.translation import gettext as _

from samverkan.telephony import callstore
from samverkan.telephony.callstore import CALLS
from samverkan.telephony.validators import MAX_FILE_BYTES

from .bulk import scan_queue_log
from .csv_records import CsvMapping, parse_csv_records
from .lines import InputError, LineError, ParseReport, text_lines
from .queue_log import parse_queue_log

FORMATS = ("queue_log", "csv")


@dataclass
class FileCalls:
    """The file's calls (table ``calls`` of ``con``), its agents' membership events and the lines skipped."""

    con: duckdb.DuckDBPyConnection
    lines: int
    skipped: list[LineError] = field(default_factory=list)
    # (epoch, queue, agent, event) of the membership events and the span of the file (domain.agent_time)
    membership: list[tuple[int, str, str, str]] = field(default_factory=list)
    first_epoch: int | None = None
    last_epoch: int | None = None
    # the set-based scan's bulk.file_identity (computed in the same pass); "" when a streaming reader read the file
    identity: str = ""


def _size(file: IO[bytes]) -> int:
    size = file.seek(0, 2)
    file.seek(0)
    return size


def _refuse_without_calls(con: duckdb.DuckDBPyConnection, skipped: list[LineError]) -> None:
    (count,) = con.execute(f"SELECT count(*) FROM {CALLS}").fetchone()  # noqa: S608 - constant
    if not count:
        if skipped:
            raise InputError(
                _("filen innehåller inga läsbara samtal (%(n)s rader hoppades över)") % {"n": len(skipped)}
            )
        raise InputError(_("filen innehåller inga samtal"))


@contextmanager
def read_calls(
    file: IO[bytes],
    *,
    file_format: str,
    path: str | Path | None = None,
    csv_mapping: CsvMapping | None = None,
    skip_bad_lines: bool = False,
    threads: int | None = None,
) -> Iterator[FileCalls]:
    """Read and pair the calls of ``file`` (a binary file; ``path`` where it is on disk, for the bulk scan).

    Raises :class:`.lines.InputError` (a DomainError with a Swedish message naming the line)
    for a file refused as a whole or, unless ``skip_bad_lines``, for its first bad line.
    """
    if file_format not in FORMATS:
        raise ValueError(f"unknown call-record format {file_format!r}")
    size = _size(file)
    if not size:
        raise InputError(_("filen är tom"))
    if size > MAX_FILE_BYTES:
        raise InputError(_("filen är större än %(limit)s GB") % {"limit": MAX_FILE_BYTES // 1024**3})
    if file_format == "queue_log" and not skip_bad_lines and path is not None:
        with scan_queue_log(path, threads=threads) as scan:
            if scan.clean:
                _refuse_without_calls(scan.con, [])
                yield FileCalls(
                    scan.con, scan.lines, [], scan.membership, scan.first_epoch, scan.last_epoch, scan.identity
                )
                return
    report = ParseReport()
    with closing(text_lines(file)) as lines, callstore.connect(threads=threads) as con:
        if file_format == "queue_log":
            records = parse_queue_log(lines, skip_bad_lines=skip_bad_lines, report=report)
        else:
            records = parse_csv_records(lines, csv_mapping, skip_bad_lines=skip_bad_lines, report=report)
        callstore.load_records(con, records)
        _refuse_without_calls(con, report.errors)
        yield FileCalls(con, report.lines, report.errors, report.membership, report.first_epoch, report.last_epoch)
