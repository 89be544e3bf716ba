"""Figures inside the annual report's text. A sentence such as "överskott med {result}" is
written with a field, filled from the statements when the report is rendered, so the text and
the tables cannot disagree (seed 002 says 1 367 000 in one place and 1 376 000 in another).

Fields are `{name}` (letters, digits, underscore); `{{` and `}}` are literal braces. A field the
figures do not know is an error naming it, never left in the text or replaced by nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from samverkan.domain.errors import DomainError
from samverkan.domain.money import NBSP, format_number

Unit = Literal["kr", "%", ""]

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")


class UnknownFieldError(DomainError):
    """The text names a field the figures do not have."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        listed = ", ".join("{" + name + "}" for name in names)
        super().__init__(f"Okänt fält i texten: {listed}.")


@dataclass(frozen=True)
class Figure:
    """One figure of the year. `kr`: an amount in kronor, rounded to `step` (1000 gives
    "1 376 000 kr"); `%`: a ratio (0.031 → "3,1 %"); "": a plain number."""

    value: Decimal
    unit: Unit = "kr"
    decimals: int = 0
    step: Decimal = Decimal(1)

    def text(self) -> str:
        if self.unit == "%":
            return f"{format_number(self.value * 100, self.decimals)}{NBSP}%"
        value = self.value
        if self.step != 1:
            value = (value / self.step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * self.step
        shown = format_number(value, self.decimals)
        return f"{shown}{NBSP}kr" if self.unit == "kr" else shown


def fields(text: str) -> tuple[str, ...]:
    """The field names of `text` in order of first appearance."""
    seen: dict[str, None] = {}
    for match in _TOKEN.finditer(text):
        if match.group(1) is not None:
            seen.setdefault(match.group(1).strip(), None)
    return tuple(seen)


def check(text: str, figures: Mapping[str, object]) -> None:
    """Raise UnknownFieldError when `text` names a field missing from `figures` (or a malformed
    one such as `{ }`), so an editor learns of it when saving."""
    unknown = tuple(name for name in fields(text) if name not in figures or not _NAME.match(name))
    if unknown:
        raise UnknownFieldError(unknown)


def fill(text: str, figures: Mapping[str, Figure]) -> str:
    """`text` with every field replaced by its figure in Swedish format."""
    check(text, figures)

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:  # "{{" or "}}": a literal brace
            return match.group(0)[0]
        return figures[name.strip()].text()

    return _TOKEN.sub(replace, text)
