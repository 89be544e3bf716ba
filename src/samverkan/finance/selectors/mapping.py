"""The account mapping and settings of a federation, with the shipped defaults when it has none."""

import csv
from functools import cache
from pathlib import Path

from samverkan.domain.ledger_lines import MappingRange
from samverkan.finance.models import AccountMapping, FinanceSettings

DEFAULT_MAPPING = Path(__file__).resolve().parent.parent / "data" / "kommunbas_mapping.csv"


@cache
def default_mapping() -> tuple[MappingRange, ...]:
    """Kommun-Bas classes and groups to report lines (finance/data/kommunbas_mapping.csv)."""
    with DEFAULT_MAPPING.open(encoding="utf-8", newline="") as handle:
        return tuple(MappingRange(row["first"], row["last"], row["line"]) for row in csv.DictReader(handle))


def mapping_ranges(federation) -> list[MappingRange]:
    """The federation's own mapping once it has one, else the shipped default."""
    rows = list(AccountMapping.objects.filter(federation=federation).values_list("first", "last", "line"))
    return [MappingRange(*row) for row in rows] if rows else list(default_mapping())


def finance_settings(federation) -> FinanceSettings:
    """The saved settings, or the defaults (unsaved) for a federation that has changed none."""
    found = FinanceSettings.objects.filter(federation=federation).first()
    return found or FinanceSettings(federation=federation)
