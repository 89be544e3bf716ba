"""Reading a SIE 1–4 file, all or nothing (`samverkan.domain.sie.parse_sie` calls `read`).

Why all or nothing: a ledger half imported is worse than none, so the first bad line stops the
read with `SieError` ("rad 12: #TRANS: beloppet "12,5" är inte ett belopp med punkt och högst
två decimaler") and the importer stores nothing.

Encoding. `#FORMAT PC8` means IBM code page 437, but many programs write ISO 8859-1 (Latin-1)
and still say PC8, and some write UTF-8. Unless the caller names the encoding, it is decided
from the bytes, in this order:
1. valid UTF-8 that has bytes above 127 (a byte-order mark is dropped) → UTF-8; a PC8 or Latin-1
   file with Swedish letters is never valid UTF-8;
2. more bytes that are Latin-1's å ä ö Å Ä Ö (0xE5 0xE4 0xF6 0xC5 0xC4 0xD6) than bytes that
   are PC8's (0x86 0x84 0x94 0x8F 0x8E 0x99) → Latin-1. Counting rather than "present or
   absent" keeps a Windows file with a typographic quote (0x94 in Windows-1252, ö in PC8)
   Latin-1, and a PC8 file with a stray ÷ or Σ (0xF6, 0xE4) PC8;
3. else cp437, as the file says (plain ASCII reads the same either way).

Records. ``#LABEL field field …``; fields are separated by spaces or tabs, ``"…"`` quotes a field
(``\\"`` is a quote and ``\\\\`` a backslash inside it; ``""`` is an empty field), ``{1 "81141"
6 "P12"}`` is an object list of (dimension, object) pairs and ``{}`` an empty one. Lines end
CRLF or LF; blank lines and a DOS end-of-file mark (Ctrl-Z) are skipped; unknown labels are
ignored, as the standard asks. Amounts: ``-?digits[.d[d]]`` (at most 15 digits of kronor) →
integer öre. Dates YYYYMMDD (a real calendar date), periods YYYYMM, year numbers integers.

Refused (line, label, Swedish reason): an empty file or one not starting with #FLAGGA (line
1); a bad amount, date, period, year number or dimension number; a missing field; an
unterminated quote or object list; an object list with an odd number of items; a line over
100 000 characters; #TRANS/#RTRANS/#BTRANS outside a voucher; "{" not right after #VER, "}"
without "{", a voucher never closed; a voucher that does not balance (on the #VER line, with
the difference in kronor); a voucher dated outside #RAR 0 when the file has #RAR 0; a balance,
#PSALDO or #PBUDGET whose year number has no #RAR (types 1–3 and 4E must declare their years);
a #RAR that ends before it starts; a #KSUMMA that does not match, is not closed, or is followed
by more records. Vouchers need no #RAR: a 4I file (vouchers to import into another system)
carries none, and its voucher number may be ``""``. Tolerated, as real files need: #KTYP and
#SRU for an account that has no #KONTO (the account is added without a name), transactions on
undeclared accounts, objects and dimensions that are not declared, #TRANS without an object
list.

#RTRANS and #BTRANS (4B, 2008). An #RTRANS row was added after the voucher was first
registered; the standard has the writer follow it with an identical #TRANS so that older
readers see it. This reader keeps the #RTRANS (kind "added") and drops the #TRANS right after it
when that is identical, so the row counts once. A #BTRANS row was struck out and is kept for
history (kind "removed"): it is not part of the voucher's balance nor of any sum.

#KSUMMA. A file may start its checksummed part with ``#KSUMMA`` (no value, right after
#FLAGGA) and end the file with ``#KSUMMA <crc>``. The checksum, as this reader implements the
4B text (chapter "Kontrollsummering", whose C code is the standard CRC-32: polynomial
0xEDB88320, start and final XOR 0xFFFFFFFF, i.e. `zlib.crc32`), is taken over every record
between the two, each contributing its label (with "#") followed by the contents of its fields
in the file's own bytes: without the spaces and tabs between fields, without the quotes around
a field (an escaped quote counts as the quote it stands for), without the braces of an object
list (its items count, each without quotes) and without line ends; the "{" and "}" lines of a
voucher contribute nothing. The value is read as a decimal integer, signed or unsigned (both
are seen). A matching checksum sets `checksum_verified=True`; a mismatch is refused; without
#KSUMMA it is None. The exact byte rule could not be checked against the standard's own text
here; it is the reading shared by the published implementations found (jsiSIE and others).

Speed: #TRANS and #VER lines in the usual shape are read by one regular expression each;
repeated object lists, accounts and dates are read once and shared; the cyclic garbage
collector waits until the end. A 4E file of 1 000 000 #TRANS rows in 200 000 vouchers (48 MB)
takes about 3–4 s of CPU (2026-12, this project's 2-core machine); with #KSUMMA about 5 s.
"""

