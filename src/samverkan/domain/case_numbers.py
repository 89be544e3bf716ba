"""Case numbers (diarienummer) of a federation's case register, from a configurable pattern.

A pattern is literal text with exactly one `{year}` and one `{n}` (the running number within
the year), e.g. "{year}-{n:02}" → "2013-16" (seed 001) or "KS {year}/{n}" → "KS 2019/492".
`{n:0W}` pads the running number with zeros to W digits (1–9). Nothing else may stand in
braces: the pattern is parsed here, never handed to `str.format`, so a stored pattern cannot
reach attributes or items of the values it formats.

Both placeholders are required: the number must be unique in the federation across years, and
`parse_case_number` must give back both parts (a historic import names its number and the
register advances its counter past it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from samverkan.domain.errors import DomainError

MAX_PATTERN_LENGTH = 40
MAX_NUMBER_LENGTH = 40
MAX_SEQUENCE = 999_999_999
MIN_YEAR, MAX_YEAR = 1900, 2999

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_N_SPEC = re.compile(r"n(?::0([1-9]))?")


class CaseNumberError(DomainError):
    """A pattern or a case number the register cannot use."""


@dataclass(frozen=True)
class _Part:
    literal: str = ""
    field: str = ""  # "year" or "n"; empty for literal text
    width: int = 0  # zero padding of n


def _parts(pattern: str) -> tuple[_Part, ...]:
    if not pattern or len(pattern) > MAX_PATTERN_LENGTH:
        raise CaseNumberError(f"Mönstret måste ha 1–{MAX_PATTERN_LENGTH} tecken.")
    parts: list[_Part] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(pattern):
        literal = pattern[pos : match.start()]
        if literal:
            parts.append(_Part(literal=literal))
        inner = match.group(1)
        if inner == "year":
            parts.append(_Part(field="year"))
        else:
            spec = _N_SPEC.fullmatch(inner)
            if spec is None:
                raise CaseNumberError(
                    f"Okänd platshållare {{{inner}}} i mönstret; använd {{year}} och {{n}} (eller {{n:02}})."
                )
            parts.append(_Part(field="n", width=int(spec.group(1) or 0)))
        pos = match.end()
    if pattern[pos:]:
        parts.append(_Part(literal=pattern[pos:]))
    if any("{" in p.literal or "}" in p.literal for p in parts):
        raise CaseNumberError("Mönstret har en klammer utan motsvarighet.")
    fields = [p.field for p in parts if p.field]
    if sorted(fields) != ["n", "year"]:
        raise CaseNumberError("Mönstret måste innehålla {year} och {n} exakt en gång var.")
    for before, after in pairwise(parts):
        if before.field and after.field:
            raise CaseNumberError("{year} och {n} måste skiljas åt av minst ett tecken.")
    if pattern != " ".join(pattern.split()):
        raise CaseNumberError("Mönstret får inte börja eller sluta med blanksteg eller ha flera i rad.")
    return tuple(parts)


def validate_pattern(pattern: str) -> None:
    """Raise CaseNumberError (Swedish message) unless `pattern` is usable."""
    _parts(pattern)


def _check(year: int, n: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CaseNumberError(f"Året {year} ligger utanför {MIN_YEAR}–{MAX_YEAR}.")
    if not 1 <= n <= MAX_SEQUENCE:
        raise CaseNumberError(f"Löpnumret måste vara mellan 1 och {MAX_SEQUENCE}.")


def format_case_number(pattern: str, year: int, n: int) -> str:
    """The case number `n` of `year` in `pattern`: ("{year}-{n:02}", 2013, 16) → "2013-16"."""
    _check(year, n)
    out = []
    for part in _parts(pattern):
        if part.field == "year":
            out.append(str(year))
        elif part.field == "n":
            out.append(str(n).zfill(part.width))
        else:
            out.append(part.literal)
    return "".join(out)


def _regex(parts: tuple[_Part, ...]) -> re.Pattern[str]:
    pieces = []
    for part in parts:
        if part.field == "year":
            pieces.append(r"(?P<year>[0-9]{4})")
        elif part.field == "n":
            pieces.append(r"(?P<n>[0-9]{1,9})")
        else:
            pieces.append(re.escape(part.literal))
    return re.compile("".join(pieces), re.IGNORECASE)


def parse_case_number(pattern: str, text: str) -> tuple[int, int]:
    """(year, n) of a case number written in `pattern`; "2013-16" → (2013, 16). Leading zeros
    of n are optional ("2013-5" is 2013-05) and letters match in any case; anything else that does
    not fit the pattern is refused."""
    parts = _parts(pattern)
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > MAX_NUMBER_LENGTH:
        raise CaseNumberError(f"Ett diarienummer har 1–{MAX_NUMBER_LENGTH} tecken.")
    match = _regex(parts).fullmatch(cleaned)
    if match is None:
        example = format_case_number(pattern, 2013, 16)
        raise CaseNumberError(f"”{cleaned}” följer inte mönstret för diarienummer (till exempel ”{example}”).")
    year, n = int(match.group("year")), int(match.group("n"))
    _check(year, n)
    return year, n
