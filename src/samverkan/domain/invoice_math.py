"""Invoice arithmetic the way EN 16931 (and so Peppol BIS Billing 3.0) checks it.

Rules, each one a rule the validators enforce:

* Line net = billed quantity × unit price, rounded half-up to the öre (PEPPOL-EN16931-R120
  allows 0.02 slack; we are exact). A pro-rated recurring charge first rounds its billed
  quantity (units × months factor) to ``QUANTITY_DECIMALS`` places, so that what the invoice
  prints (quantity, price) reproduces the net by hand.
* VAT is computed per VAT breakdown group — category and rate — on the group's summed
  taxable amount, rounded once to the öre (BR-CO-17), never line by line; the invoice VAT
  total is the sum of the groups (BR-CO-14).
* Totals: line extension = Σ line nets (BR-CO-10), tax exclusive = line extension (no
  document-level allowances/charges here, BR-CO-13), tax inclusive = exclusive + VAT
  (BR-CO-15), payable = inclusive + rounding (BR-CO-16).
* An invoice with category ``O`` (outside the scope of VAT — e.g. a member municipality's
  sale to its federation) may contain no other category (BR-O-11…14): billing splits such
  lines into their own invoice using ``vat_scope``.

Amounts on credit notes are positive like on invoices (UBL CreditNote, type 381); the sign
belongs to the ledger (``ledger_sign``), not to the document.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

from samverkan.domain.errors import DomainError
from samverkan.domain.money import ORE, round_to

K = TypeVar("K", bound=Hashable)

QUANTITY_DECIMALS = 4
_QUANTITY_UNIT = Decimal(1).scaleb(-QUANTITY_DECIMALS)


class VatCategory(StrEnum):
    """UNCL5305 codes used by Swedish public-sector invoices."""

    STANDARD = "S"
    EXEMPT = "E"
    OUTSIDE_SCOPE = "O"


@dataclass(frozen=True)
class VatCode:
    code: str
    category: VatCategory
    rate: Decimal
    exemption_reason: str = ""

    @property
    def label_sv(self) -> str:
        if self.category is VatCategory.STANDARD:
            return f"Moms {self.rate.normalize()} %"
        return "Momsfri" if self.category is VatCategory.EXEMPT else "Utanför momsens tillämpningsområde"


VAT_25 = VatCode("25", VatCategory.STANDARD, Decimal(25))
VAT_12 = VatCode("12", VatCategory.STANDARD, Decimal(12))
VAT_6 = VatCode("6", VatCategory.STANDARD, Decimal(6))
VAT_EXEMPT = VatCode(
    "E",
    VatCategory.EXEMPT,
    Decimal(0),
    "Undantagen från skatteplikt enligt mervärdesskattelagen",
)
VAT_OUTSIDE = VatCode("O", VatCategory.OUTSIDE_SCOPE, Decimal(0), "Ej föremål för mervärdesskatt")
VAT_CODES: dict[str, VatCode] = {c.code: c for c in (VAT_25, VAT_12, VAT_6, VAT_EXEMPT, VAT_OUTSIDE)}


def vat_code(code: str) -> VatCode:
    """Look up ``"25"``, ``"12"``, ``"6"``, ``"E"`` (exempt) or ``"O"`` (outside scope)."""
    try:
        return VAT_CODES[code.strip().upper()]
    except KeyError:
        raise ValueError(f"unknown VAT code {code!r}; use one of {', '.join(VAT_CODES)}") from None


def vat_scope(code: VatCode) -> str:
    """Grouping key that keeps outside-scope lines off invoices with VAT-able lines (BR-O-11)."""
    return "O" if code.category is VatCategory.OUTSIDE_SCOPE else "V"


def round_ore(value: Decimal | Fraction | int) -> Decimal:
    """Half-up (away from zero) to the öre; exact for Fractions, which never pass through a float."""
    if isinstance(value, Fraction):
        return _round_fraction(value, 100) / 100
    return round_to(Decimal(value), ORE)


def _round_fraction(value: Fraction, scale: int) -> Decimal:
    scaled = value * scale
    sign = -1 if scaled < 0 else 1
    magnitude = abs(scaled)
    whole = magnitude.numerator // magnitude.denominator
    if magnitude - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(sign * whole)


def billed_quantity(quantity: Decimal, factor: Fraction | int = 1) -> Decimal:
    """Units × pro-rata factor, half-up to ``QUANTITY_DECIMALS`` places."""
    exact = Fraction(quantity) * Fraction(factor)
    return (_round_fraction(exact, 10**QUANTITY_DECIMALS) * _QUANTITY_UNIT).quantize(_QUANTITY_UNIT)


def line_net(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return (quantity * unit_price).quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    """One invoice line as the calculation needs it; exporters add the presentation fields."""

    quantity: Decimal
    unit_price: Decimal
    vat: VatCode
    description: str = ""

    @property
    def net(self) -> Decimal:
        return line_net(self.quantity, self.unit_price)


@dataclass(frozen=True)
class VatSubtotal:
    category: VatCategory
    rate: Decimal
    taxable: Decimal
    tax: Decimal
    exemption_reason: str = ""


@dataclass(frozen=True)
class Totals:
    line_extension: Decimal
    tax_exclusive: Decimal
    tax_total: Decimal
    tax_inclusive: Decimal
    rounding: Decimal
    payable: Decimal
    subtotals: tuple[VatSubtotal, ...] = field(default_factory=tuple)


class MixedVatScopeError(DomainError):
    """Outside-scope (O) lines were mixed with other VAT categories on one document."""


def vat_breakdown(lines: Iterable[tuple[Decimal, VatCode]]) -> tuple[VatSubtotal, ...]:
    """Group ``(net, vat code)`` pairs per category and rate; VAT rounded once per group."""
    taxable: dict[tuple[VatCategory, Decimal], Decimal] = {}
    reasons: dict[tuple[VatCategory, Decimal], str] = {}
    for net, code in lines:
        key = (code.category, code.rate)
        taxable[key] = taxable.get(key, Decimal("0.00")) + net
        reasons.setdefault(key, code.exemption_reason)
    categories = {category for category, _ in taxable}
    if VatCategory.OUTSIDE_SCOPE in categories and len(categories) > 1:
        raise MixedVatScopeError("outside-scope (O) lines must be invoiced separately (BR-O-11)")
    order = {
        VatCategory.STANDARD: 0,
        VatCategory.EXEMPT: 1,
        VatCategory.OUTSIDE_SCOPE: 2,
    }
    return tuple(
        VatSubtotal(
            category=category,
            rate=rate,
            taxable=round_ore(amount),
            tax=round_ore(amount * rate / 100),
            exemption_reason=reasons[(category, rate)],
        )
        for (category, rate), amount in sorted(taxable.items(), key=lambda kv: (order[kv[0][0]], -kv[0][1]))
    )


def invoice_totals(lines: Iterable[Line | tuple[Decimal, VatCode]], *, round_to_krona: bool = False) -> Totals:
    """Document totals; ``round_to_krona`` adds öresavrundning as the payable rounding amount."""
    pairs = [(ln.net, ln.vat) if isinstance(ln, Line) else (round_ore(ln[0]), ln[1]) for ln in lines]
    subtotals = vat_breakdown(pairs)
    line_extension = sum((net for net, _ in pairs), Decimal("0.00"))
    tax_total = sum((s.tax for s in subtotals), Decimal("0.00"))
    inclusive = line_extension + tax_total
    payable = round_to(inclusive, Decimal(1)).quantize(ORE) if round_to_krona else inclusive
    return Totals(
        line_extension=line_extension,
        tax_exclusive=line_extension,
        tax_total=tax_total,
        tax_inclusive=inclusive,
        rounding=payable - inclusive,
        payable=payable,
        subtotals=subtotals,
    )


class DocumentType(StrEnum):
    """UNCL1001: 380 commercial invoice, 381 credit note."""

    INVOICE = "380"
    CREDIT_NOTE = "381"


def ledger_sign(document_type: DocumentType) -> int:
    """+1 when the document increases what the buyer owes, -1 for a credit note."""
    return 1 if document_type is DocumentType.INVOICE else -1


class UnknownLineError(DomainError, LookupError):
    """A credit names a line that is not on the invoice it credits."""


class CreditQuantityError(DomainError):
    """A credit of nothing, or of more than the line invoiced."""


def credit_lines(original: Mapping[K, Line], *, quantities: Mapping[K, Decimal] | None = None) -> dict[K, Line]:
    """Lines of a credit note for ``original``: all of it, or ``{line key: quantity}`` of some lines.

    A quantity is how much of a line to credit, as a magnitude: the credit line keeps the sign
    of the line it credits, so a negative line (an allocation true-up that lowered a share) is
    credited with a negative quantity, and "1" and "-1" both credit one unit of either. Crediting
    nothing, or more than was invoiced on a line, is refused — a credit note corrects, it does
    not create a new claim. A line credited in full is returned as it was. Lines keep the
    order of ``original``.
    """
    if quantities is None:
        return dict(original)
    unknown = [key for key in quantities if key not in original]
    if unknown:
        raise UnknownLineError(f"line {unknown[0]!r} is not on the original invoice")
    result: dict[K, Line] = {}
    for key, line in original.items():
        if key not in quantities:
            continue
        quantity = abs(quantities[key])
        if not 0 < quantity <= abs(line.quantity):
            raise CreditQuantityError(f"credit quantity {quantities[key]} must be > 0 and ≤ {abs(line.quantity)}")
        signed = quantity if line.quantity > 0 else -quantity
        result[key] = line if signed == line.quantity else Line(signed, line.unit_price, line.vat, line.description)
    return result