from __future__ import annotations

import gc
import re
import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import NoReturn

from samverkan.domain.sie import (
    Objects,
    SieAccount,
    SieBalance,
    SieDimension,
    SieError,
    SieFile,
    SieTrans,
    SieVoucher,
)

MAX_LINE = 100_000
_PC8_LETTERS = (b"\x86", b"\x84", b"\x94", b"\x8f", b"\x8e", b"\x99")
_LATIN1_LETTERS = (b"\xe5", b"\xe4", b"\xf6", b"\xc5", b"\xc4", b"\xd6")
_AMOUNT = re.compile(r"-?\d{1,15}(?:\.\d{1,2})?")
_QUANTITY = re.compile(r"-?\d{1,15}(?:\.\d{1,6})?")
_INTEGER = re.compile(r"[-+]?\d{1,9}")
_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([{}])|([^\s"{}]+)|(")')
_UNESCAPE = re.compile(r'\\(["\\])')
# The usual #TRANS row: account, object list (no escapes), amount, optionally a date and a text
# without escapes, nothing after. Anything else goes the general way.
_FAST_TRANS = re.compile(
    r'#TRANS[ \t]+([^\s"{}\\]+)[ \t]+\{([^{}\\]*)\}[ \t]*'
    r"(-?\d{1,15}(?:\.\d{1,2})?)"
    r'(?:[ \t]+(\d{8}|"")(?:[ \t]+"([^"\\]*)")?)?[ \t]*'
)
# The usual #VER line: series, number, date, optionally a text and a registration date.
_FAST_VER = re.compile(
    r'#VER[ \t]+(?:"([^"\\]*)"|([^\s"{}\\]+))[ \t]+(?:"([^"\\]*)"|([^\s"{}\\]+))[ \t]+(\d{8})'
    r'(?:[ \t]+"([^"\\]*)"(?:[ \t]+(\d{8}))?)?[ \t]*'
)
_VoucherHead = tuple[str, str, date, str, "date | None"]
_TRANS_LABELS = {"#TRANS": "", "#RTRANS": "added", "#BTRANS": "removed"}
_BALANCES = {"#IB", "#UB", "#RES", "#OIB", "#OUB", "#PSALDO", "#PBUDGET"}
_KNOWN = {*_BALANCES, *_TRANS_LABELS, "#VER", "#KSUMMA"}


class ObjectList(tuple[str, ...]):
    """An object list's items as written: ``{1 "81141"}`` → ``ObjectList(("1", "81141"))``."""

    __slots__ = ()


Field = str | ObjectList
_Handler = Callable[[list[Field], int, str], None]


class _Bad(Exception):
    """A record that cannot be split into fields (reason in Swedish)."""


def detect_encoding(data: bytes) -> str:
    """The encoding of a SIE file's bytes, by the rule in the module's docstring."""
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "utf-8"
        pc8 = sum(data.count(letter) for letter in _PC8_LETTERS)
        latin1 = sum(data.count(letter) for letter in _LATIN1_LETTERS)
        if latin1 > pc8:
            return "latin-1"
    return "cp437"


def split_record(line: str) -> list[Field]:
    """A record's label and fields; raises `_Bad` for an unterminated quote or object list."""
    fields: list[Field] = []
    items: list[str] | None = None
    for match in _TOKEN.finditer(line):
        kind = match.lastindex
        if kind == 4:
            raise _Bad("citattecknet avslutas inte")
        if kind == 2:
            if match.group(2) == "{":
                if items is not None:
                    raise _Bad('objektlistan innehåller ett "{" till')
                items = []
            else:
                if items is None:
                    raise _Bad('"}" utan "{"')
                fields.append(ObjectList(items))
                items = None
            continue
        value = match.group(3) if kind == 3 else match.group(1)
        if kind == 1 and "\\" in value:
            value = _UNESCAPE.sub(r"\1", value)
        (fields if items is None else items).append(value)
    if items is not None:
        raise _Bad('objektlistan avslutas inte med "}"')
    return fields


def checksum_text(fields: list[Field]) -> str:
    """What one record adds to #KSUMMA: label and field contents, nothing between them."""
    return "".join(item if isinstance(item, str) else "".join(item) for item in fields)


def checksum(texts: list[str], encoding: str) -> int:
    """CRC-32 (ISO 3309, as `zlib.crc32`) of the records' checksum texts in ``encoding``."""
    return zlib.crc32("".join(texts).encode(encoding))


def _trans_checksum_text(account: str, objects: str, amount: str, when: str | None, text: str | None) -> str:
    """A #TRANS record matched by `_FAST_TRANS`, as `checksum_text` would give it."""
    day = "" if when is None or when == '""' else when
    return f"#TRANS{account}{objects}{amount}{day}{text or ''}"


def record_checksum_text(line: str, objects_seen: dict[str, str]) -> str:
    """What one written record line adds to #KSUMMA (the writer's entry; fast for #TRANS).

    ``objects_seen`` keeps the object lists already read, as written → their contribution."""
    match = _FAST_TRANS.fullmatch(line)
    if match is not None:
        account, inner, amount, when, text = match.groups()
        objects = objects_seen.get(inner)
        if objects is None:
            try:
                objects = objects_seen[inner] = "".join(str(item) for item in split_record(inner))
            except _Bad:
                return checksum_text(split_record(line))
        return _trans_checksum_text(account, objects, amount, when, text)
    return checksum_text(split_record(line))


def read(data: bytes, *, encoding: str | None = None) -> SieFile:
    used = encoding or detect_encoding(data)
    try:
        text = data.decode(used)
    except (UnicodeDecodeError, LookupError):
        raise SieError(1, "#FORMAT", f"filen kan inte läsas som {used}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.rstrip("\x1a").replace("\r\n", "\n").split("\n")
    # Millions of small objects and no cycles among them: the cyclic collector would walk the
    # growing heap again and again (a third of the time), so it waits until the read is done.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _Reader(used).read(lines)
    finally:
        if enabled:
            gc.enable()


def _ore(amount: str) -> int:
    """A checked SIE amount in öre, exactly: "-12.5" → -1250 (no float on the way)."""
    whole, _, cents = amount.partition(".")
    return int(whole + (cents + "00")[:2])


def _label_of(line: str) -> str:
    """The label to name in an error about a line that could not be split."""
    words = line.split(None, 1)
    return words[0][:20].upper() if words else ""


def _kronor(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    whole, cents = divmod(abs(ore), 100)
    return f"{sign}{whole:,}".replace(",", " ") + f",{cents:02d} kr"


class _Reader:
    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.texts: dict[str, str] = {}
        self.generated: date | None = None
        self.flag = 0
        self.fiscal_years: dict[int, tuple[date, date]] = {}
        self.accounts: dict[str, SieAccount] = {}
        self.dimensions: dict[int, SieDimension] = {}
        self.objects: dict[tuple[int, str], str] = {}
        self.balances: list[SieBalance] = []
        self.budgets: list[SieBalance] = []
        self.vouchers: list[SieVoucher] = []
        self.strings: dict[str, str] = {}
        self.dates: dict[str, date] = {}
        self.object_lists: dict[str, Objects] = {}
        self.handlers: dict[str, _Handler] = {
            "#FLAGGA": self._flagga,
            "#FORMAT": self._ignore,
            "#SIETYP": self._sietyp,
            "#PROGRAM": self._program,
            "#GEN": self._gen,
            "#FNAMN": self._text_header("company_name"),
            "#ORGNR": self._text_header("orgnr"),
            "#KPTYP": self._text_header("chart_type"),
            "#VALUTA": self._text_header("currency"),
            "#RAR": self._rar,
            "#KONTO": self._konto,
            "#KTYP": self._ktyp,
            "#SRU": self._sru,
            "#DIM": self._dim,
            "#UNDERDIM": self._underdim,
            "#OBJEKT": self._objekt,
        }

    # -- the loop: vouchers, #TRANS rows and #KSUMMA are handled here, other records by handlers
    def read(self, lines: list[str]) -> SieFile:
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is None:
            raise SieError(1, "#FLAGGA", "filen är tom")
        if not lines[first].lstrip().upper().startswith("#FLAGGA"):
            raise SieError(1, "#FLAGGA", "filen börjar inte med #FLAGGA och är ingen SIE-fil")
        fast = _FAST_TRANS.fullmatch
        strings, dates, object_lists = self.strings, self.dates, self.object_lists
        inner_texts: dict[str, str] = {}  # an object list's contribution to #KSUMMA
        fast_ver = _FAST_VER.fullmatch
        voucher: _VoucherHead | None = None  # the open voucher's #VER fields
        voucher_line = 0
        body = False  # inside "{ … }"
        rows: list[SieTrans] = []
        total = 0
        pending: SieTrans | None = None  # an #RTRANS whose mirror #TRANS may follow
        crc: list[str] | None = None
        crc_line = 0
        crc_done = False
        verified: bool | None = None
        too_long = max(map(len, lines)) > MAX_LINE  # one pass in C; the line is found below
        for number, raw in enumerate(lines, 1):
            if too_long and len(raw) > MAX_LINE:
                raise SieError(number, _label_of(raw), "raden är längre än 100 000 tecken")
            row: SieTrans | None = None
            if body and raw.startswith("#TRANS"):
                match = fast(raw)
                if match is not None:
                    account, inner, amount, when, text = match.groups()
                    objects = object_lists.get(inner)
                    if objects is None:
                        try:
                            items = ObjectList(str(item) for item in split_record(inner))
                        except _Bad:  # e.g. a "}" inside a quoted object: the general way
                            match = None
                        else:
                            objects = object_lists[inner] = self._objects(items, number, "#TRANS")
                            inner_texts[inner] = "".join(items)
                if match is not None and objects is not None:
                    if crc is not None:
                        crc.append(_trans_checksum_text(account, inner_texts[inner], amount, when, text))
                    day = None
                    if when and when != '""':
                        day = dates.get(when) or self._date(when, number, "#TRANS")
                    row = SieTrans(
                        strings.setdefault(account, account),
                        objects,
                        int(amount.replace(".", "")) if amount[-3:-2] == "." else _ore(amount),
                        day,
                        text or "",
                        None,
                        "",
                        number,
                    )
            elif voucher is None and not crc_done and raw.startswith("#VER"):
                match = fast_ver(raw)
                if match is not None:
                    quoted_series, series, quoted_number, voucher_number, day_text, text, registered = match.groups()
                    if crc is not None:
                        crc.append("#VER" + "".join(part or "" for part in match.groups()))
                    voucher = (
                        series or quoted_series,
                        voucher_number or quoted_number,
                        dates.get(day_text) or self._date(day_text, number, "#VER"),
                        text or "",
                        self._optional_date(registered or "", number, "#VER"),
                    )
                    voucher_line = number
                    continue
            if row is None:
                line = raw.strip()
                if not line:
                    continue
                if crc_done:
                    raise SieError(number, _label_of(line), "poster efter avslutande #KSUMMA")
                if voucher is not None and not body:
                    if line != "{":
                        raise SieError(number, _label_of(line), f'"{{" väntades efter #VER på rad {voucher_line}')
                    body = True
                    continue
                if line == "{":
                    raise SieError(number, "{", '"{" utan föregående #VER')
                if line == "}":
                    if not body or voucher is None:
                        raise SieError(number, "}", '"}" utan inledande "{"')
                    if total:
                        raise SieError(
                            voucher_line, "#VER", f"verifikationen balanserar inte: differensen är {_kronor(total)}"
                        )
                    self.vouchers.append(SieVoucher(*voucher, voucher_line, tuple(rows)))
                    voucher, body, rows, total, pending = None, False, [], 0, None
                    continue
                if not line.startswith("#"):
                    raise SieError(number, _label_of(line), "raden börjar inte med en etikett (#…)")
                first_word = line.split(None, 1)[0].upper()
                if crc is None and first_word not in _KNOWN and first_word not in self.handlers:
                    continue  # unknown labels are ignored, whatever their fields look like
                try:
                    fields = split_record(line)
                except _Bad as bad:
                    raise SieError(number, first_word, str(bad)) from None
                label = str(fields[0]).upper()
                if label == "#KSUMMA":
                    if len(fields) == 1:
                        if crc is not None or crc_done:
                            raise SieError(number, label, "#KSUMMA utan värde förekommer mer än en gång")
                        crc, crc_line = [], number
                        continue
                    if crc is None:
                        raise SieError(number, label, "avslutande #KSUMMA utan inledande #KSUMMA")
                    declared = str(fields[1])
                    if not re.fullmatch(r"-?\d{1,10}", declared):
                        raise SieError(number, label, f'kontrollsumman "{declared}" är inte ett heltal')
                    computed = checksum(crc, self.encoding)
                    if int(declared) % 2**32 != computed:
                        raise SieError(
                            number,
                            label,
                            f"kontrollsumman stämmer inte (filen anger {declared}, innehållet ger {computed})",
                        )
                    crc, crc_done, verified = None, True, True
                    continue
                if crc is not None:
                    crc.append(checksum_text(fields))
                kind = _TRANS_LABELS.get(label)
                if kind is None:
                    if label == "#VER":
                        if voucher is not None:
                            raise SieError(
                                number, label, f'#VER inom verifikationen på rad {voucher_line}: "}}" saknas'
                            )
                        voucher, voucher_line = self._voucher_head(fields, number), number
                    elif label in _BALANCES:
                        self._balance(label, fields, number)
                    else:
                        handler = self.handlers.get(label)
                        if handler is not None:
                            handler(fields, number, label)
                    continue
                if not body:
                    raise SieError(number, label, "står utanför en verifikation")
                row = self._trans(fields, number, label, kind)
            if pending is not None:
                mirror = pending
                pending = None
                if row.kind == "" and replace(row, kind="added") == mirror:
                    continue
            if row.kind == "added":
                pending = row
            rows.append(row)
            if row.kind != "removed":
                total += row.amount_ore
        if voucher is not None:
            raise SieError(voucher_line, "#VER", 'verifikationen avslutas inte med "}"')
        if crc is not None:
            raise SieError(crc_line, "#KSUMMA", "avslutande #KSUMMA saknas: filen kan vara avkortad")
        self._check_years()
        return SieFile(
            sie_type=self.texts.get("sie_type", ""),
            program=self.texts.get("program", ""),
            program_version=self.texts.get("program_version", ""),
            generated=self.generated,
            company_name=self.texts.get("company_name", ""),
            orgnr=self.texts.get("orgnr", ""),
            chart_type=self.texts.get("chart_type", ""),
            currency=self.texts.get("currency", ""),
            fiscal_years=self.fiscal_years,
            accounts=self.accounts,
            dimensions=self.dimensions,
            objects=self.objects,
            balances=self.balances,
            budgets=self.budgets,
            vouchers=self.vouchers,
            encoding=self.encoding,
            checksum_verified=verified,
            flag=self.flag,
        )

    def _check_years(self) -> None:
        """Balances need their year's #RAR; vouchers lie in #RAR 0 when the file has one."""
        problems: list[SieError] = []
        for balance in (*self.balances, *self.budgets):
            if balance.year_offset not in self.fiscal_years:
                label = "#" + balance.kind
                problems.append(SieError(balance.line, label, f"årsnummer {balance.year_offset} saknar #RAR"))
        current = self.fiscal_years.get(0)
        if current is not None:
            start, end = current
            for voucher in self.vouchers:
                if not start <= voucher.date <= end:
                    problems.append(
                        SieError(
                            voucher.line,
                            "#VER",
                            f"verifikationsdatumet {voucher.date.isoformat()} ligger utanför "
                            f"räkenskapsåret {start.isoformat()}–{end.isoformat()} (#RAR 0)",
                        )
                    )
        if problems:
            raise min(problems, key=lambda problem: problem.line)

    # -- fields
    @staticmethod
    def _fail(number: int, label: str, reason: str) -> NoReturn:
        raise SieError(number, label, reason)

    def _field(self, fields: list[Field], index: int, number: int, label: str, what: str) -> str:
        if index >= len(fields):
            self._fail(number, label, f"fältet {what} saknas")
        value = fields[index]
        if not isinstance(value, str):
            self._fail(number, label, f"fältet {what} är en objektlista")
        return value

    @staticmethod
    def _optional(fields: list[Field], index: int) -> str:
        value = fields[index] if index < len(fields) else ""
        return value if isinstance(value, str) else ""

    def _amount(self, text: str, number: int, label: str) -> int:
        if _AMOUNT.fullmatch(text) is None:
            self._fail(number, label, f'beloppet "{text}" är inte ett belopp med punkt och högst två decimaler')
        return _ore(text)

    def _quantity(self, text: str, number: int, label: str) -> Decimal | None:
        if not text:
            return None
        if _QUANTITY.fullmatch(text) is None:
            self._fail(number, label, f'kvantiteten "{text}" är inte ett tal med punkt')
        return Decimal(text)

    def _date(self, text: str, number: int, label: str) -> date:
        known = self.dates.get(text)
        if known is not None:
            return known
        try:
            if len(text) != 8 or not (text.isascii() and text.isdigit()):
                raise ValueError
            value = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            self._fail(number, label, f'datumet "{text}" är inte ett giltigt datum (ÅÅÅÅMMDD)')
        self.dates[text] = value
        return value

    def _optional_date(self, text: str, number: int, label: str) -> date | None:
        return self._date(text, number, label) if text else None

    def _period(self, text: str, number: int, label: str) -> int:
        if len(text) != 6 or not (text.isascii() and text.isdigit()) or not 1 <= int(text[4:]) <= 12:
            self._fail(number, label, f'perioden "{text}" är inte en giltig period (ÅÅÅÅMM)')
        return int(text)

    def _integer(self, text: str, number: int, label: str, what: str) -> int:
        if _INTEGER.fullmatch(text) is None:
            self._fail(number, label, f'{what} "{text}" är inte ett heltal')
        return int(text)

    def _year(self, text: str, number: int, label: str) -> int:
        return self._integer(text, number, label, "årsnumret")

    def _objects(self, items: ObjectList, number: int, label: str) -> Objects:
        if len(items) % 2:
            self._fail(number, label, f"objektlistan har ett udda antal element ({len(items)})")
        pairs = []
        for index in range(0, len(items), 2):
            dimension = self._integer(items[index], number, label, "dimensionsnumret")
            code = items[index + 1]
            pairs.append((dimension, self.strings.setdefault(code, code)))
        return tuple(pairs)

    def _account(self, text: str) -> str:
        return self.strings.setdefault(text, text)

    # -- records
    def _trans(self, fields: list[Field], number: int, label: str, kind: str) -> SieTrans:
        account = self._account(self._field(fields, 1, number, label, "konto"))
        index = 2
        objects: Objects = ()
        if index < len(fields) and isinstance(fields[index], ObjectList):
            objects = self._objects(ObjectList(fields[index]), number, label)
            index += 1
        amount = self._amount(self._field(fields, index, number, label, "belopp"), number, label)
        return SieTrans(
            account,
            objects,
            amount,
            self._optional_date(self._optional(fields, index + 1), number, label),
            self._optional(fields, index + 2),
            self._quantity(self._optional(fields, index + 3), number, label),
            kind,
            number,
        )

    def _voucher_head(self, fields: list[Field], number: int) -> _VoucherHead:
        label = "#VER"
        return (
            self._optional(fields, 1),
            self._optional(fields, 2),
            self._date(self._field(fields, 3, number, label, "datum"), number, label),
            self._optional(fields, 4),
            self._optional_date(self._optional(fields, 5), number, label),
        )

    def _balance(self, label: str, fields: list[Field], number: int) -> None:
        year = self._year(self._field(fields, 1, number, label, "årsnummer"), number, label)
        index = 2
        period = None
        if label in ("#PSALDO", "#PBUDGET"):
            period = self._period(self._field(fields, 2, number, label, "period"), number, label)
            index = 3
        account = self._account(self._field(fields, index, number, label, "konto"))
        index += 1
        objects: Objects = ()
        if label not in ("#IB", "#UB", "#RES"):
            if index < len(fields) and isinstance(fields[index], ObjectList):
                objects = self._objects(ObjectList(fields[index]), number, label)
                index += 1
            elif label in ("#OIB", "#OUB"):
                self._fail(number, label, "objektlistan saknas")
        amount = self._amount(self._field(fields, index, number, label, "belopp"), number, label)
        quantity = self._quantity(self._optional(fields, index + 1), number, label)
        kind = label[1:]
        balance = SieBalance(kind, year, account, objects, period, amount, quantity, number)
        (self.budgets if kind == "PBUDGET" else self.balances).append(balance)

    def _ignore(self, fields: list[Field], number: int, label: str) -> None:
        return None

    def _flagga(self, fields: list[Field], number: int, label: str) -> None:
        value = self._field(fields, 1, number, label, "flagga")
        if value not in ("0", "1"):
            self._fail(number, label, f'flaggan "{value}" är varken 0 eller 1')
        self.flag = int(value)

    def _sietyp(self, fields: list[Field], number: int, label: str) -> None:
        value = self._field(fields, 1, number, label, "typ")
        if re.fullmatch(r"[1-4][EeIi]?", value) is None:
            self._fail(number, label, f'SIE-typen "{value}" är inte 1, 2, 3 eller 4')
        self.texts["sie_type"] = value

    def _program(self, fields: list[Field], number: int, label: str) -> None:
        self.texts["program"] = self._field(fields, 1, number, label, "programnamn")
        self.texts["program_version"] = self._optional(fields, 2)

    def _gen(self, fields: list[Field], number: int, label: str) -> None:
        self.generated = self._date(self._field(fields, 1, number, label, "datum"), number, label)

    def _text_header(self, key: str) -> _Handler:
        def handler(fields: list[Field], number: int, label: str) -> None:
            self.texts[key] = self._field(fields, 1, number, label, "värde")

        return handler

    def _rar(self, fields: list[Field], number: int, label: str) -> None:
        year = self._year(self._field(fields, 1, number, label, "årsnummer"), number, label)
        start = self._date(self._field(fields, 2, number, label, "startdatum"), number, label)
        end = self._date(self._field(fields, 3, number, label, "slutdatum"), number, label)
        if end < start:
            self._fail(
                number, label, f"räkenskapsåret slutar ({end.isoformat()}) före det börjar ({start.isoformat()})"
            )
        self.fiscal_years[year] = (start, end)

    def _konto(self, fields: list[Field], number: int, label: str) -> None:
        account = self._account(self._field(fields, 1, number, label, "kontonummer"))
        name = self._optional(fields, 2)
        old = self.accounts.get(account)
        self.accounts[account] = replace(old, name=name) if old else SieAccount(account, name)

    def _ktyp(self, fields: list[Field], number: int, label: str) -> None:
        account = self._account(self._field(fields, 1, number, label, "kontonummer"))
        kind = self._field(fields, 2, number, label, "kontotyp").upper()
        old = self.accounts.get(account) or SieAccount(account)
        self.accounts[account] = replace(old, type=kind)

    def _sru(self, fields: list[Field], number: int, label: str) -> None:
        account = self._account(self._field(fields, 1, number, label, "kontonummer"))
        code = self._field(fields, 2, number, label, "SRU-kod")
        old = self.accounts.get(account) or SieAccount(account)
        self.accounts[account] = replace(old, sru=code)

    def _dim(self, fields: list[Field], number: int, label: str) -> None:
        dimension = self._integer(self._field(fields, 1, number, label, "dimension"), number, label, "dimensionsnumret")
        self.dimensions[dimension] = SieDimension(dimension, self._optional(fields, 2))

    def _underdim(self, fields: list[Field], number: int, label: str) -> None:
        dimension = self._integer(self._field(fields, 1, number, label, "dimension"), number, label, "dimensionsnumret")
        name = self._field(fields, 2, number, label, "namn")
        parent_text = self._field(fields, 3, number, label, "överordnad dimension")
        parent = self._integer(parent_text, number, label, "dimensionsnumret")
        self.dimensions[dimension] = SieDimension(dimension, name, parent)

    def _objekt(self, fields: list[Field], number: int, label: str) -> None:
        dimension = self._integer(self._field(fields, 1, number, label, "dimension"), number, label, "dimensionsnumret")
        code = self._field(fields, 2, number, label, "objektkod")
        self.objects[(dimension, self.strings.setdefault(code, code))] = self._optional(fields, 3)
