"""SIE 4 files (SIE filformat utgåva 4B, 2008-09-30): the data a file holds, read and written.

    parse_sie(data, encoding=None) -> SieFile     # all-or-nothing; SieError "rad N: #LABEL: …"
    write_sie(sie, checksum=False) -> bytes      # PC8 (cp437), CRLF; #KSUMMA on request
    format_objects(objects) -> "1:81141 6:P12"   # an object list for people and logs

The reading rules (encodings, what is refused, how #RTRANS/#BTRANS/#KSUMMA are read) are in
`samverkan.domain.sie_reader`; the writing rules in `samverkan.domain.sie_writer`. This module
holds only the shapes both share, so a caller imports one name and never a parser's insides.

Amounts are integer öre (SIE writes kronor with a decimal point and at most two decimals, so
öre are exact and no float is ever involved). Signs are SIE's: debit positive, credit negative.
Every row remembers the line it came from (`line`, 1 = first) so an importer can point at the
file; `line` is not part of equality, nor are `SieFile.encoding` and `checksum_verified` (how
the file was read, not what it says), so ``parse_sie(write_sie(x)) == x``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from samverkan.domain.errors import DomainError

Objects = tuple[tuple[int, str], ...]  # ((dimension, object code), …) in the file's order

BALANCE_KINDS = ("IB", "UB", "RES", "OIB", "OUB", "PSALDO")
BUDGET_KIND = "PBUDGET"
TRANS_KINDS = ("", "added", "removed")  # #TRANS, #RTRANS (added later), #BTRANS (struck out)


class SieError(DomainError):
    """A file refused as a whole: where (``line``, ``label``) and why (``reason``, Swedish)."""

    def __init__(self, line: int, label: str, reason: str) -> None:
        super().__init__(f"rad {line}: {label}: {reason}")
        self.line = line
        self.label = label
        self.reason = reason


@dataclass(frozen=True, slots=True)
class SieAccount:
    number: str
    name: str = ""
    type: str = ""  # #KTYP: T asset, S liability, I income, K cost ("" when not given)
    sru: str = ""  # #SRU code ("" when not given)


@dataclass(frozen=True, slots=True)
class SieDimension:
    number: int
    name: str = ""
    parent: int | None = None  # #UNDERDIM's superior dimension


@dataclass(frozen=True, slots=True)
class SieBalance:
    """#IB/#UB/#RES/#OIB/#OUB/#PSALDO (in `SieFile.balances`) or #PBUDGET (in `budgets`)."""

    kind: str
    year_offset: int  # 0 = the file's current year (#RAR 0), -1 the year before, …
    account: str
    objects: Objects = ()
    period: int | None = None  # YYYYMM for #PSALDO / #PBUDGET
    amount_ore: int = 0
    quantity: Decimal | None = None
    line: int = field(default=0, compare=False)


@dataclass(slots=True)  # not frozen: a frozen __init__ costs 4× as much, and there are millions
class SieTrans:
    """One row of a voucher. Treat it as read-only like the other shapes here."""

    account: str
    objects: Objects = ()
    amount_ore: int = 0
    date: datetime.date | None = None  # the row's own date when it differs from the voucher's
    text: str = ""
    quantity: Decimal | None = None
    kind: str = ""  # "" #TRANS, "added" #RTRANS, "removed" #BTRANS (not part of any sum)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class SieVoucher:
    series: str
    number: str  # "" in 4I files, where the receiving system numbers the voucher
    date: datetime.date
    text: str = ""
    registered: datetime.date | None = None
    line: int = field(default=0, compare=False)
    transactions: tuple[SieTrans, ...] = ()


@dataclass(frozen=True, slots=True)
class SieFile:
    sie_type: str = "4"  # the text after #SIETYP ("1".."4"; 4E and 4I both say "4")
    program: str = ""
    generated: datetime.date | None = None
    company_name: str = ""
    orgnr: str = ""
    chart_type: str = ""  # #KPTYP, e.g. "BAS2014" or "KOMMUNBAS"
    currency: str = ""  # #VALUTA ("" = not given, which means SEK)
    fiscal_years: dict[int, tuple[datetime.date, datetime.date]] = field(default_factory=dict)
    accounts: dict[str, SieAccount] = field(default_factory=dict)
    dimensions: dict[int, SieDimension] = field(default_factory=dict)
    objects: dict[tuple[int, str], str] = field(default_factory=dict)  # → object name
    balances: list[SieBalance] = field(default_factory=list)
    budgets: list[SieBalance] = field(default_factory=list)
    vouchers: list[SieVoucher] = field(default_factory=list)
    encoding: str = field(default="cp437", compare=False)  # how the bytes were decoded
    checksum_verified: bool | None = field(default=None, compare=False)  # None: no #KSUMMA
    program_version: str = ""
    flag: int = 0  # #FLAGGA: 1 = the file has already been read into a program


def format_objects(objects: Objects) -> str:
    """An object list as people read it: ``((1, "81141"), (6, "P12"))`` → ``"1:81141 6:P12"``."""
    return " ".join(f"{dimension}:{code}" for dimension, code in objects)


def parse_sie(data: bytes, *, encoding: str | None = None) -> SieFile:
    """Read a SIE 1–4 file; see `samverkan.domain.sie_reader` for every rule."""
    from samverkan.domain.sie_reader import read  # the model above is the reader's input

    return read(data, encoding=encoding)


def write_sie(sie: SieFile, *, checksum: bool = False) -> bytes:
    """Write a SIE 4 file (PC8, CRLF); see `samverkan.domain.sie_writer`."""
    from samverkan.domain.sie_writer import write

    return write(sie, checksum=checksum)


__all__ = [
    "BALANCE_KINDS",
    "BUDGET_KIND",
    "TRANS_KINDS",
    "Objects",
    "SieAccount",
    "SieBalance",
    "SieDimension",
    "SieError",
    "SieFile",
    "SieTrans",
    "SieVoucher",
    "format_objects",
    "parse_sie",
    "write_sie",
]
