"""Text lines of a call-record or plan file, whatever its encoding, and the errors every reader raises.

Every reader (queue_log, CSV call records, the staffing plan) reads through :func:`text_lines`:
a UTF-8 byte-order mark is dropped; UTF-16 (with a byte-order mark, or recognised by its zero
bytes) is decoded; a gzip or zip file is named as such; lines end at LF, CRLF or a lone CR; a
line longer than :data:`~..validators.MAX_LINE_CHARS` is cut there (memory stays bounded) and
bytes that are not UTF-8 are kept as markers, so that the reader refuses such a line *with its
number* (:func:`line_problem`), or skips it when asked to.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _

from samverkan.domain.errors import DomainError
from samverkan.telephony.validators import MAX_LINE_CHARS

_UNDECODED = re.compile("[\udc80-\udcff]")


class InputError(DomainError):
    """A file Samverkan refuses: the message is Swedish, one line, and names the line and field where there is one."""


class LineError(InputError):
    def __init__(self, line_number: int, reason: str, line: str = "") -> None:
        super().__init__(_("rad %(line)s: %(reason)s") % {"line": line_number, "reason": reason})
        self.line_number = line_number
        self.reason = reason
        self.line = line


@dataclass
class ParseReport:
    lines: int = 0
    records: int = 0
    errors: list[LineError] = field(default_factory=list)
    # (epoch, queue, agent, event) of the membership events, in file order (see domain.agent_time)
    membership: list[tuple[int, str, str, str]] = field(default_factory=list)
    # first and last time on a call or membership line: the span the file covers
    first_epoch: int | None = None
    last_epoch: int | None = None

    def saw(self, epoch: int) -> None:
        self.first_epoch = epoch if self.first_epoch is None else min(self.first_epoch, epoch)
        self.last_epoch = epoch if self.last_epoch is None else max(self.last_epoch, epoch)


def _encoding(head: bytes) -> str:
    """The encoding of a file that starts with ``head``; InputError for what is no text file."""
    if head.startswith(b"\x1f\x8b"):
        raise InputError(_("filen är gzip-komprimerad; packa upp den först"))
    if head.startswith(b"PK\x03\x04"):
        raise InputError(_("filen är ett zip-arkiv (t.ex. en Excel-fil); spara den som CSV eller text"))
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InputError(_("filen är UTF-32-kodad; spara den som UTF-8"))
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) >= len(odd) * 0.4 and not even.count(0):
        return "utf-16-le"  # text in UTF-16 without a byte-order mark: every other byte zero
    if len(head) >= 4 and even.count(0) >= len(even) * 0.4 and not odd.count(0):
        return "utf-16-be"
    return "utf-8"


def text_lines(file: IO[bytes]) -> Iterator[str]:
    """The file's lines as text, each with its line end; the file is read from its start."""
    file.seek(0)
    head = file.read(256)
    file.seek(0)
    text = io.TextIOWrapper(file, encoding=_encoding(head), errors="surrogateescape", newline="")
    try:
        while line := text.readline(MAX_LINE_CHARS + 2):
            if len(line) > MAX_LINE_CHARS + 1 and not line.endswith(("\n", "\r")):
                rest = line
                while rest and not rest.endswith(("\n", "\r")):  # skip the rest of an over-long line
                    rest = text.readline(1 << 16)
            yield line
    except UnicodeDecodeError:  # UTF-16 with an odd number of bytes
        raise InputError(_("filen slutar mitt i ett tecken (UTF-16)")) from None
    finally:
        with contextlib.suppress(ValueError):  # the caller may have closed the file already
            text.detach()


def line_problem(line: str) -> str | None:
    """What makes a line unreadable (too long, not UTF-8); None when it can be read."""
    if len(line.rstrip("\r\n")) > MAX_LINE_CHARS:
        return _("raden är längre än %(limit)s tecken") % {"limit": MAX_LINE_CHARS}
    bad = _UNDECODED.search(line)
    if bad:
        return _("raden har tecken som inte är UTF-8 (byte 0x%(byte)02X i tecken %(column)s)") % {
            "byte": ord(bad.group()) - 0xDC00,
            "column": bad.start() + 1,
        }
    return None
