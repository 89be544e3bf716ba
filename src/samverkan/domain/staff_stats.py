"""Staff statistics of the annual report: aggregates of a year's employments, with small groups
suppressed so no individual's sick leave can be read off.

Definitions (as the annual report states them, LKBR 11 kap.):

* **Sick-leave share** = sick hours ÷ *ordinary working time* ("andel av ordinarie arbetstid"),
  in percent. ``worked_hours`` is the employee's ordinary (scheduled) working time of the year
  *including* the absence, so the share of a person is at most 100 %. (A payroll export whose
  "arbetade timmar" exclude absence must add the absence before import; the importer refuses a
  row whose sick hours exceed its worked hours.)
* **Long-term share** = hours of sick spells of 60 consecutive days or more ÷ all sick hours, in
  percent; 0 when nobody was sick (seed 002 prints "0" for such a year).
* **FTE** (årsarbetare) is summed per sex; **headcount** counts distinct persons per form of
  employment and sex. These two tables are published in full: they say nothing about health.

Suppression (only of sick-leave figures): a group of fewer than ``MIN_GROUP`` people is shown
as None ("–"). Where a table also shows its total, a single suppressed group could be recomputed
from the total and the other groups (with the hours the groups' sizes suggest), so a second,
the smallest remaining non-empty group is suppressed too (complementary suppression). If the
whole staff is fewer than ``MIN_GROUP`` people, the total and every group are suppressed. An
empty group (no people) has no figure and reveals nothing. Each table is protected on its own;
the same total is shared by the age and sex tables, which is safe since neither exposes a group
under five.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MIN_GROUP = 5
AGE_GROUPS: tuple[str, ...] = ("-29", "30-49", "50-")
LONG_SPELL_DAYS = 60
_ONE_DECIMAL = Decimal("0.1")
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class StaffRow:
    """One person's employment of the year (the anonymous key, never a payroll id)."""

    person: str
    form: str
    sex: str
    age_group: str
    fte: Decimal
    worked_hours: Decimal
    sick_hours: Decimal
    long_sick_hours: Decimal


@dataclass(frozen=True)
class ShareCell:
    """A sick-leave figure of a group: ``value`` None when suppressed or when the group is empty."""

    people: int
    value: Decimal | None
    suppressed: bool


@dataclass(frozen=True)
class ShareTable:
    groups: dict[str, ShareCell]
    total: ShareCell


def age_group(birth_year: int, year: int) -> str:
    """The group of the age a person reaches during ``year``."""
    age = year - birth_year
    if age <= 29:
        return "-29"
    if age <= 49:
        return "30-49"
    return "50-"


def percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator ÷ denominator in percent with one decimal (half up); None for a zero denominator."""
    if denominator <= 0:
        return None
    return (numerator * _HUNDRED / denominator).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def fte_by_sex(rows: Iterable[StaffRow]) -> dict[str, Decimal]:
    """Summed FTE per sex, one decimal (as seed 002 prints them)."""
    sums: dict[str, Decimal] = {}
    for row in rows:
        sums[row.sex] = sums.get(row.sex, Decimal(0)) + row.fte
    return {sex: value.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP) for sex, value in sums.items()}


def total_fte(rows: Iterable[StaffRow]) -> Decimal:
    """Total FTE rounded once (not the sum of the rounded groups)."""
    return sum((r.fte for r in rows), Decimal(0)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def headcount_by_form_and_sex(rows: Iterable[StaffRow]) -> dict[tuple[str, str], int]:
    """Distinct persons per (form, sex)."""
    people: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        people.setdefault((row.form, row.sex), set()).add(row.person)
    return {key: len(persons) for key, persons in people.items()}


def headcount(rows: Iterable[StaffRow]) -> int:
    return len({row.person for row in rows})


def suppressed_groups(people: Mapping[str, int], *, with_total: bool = True, minimum: int = MIN_GROUP) -> set[str]:
    """The groups to hide: primary (1..minimum-1 people) and, beside a shown total, a
    complementary one when only one would be hidden otherwise."""
    total = sum(people.values())
    nonempty = {g for g, n in people.items() if n > 0}
    if 0 < total < minimum:
        return nonempty
    hidden = {g for g in nonempty if people[g] < minimum}
    if with_total and len(hidden) == 1:
        candidates = sorted(nonempty - hidden, key=lambda g: (people[g], g))
        if candidates:
            hidden.add(candidates[0])
    return hidden


def sick_leave_table(
    rows: Sequence[StaffRow], key: Callable[[StaffRow], str], groups: Sequence[str] = ()
) -> ShareTable:
    """Sick-leave share per group (``key``) and in total, suppressed as the module says."""
    people: dict[str, set[str]] = {g: set() for g in groups}
    sick: dict[str, Decimal] = {}
    worked: dict[str, Decimal] = {}
    for row in rows:
        group = key(row)
        people.setdefault(group, set()).add(row.person)
        sick[group] = sick.get(group, Decimal(0)) + row.sick_hours
        worked[group] = worked.get(group, Decimal(0)) + row.worked_hours
    counts = {g: len(p) for g, p in people.items()}
    hidden = suppressed_groups(counts)
    cells = {
        g: ShareCell(
            counts[g],
            None if g in hidden else percent(sick.get(g, Decimal(0)), worked.get(g, Decimal(0))),
            g in hidden,
        )
        for g in people
    }
    everyone = headcount(rows)
    total_hidden = 0 < everyone < MIN_GROUP
    total_value = percent(sum(sick.values(), Decimal(0)), sum(worked.values(), Decimal(0)))
    total = ShareCell(everyone, None if total_hidden else total_value, total_hidden)
    return ShareTable(cells, total)


def long_term_share(rows: Sequence[StaffRow]) -> ShareCell:
    """Share of all sick hours in spells ≥ 60 days; suppressed for a staff under five."""
    everyone = headcount(rows)
    if 0 < everyone < MIN_GROUP:
        return ShareCell(everyone, None, True)
    sick = sum((r.sick_hours for r in rows), Decimal(0))
    long_sick = sum((r.long_sick_hours for r in rows), Decimal(0))
    value = percent(long_sick, sick)
    return ShareCell(everyone, Decimal("0.0") if value is None and everyone else value, False)
