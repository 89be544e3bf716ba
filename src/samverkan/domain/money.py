"""Money as Decimal with explicit rounding.

Amounts are kronor as ``Decimal``; öre are the smallest unit. Rounding is always
ROUND_HALF_UP (Swedish commercial rounding, "avrundning uppåt vid 5") unless a caller
says otherwise, because that is what a municipal economist reproduces in Excel.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ORE = Decimal("0.01")
KRONA = Decimal("1")
NBSP = "\u00a0"
# Like every stored amount: fewer than 15 digits before the decimal mark. "1e999999999" is a valid
# Decimal, but rounding it builds a billion-digit number (the caller never returns) and a few
# thousand digits overflow the decimal context, so every number that comes in is bounded first.
AMOUNT_DIGITS = 15
AMOUNT_LIMIT = Decimal(10) ** AMOUNT_DIGITS


def to_decimal(value: object) -> Decimal:
    """Parse a money value written the Swedish or the machine way ("1 166 000,50" or "1166000.50")."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise TypeError("money must not be a float; pass a string or Decimal")
    text = str(value).strip().replace(NBSP, "").replace(" ", "").replace("kr", "")
    if "," in text and "." in text:
        raise ValueError(f"ambiguous amount {value!r}")
    text = text.replace(",", ".").replace("\u2212", "-")
    try:
        result = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return result


def within_limit(number: Decimal) -> bool:
    """Is ``number`` below ``AMOUNT_LIMIT`` in size? (Exact comparisons: abs() could overflow.)"""
    return -AMOUNT_LIMIT < number < AMOUNT_LIMIT


def round_to(amount: Decimal, unit: Decimal = ORE) -> Decimal:
    return (
        amount.quantize(unit, rounding=ROUND_HALF_UP)
        if unit < 1
        else ((amount / unit).quantize(KRONA, rounding=ROUND_HALF_UP) * unit)
    )


def to_ore(amount: Decimal) -> int:
    """Exact conversion; refuses amounts with fractions of an öre instead of rounding silently."""
    ore = amount * 100
    if ore != ore.to_integral_value():
        raise ValueError(f"{amount} has fractions of an öre")
    return int(ore)


def from_ore(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(ORE)


def group_thousands(integer_part: str) -> str:
    """`-1234567` → `-1 234 567` with non-breaking spaces."""
    return f"{int(integer_part):,}".replace(",", NBSP)


def format_number(value: Decimal | int, decimals: int = 0) -> str:
    """Swedish number format: non-breaking space between thousands, comma as decimal mark."""
    quantized = round_to(Decimal(value), Decimal(1).scaleb(-decimals) if decimals else KRONA)
    sign = "-" if quantized < 0 else ""
    text = f"{abs(quantized):.{decimals}f}"
    integer, _, fraction = text.partition(".")
    result = group_thousands(integer)
    if fraction:
        result += "," + fraction
    return ("\u2212" if sign else "") + result


def format_sek(value: Decimal | int, decimals: int = 0) -> str:
    """`1 166 000 kr` — the way amounts appear in Swedish municipal documents."""
    return f"{format_number(value, decimals)}{NBSP}kr"


def format_percent(ratio: Decimal, decimals: int = 1) -> str:
    """A ratio (0.916) as `91,6 %`."""
    return f"{format_number(ratio * 100, decimals)}{NBSP}%"
