"""The one parser for numbers that come in from outside (forms, API, importers, CLI).

    parse_decimal(value, *, max_digits=15, max_decimals=6, minimum=None, maximum=None,
                  above=None, max_exponent=None) -> Decimal
    parse_int(value, *, minimum=None, maximum=None, max_digits=15) -> int
    parse_ratio(value, *, max_decimals=6, minimum=0, maximum=1) -> Decimal  # "0,8", "80 %" -> 0.8
    NumberError(DomainError)                              # Swedish message, e.g. "högst 15 siffror"

What is accepted (Swedish and English writing, one rule for both):
- an optional sign: "-", "+" or the typographic minus "−" (U+2212);
- digits, optionally grouped by thousands with a space, a no-break space or a narrow no-break
  space ("1 234 567"; every group after the first has exactly three digits);
- one decimal mark, comma or point ("1 234,56" and "1234.56"). A thousands separator other than a
  space is refused: "1,234.56" has two marks and is ambiguous, "1,234" is one comma two three four;
- an exponent ("1e5", "2,5E-3") only where the caller passes ``max_exponent``, and then only up
  to that size; otherwise "1e999999999" is refused before any arithmetic is done;
- no "%": a percentage is read only by ``parse_ratio`` (the rule for every share and target:
  a ratio from 0 to 1, or a percentage written with "%": "0,8", "0.8", "80 %", "80%").
NaN, Infinity, hex, underscores and empty text are refused. "-0" is read as 0. Digits are
counted without leading zeros of the integer part and trailing zeros of the fraction, so
"0,500" has one decimal. Input is at most ``MAX_TEXT`` characters, so parsing is always quick.
``minimum``/``maximum`` are inclusive, ``above`` is an exclusive lower bound ("större än 0").
The message names what is wrong, not the field: callers prefix the field and line.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from samverkan.domain.errors import DomainError

MAX_TEXT = 64
DEFAULT_DIGITS = 15
DEFAULT_DECIMALS = 6
_SPACES = " \u00a0\u202f"
_NUMBER = re.compile(
    r"(?P<sign>[-+\u2212]?)"
    r"(?P<integer>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)?"
    r"(?:[.,](?P<fraction>\d+))?"
    r"(?:[eE](?P<exponent>[-+\u2212]?\d+))?",
    re.ASCII,  # only 0-9: int() would read other scripts' digits too
)


class NumberError(DomainError):
    """A number the input may not hold; the message is Swedish and says what is wrong."""


def _shown(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"


def _format(number: Decimal) -> str:
    """A bound in a message, the Swedish way: `1 000 000`, `0,5`, `−5`."""
    text = f"{abs(number).normalize():f}"
    integer, _, fraction = text.partition(".")
    grouped = f"{int(integer):,}".replace(",", "\u00a0")
    return ("\u2212" if number < 0 else "") + grouped + ("," + fraction if fraction else "")


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        raise NumberError("är inte ett tal")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberError("måste vara ett ändligt tal")
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError("måste vara ett ändligt tal")
        _sign, digits, exponent = value.as_tuple()
        if not isinstance(exponent, int) or len(digits) + abs(exponent) > MAX_TEXT:
            raise NumberError("har för många siffror")
        return f"{value:f}"
    if isinstance(value, int):
        text = str(value) if -(10**MAX_TEXT) < value < 10**MAX_TEXT else ""
        if not text:
            raise NumberError("har för många siffror")
        return text
    if not isinstance(value, str):
        raise NumberError("är inte ett tal")
    return value


def parse_decimal(
    value: object,
    *,
    max_digits: int = DEFAULT_DIGITS,
    max_decimals: int = DEFAULT_DECIMALS,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    above: Decimal | int | None = None,
    max_exponent: int | None = None,
) -> Decimal:
    """Read a decimal number (str, int, Decimal or a finite float) within the given limits."""
    text = _as_text(value).strip()
    if not text:
        raise NumberError("saknar värde")
    if len(text) > MAX_TEXT:
        if text.lstrip("-+\u2212").isascii() and text.lstrip("-+\u2212").isdigit():
            raise NumberError(f"högst {max_digits} siffror")
        raise NumberError(f"är för långt (högst {MAX_TEXT} tecken)")
    match = _NUMBER.fullmatch(text)
    if match is None or (match["integer"] is None and match["fraction"] is None):
        if "%" in text:
            raise NumberError(f"«{_shown(text)}» ska skrivas utan procenttecken")
        if text.count(",") + text.count(".") > 1:
            raise NumberError(f"«{_shown(text)}» har mer än ett decimaltecken (skriv tusental med mellanslag)")
        raise NumberError(f"«{_shown(text)}» är inte ett tal")
    exponent = 0
    if match["exponent"] is not None:
        exponent = int(match["exponent"].replace("\u2212", "-"))
        if max_exponent is None:
            raise NumberError("får inte skrivas med exponent (e)")
        if abs(exponent) > max_exponent:
            raise NumberError(f"exponenten får vara högst {max_exponent}")
    integer = "".join(ch for ch in (match["integer"] or "0") if ch not in _SPACES)
    fraction = match["fraction"] or ""
    # The digits the value really has, after the exponent has moved the decimal mark.
    mantissa = integer + fraction
    point = len(integer) + exponent
    if point > len(mantissa):
        mantissa += "0" * (point - len(mantissa))
    elif point < 0:
        mantissa = "0" * -point + mantissa
        point = 0
    whole, decimals = mantissa[:point].lstrip("0"), mantissa[point:].rstrip("0")
    if len(decimals) > max_decimals:
        raise NumberError(f"högst {max_decimals} decimaler" if max_decimals else "måste vara ett heltal")
    if len(whole) + len(decimals) > max_digits:
        raise NumberError(f"högst {max_digits} siffror")
    sign = "-" if match["sign"] in ("-", "\u2212") and (whole or decimals) else ""  # "-0" is 0
    number = Decimal(f"{sign}{whole or '0'}.{decimals}" if decimals else f"{sign}{whole or '0'}")
    _check_range(number, minimum, maximum, above)
    return number


def _check_range(
    number: Decimal,
    minimum: Decimal | int | None,
    maximum: Decimal | int | None,
    above: Decimal | int | None,
) -> None:
    low = Decimal(minimum) if minimum is not None else None
    high = Decimal(maximum) if maximum is not None else None
    if low is not None and high is not None and not low <= number <= high:
        raise NumberError(f"måste vara mellan {_format(low)} och {_format(high)}")
    if low is not None and number < low:
        raise NumberError(f"måste vara minst {_format(low)}")
    if high is not None and number > high:
        raise NumberError(f"får vara högst {_format(high)}")
    if above is not None and number <= Decimal(above):
        raise NumberError(f"måste vara större än {_format(Decimal(above))}")


def parse_int(
    value: object,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    max_digits: int = DEFAULT_DIGITS,
) -> int:
    """Read a whole number ("1 234", "−5", "12,0") within the given limits; "12,5" is refused."""
    return int(parse_decimal(value, max_digits=max_digits, max_decimals=0, minimum=minimum, maximum=maximum))


def parse_ratio(
    value: object,
    *,
    max_decimals: int = DEFAULT_DECIMALS,
    minimum: Decimal | int = 0,
    maximum: Decimal | int = 1,
) -> Decimal:
    """Read a share: a ratio from 0 to 1 ("0,8") or a percentage with a percent sign ("80 %").

    "1,5" is refused (not read as 1,5 %), so a target means the same on the page, in the API
    and on the command line. ``minimum``/``maximum`` narrow the range (as ratios)."""
    text = _as_text(value).strip()
    if text.endswith("%"):
        percent = parse_decimal(text[:-1], max_decimals=max(max_decimals - 2, 0), minimum=0, maximum=100)
        ratio = (percent / 100).quantize(Decimal(1).scaleb(-max_decimals)).normalize()
    else:
        try:
            ratio = parse_decimal(text, max_decimals=max_decimals, minimum=0, maximum=1)
        except NumberError as exc:
            if str(exc).startswith("måste vara mellan"):
                raise NumberError("måste vara mellan 0 och 1, eller en procentsats med % (t.ex. 80 %)") from None
            raise
    if not Decimal(minimum) <= ratio <= Decimal(maximum):
        low, high = (_format(Decimal(bound) * 100) for bound in (minimum, maximum))
        raise NumberError(f"måste vara mellan {low} % och {high} %")
    return ratio
