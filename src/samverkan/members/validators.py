"""Swedish identifiers: SCB kommunkod against the official list, orgnr by Luhn (python-stdnum)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr as se_orgnr

DATA = Path(__file__).parent / "data" / "kommuner.csv"


@cache
def municipalities() -> dict[str, str]:
    """kommunkod → name, from SCB's list of Sweden's 290 municipalities shipped as data."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {row["kommunkod"]: row["kommun"] for row in csv.DictReader(handle)}


def validate_kommunkod(value: str) -> None:
    if value not in municipalities():
        raise ValidationError(_("%(value)s är inte en kommunkod i SCB:s förteckning."), params={"value": value})


def normalise_orgnr(value: str) -> str:
    """`2120001234` or `212000-1234` → `212000-1234`; raises ValidationError if the check digit fails."""
    try:
        return se_orgnr.format(se_orgnr.validate(value))
    except StdnumError:
        raise ValidationError(_("%(value)s är inget giltigt organisationsnummer."), params={"value": value}) from None


def validate_orgnr(value: str) -> None:
    normalise_orgnr(value)
