"""Writing a SIE 4 file (`samverkan.domain.sie.write_sie` calls `write`).

What the demo generator and the benchmark need, and what `sie_reader` reads back unchanged:
#FLAGGA 0, #FORMAT PC8, #SIETYP, #PROGRAM, #GEN, #FNAMN, #ORGNR, #RAR, #KPTYP, #VALUTA, #KONTO,
#KTYP, #SRU, #DIM, #UNDERDIM, #OBJEKT, the balances (#IB, #UB, #OIB, #OUB, #RES, #PSALDO in
the order given), #PBUDGET and the vouchers. The bytes are PC8 (cp437) with CRLF as the
standard says; a character PC8 lacks becomes "?", a line break inside a text a space. An
#RTRANS row is followed by the identical #TRANS the standard asks for; a #BTRANS row is
written as is. ``checksum=True`` puts ``#KSUMMA`` after #FLAGGA and ``#KSUMMA <crc>`` last,
computed by the reader's own rule (`sie_reader.checksum_text`), so reading verifies it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from samverkan.domain.sie import Objects, SieBalance, SieFile, SieTrans
from samverkan.domain.sie_reader import checksum as crc_of
from samverkan.domain.sie_reader import record_checksum_text

_BARE = re.compile(r'[^\s"{}\\]+')
_TRANS_LABELS = {"": "#TRANS", "added": "#RTRANS", "removed": "#BTRANS"}


def write(sie: SieFile, *, checksum: bool = False) -> bytes:
    lines = list(_records(sie))
    if checksum:
        lines = [lines[0], "#KSUMMA", *lines[1:], f"#KSUMMA {_checksum(lines[1:])}"]
    return ("\r\n".join(lines) + "\r\n").encode("cp437", errors="replace")


def _checksum(lines: list[str]) -> int:
    seen: dict[str, str] = {}
    texts = [record_checksum_text(line, seen) for line in lines if line not in ("{", "}")]
    return crc_of(texts, "cp437")


def quote(text: str) -> str:
    """A field as SIE writes it: always quoted, ``"`` and ``\\`` escaped, no line breaks."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # the usual case, without the work below
    clean = " ".join(text.replace("\\", "\\\\").replace('"', '\\"').splitlines())
    return f'"{_pc8(clean)}"'


def _pc8(text: str) -> str:
    """The text as it will read back from PC8 (so the checksum is over the bytes written)."""
    return text.encode("cp437", errors="replace").decode("cp437")


def _word(text: str) -> str:
    """An identifier (account, series, number): bare when it can be, quoted otherwise."""
    return text if _BARE.fullmatch(text) else quote(text)


def amount(ore: int) -> str:
    """Öre as SIE kronor: ``-123456`` → ``"-1234.56"``."""
    sign = "-" if ore < 0 else ""
    whole, cents = divmod(abs(ore), 100)
    return f"{sign}{whole}.{cents:02d}"


def _day(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else '""'


def _quantity(value: Decimal | None) -> str:
    return "" if value is None else f" {value:f}"


def objects(items: Objects) -> str:
    return "{" + " ".join(f"{dimension} {quote(code)}" for dimension, code in items) + "}"


def _records(sie: SieFile) -> list[str]:
    out = ["#FLAGGA 0", "#FORMAT PC8", f"#SIETYP {_word(sie.sie_type or '4')}"]
    version = f" {_word(sie.program_version)}" if sie.program_version else ""
    out.append(f"#PROGRAM {quote(sie.program)}{version}")
    if sie.generated:
        out.append(f"#GEN {_day(sie.generated)}")
    out.append(f"#FNAMN {quote(sie.company_name)}")
    if sie.orgnr:
        out.append(f"#ORGNR {_word(sie.orgnr)}")
    for year, (start, end) in sorted(sie.fiscal_years.items(), reverse=True):
        out.append(f"#RAR {year} {_day(start)} {_day(end)}")
    if sie.chart_type:
        out.append(f"#KPTYP {_word(sie.chart_type)}")
    if sie.currency:
        out.append(f"#VALUTA {_word(sie.currency)}")
    for account in sie.accounts.values():
        out.append(f"#KONTO {_word(account.number)} {quote(account.name)}")
    for account in sie.accounts.values():
        if account.type:
            out.append(f"#KTYP {_word(account.number)} {_word(account.type)}")
    for account in sie.accounts.values():
        if account.sru:
            out.append(f"#SRU {_word(account.number)} {_word(account.sru)}")
    for dimension in sie.dimensions.values():
        if dimension.parent is None:
            out.append(f"#DIM {dimension.number} {quote(dimension.name)}")
        else:
            out.append(f"#UNDERDIM {dimension.number} {quote(dimension.name)} {dimension.parent}")
    for (dimension_number, code), name in sie.objects.items():
        out.append(f"#OBJEKT {dimension_number} {quote(code)} {quote(name)}")
    written: dict[Objects, str] = {}  # object lists repeat: each is formatted once
    out.extend(_balance(balance) for balance in sie.balances)
    out.extend(_balance(balance) for balance in sie.budgets)
    for voucher in sie.vouchers:
        registered = f" {_day(voucher.registered)}" if voucher.registered else ""
        out.append(
            f"#VER {quote(voucher.series)} {quote(voucher.number)} {_day(voucher.date)} "
            f"{quote(voucher.text)}{registered}"
        )
        out.append("{")
        for row in voucher.transactions:
            lists = written.get(row.objects)
            if lists is None:
                lists = written[row.objects] = objects(row.objects)
            out.append(_trans(row, lists))
            if row.kind == "added":
                out.append(_trans(row, lists, label="#TRANS"))
        out.append("}")
    return out


def _balance(balance: SieBalance) -> str:
    parts = [f"#{balance.kind}", str(balance.year_offset)]
    if balance.period is not None:
        parts.append(str(balance.period))
    parts.append(_word(balance.account))
    if balance.kind not in ("IB", "UB", "RES"):
        parts.append(objects(balance.objects))
    parts.append(amount(balance.amount_ore))
    return " ".join(parts) + _quantity(balance.quantity)


def _trans(row: SieTrans, lists: str, label: str | None = None) -> str:
    head = f"{label or _TRANS_LABELS[row.kind]} {_word(row.account)} {lists} {amount(row.amount_ore)}"
    if row.quantity is not None:
        return f"{head} {_day(row.date)} {quote(row.text)}{_quantity(row.quantity)}"
    if row.text:
        return f"{head} {_day(row.date)} {quote(row.text)}"
    if row.date:
        return f"{head} {_day(row.date)}"
    return head
