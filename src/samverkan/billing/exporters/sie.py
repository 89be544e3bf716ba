"""SIE 4 (type 4I: vouchers for import into the federation's ledger) writer and a small reader.

Format facts (sie.se, "SIE filformat utgåva 4B"): ``#FORMAT PC8`` = IBM code page 437, CRLF
line ends, fields separated by spaces, a field with a space (or an empty one) in double
quotes with ``\\"`` for a quote inside, object lists in braces ``{1 "81141"}``, amounts with
a point and two decimals, debit positive and credit negative, every voucher summing to zero.

An invoice becomes one voucher (or the whole run one voucher, ``per_run=True``):

* debit the receivables account with the payable amount (dimension 8 = customer, if set),
* credit revenue per (account, activity) — the mapping is configuration, not code,
* credit output VAT per rate, and öresavrundning to the rounding account.

A credit note is the same voucher with every sign reversed. The reader exists so tests can
prove the file says what we meant (round trip, balance); it is lenient like real readers:
unknown labels are skipped, ``#KSUMMA`` is ignored, ISO-8859-1 files that claim PC8 are
detected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from samverkan.domain.invoice_math import DocumentType, VatCategory, VatCode, invoice_totals, ledger_sign

ZERO = Decimal("0.00")
Objects = tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Transaction:
    account: str
    amount: Decimal
    objects: Objects = ()
    text: str = ""


@dataclass(frozen=True)
class Voucher:
    series: str
    number: str
    date: date
    text: str
    transactions: tuple[Transaction, ...]

    @property
    def balance(self) -> Decimal:
        return sum((t.amount for t in self.transactions), ZERO)


@dataclass
class SieFile:
    company_name: str
    orgnr: str
    year_start: date
    year_end: date
    vouchers: list[Voucher] = field(default_factory=list)
    accounts: dict[str, str] = field(default_factory=dict)
    dimensions: dict[int, str] = field(default_factory=dict)
    objects: dict[tuple[int, str], str] = field(default_factory=dict)
    generated: date | None = None
    program: str = "Samverkan"
    program_version: str = "1.0"
    sie_type: str = "4"
    currency: str = "SEK"


@dataclass(frozen=True)
class AccountMapping:
    """Where an invoice lands in the ledger; every account and activity is configurable.

    ``revenue`` maps a revenue key (service code, category or ``"*"`` fallback) to
    ``(account, activity)``; the activity is dimension 1 (kostnadsställe/verksamhet).
    Defaults follow Kommun-Bas/BAS practice (1510 kundfordringar, 26x1 utgående moms).
    """

    revenue: Mapping[str, tuple[str, str]]
    receivable: str = "1510"
    vat_output: Mapping[Decimal, str] = field(
        default_factory=lambda: {Decimal(25): "2611", Decimal(12): "2621", Decimal(6): "2631"}
    )
    rounding: str = "3740"
    activity_dimension: int = 1
    customer_dimension: int | None = None

    def revenue_for(self, key: str) -> tuple[str, str]:
        if key in self.revenue:
            return self.revenue[key]
        if "*" in self.revenue:
            return self.revenue["*"]
        raise KeyError(f"no revenue account mapped for {key!r} and no '*' fallback")

    def vat_account(self, rate: Decimal) -> str:
        try:
            return self.vat_output[rate]
        except KeyError:
            raise KeyError(f"no output VAT account mapped for {rate} %") from None


@dataclass(frozen=True)
class LedgerLine:
    net: Decimal
    vat: VatCode
    revenue_key: str


@dataclass(frozen=True)
class LedgerInvoice:
    """What the ledger needs of one issued invoice or credit note."""

    number: str
    issue_date: date
    customer: str
    customer_id: str
    lines: Sequence[LedgerLine]
    document_type: DocumentType = DocumentType.INVOICE
    round_to_krona: bool = False


def invoice_transactions(invoice: LedgerInvoice, mapping: AccountMapping) -> list[Transaction]:
    sign = ledger_sign(invoice.document_type)
    totals = invoice_totals(((ln.net, ln.vat) for ln in invoice.lines), round_to_krona=invoice.round_to_krona)
    customer: Objects = ((mapping.customer_dimension, invoice.customer_id),) if mapping.customer_dimension else ()
    text = f"{'Kreditfaktura' if sign < 0 else 'Faktura'} {invoice.number}"
    result = [Transaction(mapping.receivable, sign * totals.payable, customer, text)]
    revenue: dict[tuple[str, str], Decimal] = {}
    for line in invoice.lines:
        key = mapping.revenue_for(line.revenue_key)
        revenue[key] = revenue.get(key, ZERO) + line.net
    for (account, activity), amount in sorted(revenue.items()):
        objects: Objects = ((mapping.activity_dimension, activity),) if activity else ()
        result.append(Transaction(account, -sign * amount, objects, text))
    for subtotal in totals.subtotals:
        if subtotal.category is VatCategory.STANDARD and subtotal.tax:
            result.append(Transaction(mapping.vat_account(subtotal.rate), -sign * subtotal.tax, (), text))
    if totals.rounding:
        result.append(Transaction(mapping.rounding, -sign * totals.rounding, (), text))
    return [t for t in result if t.amount]


def vouchers_for_invoices(
    invoices: Iterable[LedgerInvoice],
    mapping: AccountMapping,
    *,
    series: str = "F",
    per_run: bool = False,
    run_text: str = "Fakturering",
    run_date: date | None = None,
) -> list[Voucher]:
    """One voucher per invoice, or (``per_run``) one voucher summed per account and objects."""
    invoices = list(invoices)
    if not per_run:
        return [
            Voucher(
                series,
                "",
                inv.issue_date,
                f"{'Kreditfaktura' if inv.document_type is DocumentType.CREDIT_NOTE else 'Faktura'} "
                f"{inv.number} {inv.customer}",
                tuple(invoice_transactions(inv, mapping)),
            )
            for inv in invoices
        ]
    if not invoices:
        return []
    summed: dict[tuple[str, Objects], Decimal] = {}
    for inv in invoices:
        for t in invoice_transactions(inv, mapping):
            summed[(t.account, t.objects)] = summed.get((t.account, t.objects), ZERO) + t.amount
    transactions = tuple(
        Transaction(account, amount, objects, run_text)
        for (account, objects), amount in sorted(summed.items())
        if amount
    )
    when = run_date or max(inv.issue_date for inv in invoices)
    return [Voucher(series, "", when, run_text, transactions)]


# --- writing -------------------------------------------------------------------------------


def quote(value: str) -> str:
    """Quote a field when needed; tabs and line breaks become spaces (a record is one line)."""
    text = " ".join(value.replace("\t", " ").splitlines()) if value else ""
    if text and not any(c in text for c in ' "\\{}') and text.isprintable():
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _amount(value: Decimal) -> str:
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"SIE amounts have at most two decimals, got {value}")
    return f"{value.quantize(Decimal('0.01')):f}"


def _objects(objects: Objects) -> str:
    return "{" + " ".join(f"{dim} {_always_quoted(obj)}" for dim, obj in objects) + "}"


def _always_quoted(value: str) -> str:
    quoted = quote(value)
    return quoted if quoted.startswith('"') else f'"{quoted}"'


def _ymd(day: date) -> str:
    return day.strftime("%Y%m%d")


def lines(sie: SieFile) -> Iterator[str]:
    yield "#FLAGGA 0"
    yield "#FORMAT PC8"
    yield f"#SIETYP {sie.sie_type}"
    yield f"#PROGRAM {quote(sie.program)} {quote(sie.program_version)}"
    yield f"#GEN {_ymd(sie.generated or date.today())}"
    yield f"#FNAMN {quote(sie.company_name)}"
    yield f"#ORGNR {sie.orgnr.replace('-', '')}"
    yield f"#RAR 0 {_ymd(sie.year_start)} {_ymd(sie.year_end)}"
    yield f"#VALUTA {sie.currency}"
    for number, name in sorted(sie.accounts.items()):
        yield f"#KONTO {number} {quote(name)}"
    for dim, name in sorted(sie.dimensions.items()):
        yield f"#DIM {dim} {quote(name)}"
    for (dim, obj), name in sorted(sie.objects.items()):
        yield f"#OBJEKT {dim} {quote(obj)} {quote(name)}"
    for voucher in sie.vouchers:
        if voucher.balance != 0:
            raise ValueError(f"voucher {voucher.text!r} does not balance: {voucher.balance}")
        number = quote(voucher.number) if voucher.number else '""'
        yield f"#VER {quote(voucher.series)} {number} {_ymd(voucher.date)} {quote(voucher.text)}"
        yield "{"
        for t in voucher.transactions:
            tail = f' "" {quote(t.text)}' if t.text else ""
            yield f"   #TRANS {t.account} {_objects(t.objects)} {_amount(t.amount)}{tail}"
        yield "}"


def to_bytes(sie: SieFile) -> bytes:
    """PC8 (cp437) with CRLF; characters outside cp437 become ``?`` rather than failing an export."""
    return "".join(f"{line}\r\n" for line in lines(sie)).encode("cp437", errors="replace")


def write(sie: SieFile, path: str) -> None:
    with open(path, "wb") as handle:
        handle.write(to_bytes(sie))


# --- reading -------------------------------------------------------------------------------

_CP437_SWEDISH = frozenset(b"\x86\x84\x94\x8f\x8e\x99\x82\x90")
_LATIN1_SWEDISH = frozenset(b"\xe5\xe4\xf6\xc5\xc4\xd6\xe9\xc9")


def detect_encoding(data: bytes) -> str:
    """cp437 as the file says, unless its Swedish letters are clearly ISO-8859-1 bytes."""
    cp437 = sum(1 for b in data if b in _CP437_SWEDISH)
    latin1 = sum(1 for b in data if b in _LATIN1_SWEDISH)
    return "latin-1" if latin1 > cp437 else "cp437"


def tokenize(line: str) -> list[str | list[str]]:
    """Fields of one record; an object list ``{…}`` becomes a nested list of its fields."""
    tokens: list[str | list[str]] = []
    stack: list[list[str]] = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
        elif c == "{":
            stack.append([])
            i += 1
        elif c == "}":
            if not stack:
                raise ValueError(f"unbalanced '}}' in {line!r}")
            tokens.append(stack.pop())
            i += 1
        else:
            if c == '"':
                i += 1
                chars = []
                while i < n and line[i] != '"':
                    if line[i] == "\\" and i + 1 < n:
                        i += 1
                    chars.append(line[i])
                    i += 1
                if i >= n:
                    raise ValueError(f"unterminated quote in {line!r}")
                i += 1
                value = "".join(chars)
            else:
                start = i
                while i < n and line[i] not in ' \t{}"':
                    i += 1
                value = line[start:i]
            (stack[-1] if stack else tokens).append(value)  # type: ignore[arg-type]
    if stack:
        raise ValueError(f"unbalanced '{{' in {line!r}")
    return tokens


def _date(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def _pairs(fields: list[str]) -> Objects:
    if len(fields) % 2:
        raise ValueError(f"object list needs dimension/object pairs: {fields}")
    return tuple((int(fields[i]), fields[i + 1]) for i in range(0, len(fields), 2))


def read(data: bytes, encoding: str | None = None) -> SieFile:
    """Parse vouchers, chart and header; raises ``ValueError`` with the line number on bad input."""
    text = data.decode(encoding or detect_encoding(data))
    sie = SieFile(company_name="", orgnr="", year_start=date.min, year_end=date.min)
    current: tuple[list[str | list[str]], list[Transaction]] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            if line == "{":
                continue
            if line == "}":
                if current is None:
                    raise ValueError("'}' without #VER")
                head, transactions = current
                sie.vouchers.append(
                    Voucher(
                        str(head[1]),
                        str(head[2]),
                        _date(str(head[3])),
                        str(head[4]) if len(head) > 4 else "",
                        tuple(transactions),
                    )
                )
                current = None
                continue
            tokens = tokenize(line)
            label = str(tokens[0]).upper()
            args = tokens[1:]
            if label == "#VER":
                current = (tokens, [])
            elif label == "#TRANS":
                if current is None:
                    raise ValueError("#TRANS outside a voucher")
                objects = _pairs(args[1]) if isinstance(args[1], list) else ()
                text_field = str(args[4]) if len(args) > 4 else ""
                current[1].append(Transaction(str(args[0]), Decimal(str(args[2])), objects, text_field))
            elif label == "#FNAMN":
                sie.company_name = str(args[0])
            elif label == "#ORGNR":
                sie.orgnr = str(args[0])
            elif label == "#SIETYP":
                sie.sie_type = str(args[0])
            elif label == "#GEN":
                sie.generated = _date(str(args[0]))
            elif label == "#VALUTA":
                sie.currency = str(args[0])
            elif label == "#PROGRAM":
                sie.program, sie.program_version = str(args[0]), str(args[1]) if len(args) > 1 else ""
            elif label == "#RAR" and str(args[0]) == "0":
                sie.year_start, sie.year_end = _date(str(args[1])), _date(str(args[2]))
            elif label == "#KONTO":
                sie.accounts[str(args[0])] = str(args[1])
            elif label == "#DIM":
                sie.dimensions[int(str(args[0]))] = str(args[1])
            elif label == "#OBJEKT":
                sie.objects[(int(str(args[0])), str(args[1]))] = str(args[2])
        except (IndexError, ValueError, ArithmeticError) as exc:
            raise ValueError(f"SIE line {number}: {exc}: {raw!r}") from None
    if current is not None:
        raise ValueError("file ends inside a voucher")
    return sie
