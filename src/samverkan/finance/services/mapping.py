"""Writes of the account mapping and the finance settings of a federation.

The mapping is written as a whole (`mapping_set`): ranges only make sense together (the
narrowest range containing an account wins), so every change is validated against all the
others and audited as one before/after list.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from samverkan.core.audit import audit_record
from samverkan.core.permissions import require
from samverkan.core.services import model_create, model_update
from samverkan.domain.ledger_lines import MappingError, MappingRange, validate_ranges
from samverkan.finance.models import AccountMapping, FinanceSettings
from samverkan.finance.policies import EDIT_MAPPING
from samverkan.finance.selectors.mapping import default_mapping

SETTINGS_FIELDS = (
    "activity_dimension",
    "project_dimension",
    "deviation_convention",
    "print_unit",
    "line_grouping",
    "financial_goal_percent",
    "publish_statements",
)
MAX_RANGES = 2_000
_PAD = 20  # account numbers are at most 20 characters (AccountMapping.first/last)


def _bounds(rng: MappingRange) -> tuple[int, int]:
    """A range as numbers at a common length: «3»–«3» is 3000…0–3999…9 (as ledger_lines reads it)."""
    return int(rng.first.ljust(_PAD, "0")), int(rng.last.ljust(_PAD, "9"))


def check_ranges(ranges: list[MappingRange]) -> None:
    """Raise ValidationError (Swedish) for a range ledger_lines refuses, a range given twice, or
    two overlapping ranges of equal width that name different lines (an account in both would
    belong to either: the narrowest-range rule cannot choose)."""
    if len(ranges) > MAX_RANGES:
        raise ValidationError(f"Högst {MAX_RANGES} kontointervall.")
    for rng in ranges:
        if not (rng.first.isascii() and rng.last.isascii()):
            shown = f"{rng.first[:_PAD]}–{rng.last[:_PAD]}"
            raise ValidationError(f"Kontointervallet {shown} får bara innehålla siffror 0–9.")
        if len(rng.first) > _PAD or len(rng.last) > _PAD:
            raise ValidationError(f"Kontointervallet {rng.first[:_PAD]}–{rng.last[:_PAD]}: högst {_PAD} siffror.")
    try:
        validate_ranges(ranges)
    except MappingError as exc:
        raise ValidationError(str(exc)) from None
    problems = []
    seen: dict[tuple[str, str], MappingRange] = {}
    for rng in ranges:
        if (rng.first, rng.last) in seen:
            problems.append(f"Kontointervallet {rng.first}–{rng.last} finns två gånger.")
        seen[(rng.first, rng.last)] = rng
    bounds = sorted(((*_bounds(r), r) for r in ranges), key=lambda b: (b[0], b[1]))
    for i, (low, high, rng) in enumerate(bounds):
        for other_low, other_high, other in bounds[i + 1 :]:
            if other_low > high:
                break
            if other.line != rng.line and other_high - other_low == high - low:
                problems.append(
                    f"Kontointervallen {rng.first}–{rng.last} och {other.first}–{other.last} överlappar, är lika breda "
                    "och pekar på olika rader: ett konto i båda kan inte mappas."
                )
    if problems:
        raise ValidationError(problems[:50])


@transaction.atomic
def mapping_set(*, acting_user, federation, ranges: Iterable[MappingRange]) -> list[AccountMapping]:
    """Replace the federation's whole mapping by `ranges`."""
    require(acting_user, EDIT_MAPPING, federation=federation)
    ranges = [MappingRange(str(r.first).strip(), str(r.last).strip(), str(r.line).strip()) for r in ranges]
    check_ranges(ranges)
    current = AccountMapping.objects.filter(federation=federation)
    before = [[m.first, m.last, m.line] for m in current.order_by("first", "last")]
    current.delete()
    rows = AccountMapping.objects.bulk_create(
        [AccountMapping(federation=federation, first=r.first, last=r.last, line=r.line) for r in ranges]
    )
    after = sorted([r.first, r.last, r.line] for r in ranges)
    if before != after:
        audit_record(
            actor=acting_user,
            action="update",
            instance=federation,
            object_type="finance.AccountMapping",
            object_repr=f"Kontomappning {federation}",
            before={"ranges": before},
            after={"ranges": after},
        )
    return rows


@transaction.atomic
def install_default_mapping(*, acting_user, federation) -> list[AccountMapping]:
    """Copy the shipped Kommun-Bas mapping (finance/data/kommunbas_mapping.csv) to the federation,
    replacing its own; from then on it edits its copy."""
    require(acting_user, EDIT_MAPPING, federation=federation)
    return mapping_set(acting_user=acting_user, federation=federation, ranges=default_mapping())


@transaction.atomic
def settings_update(*, acting_user, federation, data: dict) -> FinanceSettings:
    require(acting_user, EDIT_MAPPING, federation=federation)
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(f"Okända inställningar: {', '.join(sorted(unknown))}.")
    found = FinanceSettings.objects.select_for_update().filter(federation=federation).first()
    if found is None:
        return model_create(model=FinanceSettings, acting_user=acting_user, federation=federation, **data)
    settings, _changed = model_update(instance=found, acting_user=acting_user, data=data)
    return settings
