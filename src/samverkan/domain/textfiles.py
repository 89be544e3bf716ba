"""Reading the text files people upload: one decoder and one CSV reader for every importer.

    check_size(size, limit)                  # FileTooLarge before a byte is read
    decode(data) -> str                      # BOM, UTF-16/32, UTF-8, Windows-1252; binary named
    read_csv(text, delimiter) -> rows        # (line, cells), universal line endings, bounded
    TextFileError(DomainError)               # Swedish message, "rad N: …" where a line is known

What a spreadsheet or a registry export really hands out is accepted: a byte-order mark (UTF-8,
UTF-16 or UTF-32), UTF-16 without one (Excel's "Unicode text"), Windows-1252 (Swedish Excel's
"CSV (semikolonavgränsad)", a superset of Latin-1's letters), and line endings \\n, \\r\\n or
a lone \\r. What is not text is named instead of being read as garbage: a ZIP (XLSX, ODS), an
old Excel or Word file, a PDF, anything with NUL characters (which PostgreSQL cannot store
either), and a file that mixes UTF-8 with another encoding. The CSV reader is strict about
quotes, so a truncated last line or a stray quote is an error with its line instead of a
row quietly read wrong, and every field and the number of rows have a limit.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from samverkan.domain.errors import DomainError

MEGABYTE = 1024 * 1024
MAX_FIELD = 10_000
NUL_FOUND = "filen innehåller NUL-tecken och ser ut att vara binär"
_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
_SIGNATURES = (
    (b"PK\x03\x04", "en ZIP-fil (t.ex. XLSX eller ODS)"),
    (b"\xd0\xcf\x11\xe0", "en äldre Office-fil (t.ex. XLS)"),
    (b"%PDF", "en PDF"),
    (b"\x1f\x8b", "komprimerad (gzip)"),
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


class TextFileError(DomainError):
    """A file that cannot be read as text or CSV; ``line`` where the problem is (1 = first) and
    ``column`` (1 = first) when it is one field's."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        where = f"rad {line}: " if line is not None else ""
        super().__init__(f"{where}fält {column} {reason}" if column is not None else f"{where}{reason}")
        self.reason = reason
        self.line = line
        self.column = column

    def naming(self, header: Sequence[str]) -> str:
        """The message with the field's column name from ``header`` instead of its number."""
        if self.column is None or self.column > len(header):
            return str(self)
        where = f"rad {self.line}: " if self.line is not None else ""
        return f"{where}fältet {header[self.column - 1]}: {self.reason}"


class FileTooLarge(TextFileError):
    """Larger than the importer takes (HTTP 413)."""


def check_size(size: int, limit: int) -> None:
    if size > limit:
        raise FileTooLarge(f"filen är {_megabytes(size)} MB; högst {_megabytes(limit)} MB tas emot")


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _line_at(text: str, index: int) -> int:
    return len(_LINE_BREAK.findall(text, 0, index)) + 1


def _utf16_without_bom(data: bytes) -> str | None:
    """Excel's "Unicode text" is UTF-16 with a BOM, but not every tool writes one: text in
    UTF-16 has a NUL in every other byte (the high byte of Latin letters)."""
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) // 4 and even == 0:
        return "utf-16-le"
    if even > len(sample) // 4 and odd == 0:
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """The file's text without a BOM, or TextFileError saying what the file is instead."""
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise TextFileError(f"filen är {what}, inte en textfil: spara den som CSV")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _decode_as(data[len(bom) :], codec, name)
    utf16 = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
    if utf16 is not None:
        return _decode_as(data, utf16, "UTF-16")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise TextFileError(NUL_FOUND, data.count(b"\n", 0, nul) + 1)
    try:
        return _without_nul(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        bad = exc.start
    if _UTF8_SEQUENCE.search(data):
        line = data.count(b"\n", 0, bad) + 1
        raise TextFileError("filen blandar UTF-8 med en annan teckenkodning: spara den som UTF-8", line)
    return _decode_as(data, "cp1252", "UTF-8 eller Windows-1252/Latin-1")


def open_text(handle: BinaryIO) -> io.TextIOWrapper:
    """A binary file (buffered, or seekable) as a text stream to read line by line, for files read without
    holding them whole: its encoding chosen from its first bytes as ``decode`` chooses it (BOM,
    UTF-16 without one, UTF-8, else Windows-1252), line endings left to the CSV reader. A file
    that is not text raises TextFileError; bytes not in the chosen encoding later in the file
    raise UnicodeDecodeError while reading."""
    peek = getattr(handle, "peek", None)  # a buffered file or pipe: look without reading
    if peek is not None:
        start = peek(4096)[:4096]
    else:
        start = handle.read(4096)
        handle.seek(0)
    for signature, what in _SIGNATURES:
        if start.startswith(signature):
            raise TextFileError(f"filen är {what}, inte en textfil: spara den som CSV")
    bom_codec = next((c for bom, c, _name in _BOMS if start.startswith(bom)), None)
    if bom_codec is not None:  # these codecs read and drop the mark themselves
        codec = {"utf-8": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(bom_codec, "utf-32")
    elif b"\x00" in start:
        utf16 = _utf16_without_bom(start)
        if utf16 is None:
            raise TextFileError(NUL_FOUND, start.count(b"\n", 0, start.find(b"\x00")) + 1)
        codec = utf16
    else:
        try:
            start.decode("utf-8")
            codec = "utf-8"
        except UnicodeDecodeError as exc:
            # A character cut at the end of the sample is still UTF-8.
            utf8 = exc.reason == "unexpected end of data" or _UTF8_SEQUENCE.search(start) is not None
            codec = "utf-8" if utf8 else "cp1252"
    return io.TextIOWrapper(handle, encoding=codec, newline="")


def _decode_as(data: bytes, codec: str, name: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(codec, errors="replace").count("\n") + 1
        raise TextFileError(f"filen är inte kodad som {name}: spara den som UTF-8", line) from None
    return _without_nul(text)


def _without_nul(text: str) -> str:
    index = text.find("\x00")
    if index >= 0:
        raise TextFileError(NUL_FOUND, _line_at(text, index))
    return text


def head(text: str, count: int) -> list[str]:
    """The first ``count`` lines without their line endings, split as ``read_csv`` splits them."""
    handle = io.StringIO(text, newline="")
    lines = (handle.readline() for _line in range(count))
    return [line.rstrip("\r\n") for line in itertools.takewhile(bool, lines)]


def sniff_delimiter(line: str, candidates: str = ";,\t") -> str:
    """The candidate the line holds most of (the first on a tie: ';' for Swedish Excel)."""
    return max(candidates, key=line.count)


def _csv_problem(error: csv.Error, max_field: int) -> str:
    message = str(error)
    if "field larger than field limit" in message:
        return f"ett fält är längre än {_count(max_field)} tecken"
    if "unexpected end of data" in message:
        return "ett citerat fält tar aldrig slut (är filen avkortad?)"
    if "expected after" in message:
        return "text efter ett avslutande citattecken (fel avgränsare, eller citattecken som inte är dubblerade)"
    return "raden kan inte läsas som CSV"


def read_csv(
    text: str,
    delimiter: str,
    *,
    start_line: int = 1,
    max_field: int = MAX_FIELD,
    max_rows: int | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Every record from ``start_line`` on as (the line it starts on, its cells); a blank line
    gives no cells.

    A field longer than ``max_field`` characters, more than ``max_rows`` non-blank records,
    and broken quoting raise TextFileError with the line."""
    handle = io.StringIO(text, newline="")
    for _skipped in range(start_line - 1):
        handle.readline()
    reader = csv.reader(handle, delimiter=delimiter, strict=True)
    line = start_line
    rows = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TextFileError(_csv_problem(exc, max_field), line) from None
        for number, cell in enumerate(record, start=1):
            if len(cell) > max_field:
                raise TextFileError(f"är längre än {_count(max_field)} tecken", line, number)
        if record:
            rows += 1
            if max_rows is not None and rows > max_rows:
                raise TextFileError(f"filen har fler än {_count(max_rows)} rader", line)
        yield line, record
        line = start_line + reader.line_num


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")
