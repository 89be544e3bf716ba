"""Reads of staff statistics: only aggregates leave this module (never an employment row), with
sick-leave figures of small groups suppressed by ``domain.staff_stats``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from samverkan.core.permissions import scope
from samverkan.domain import staff_stats as stats
from samverkan.performance.models import Employment, EmploymentForm, Sex, StaffImport

YEARS_SHOWN = 4
FORM_ORDER = [
    EmploymentForm.FIXED_TERM,
    EmploymentForm.SUBSTITUTE,
    EmploymentForm.PROBATION,
    EmploymentForm.HOURLY,
    EmploymentForm.PERMANENT,
]
SEX_ORDER = [Sex.WOMAN, Sex.MAN, Sex.OTHER]


def age_labels() -> dict[str, str]:
    return {"-29": _("0–29 år"), "30-49": _("30–49 år"), "50-": _("50– år")}


def staff_imports(user, federation):
    """The imported years (no rows) of ``federation`` the user may see."""
    qs = scope(user, StaffImport.objects.all(), federation="federation", member=None, department=None)
    return qs.filter(federation=federation).order_by("-year")


def _rows(user, federation, years: list[int]) -> dict[int, list[stats.StaffRow]]:
    imports = staff_imports(user, federation).filter(year__in=years)
    result: dict[int, list[stats.StaffRow]] = {i.year: [] for i in imports}
    fields = ("staff_import__year", "person_key", "form", "sex", "age_group", "fte")
    hours = ("worked_hours", "sick_hours", "long_sick_hours")
    for values in Employment.objects.filter(staff_import__in=imports).values_list(*fields, *hours):
        result[values[0]].append(stats.StaffRow(*values[1:]))
    return result


def staff_report(user, federation, year: int, span: int = YEARS_SHOWN) -> dict[str, Any]:
    """The tables of seed 002 for ``year`` and the years before it (newest first). A value of
    None is a suppressed figure or a year without data (``available`` lists those with data)."""
    years = [year - i for i in range(span)]
    data = _rows(user, federation, years)
    sexes = dict(Sex.choices)
    forms = dict(EmploymentForm.choices)

    def per_year(compute) -> list[Any]:
        return [compute(data[y]) if y in data else None for y in years]

    fte_rows = [
        {"key": s.value, "label": sexes[s], "values": per_year(lambda rows, s=s: stats.fte_by_sex(rows).get(s.value))}
        for s in SEX_ORDER
        if any(r.sex == s for rows in data.values() for r in rows)
    ]
    counts = {y: stats.headcount_by_form_and_sex(rows) for y, rows in data.items()}
    present = {key for c in counts.values() for key in c}
    form_rows = [
        {
            "form": f.value,
            "sex": s.value,
            "label": f"{forms[f]}, {sexes[s].lower()}",
            "form_label": forms[f],
            "sex_label": sexes[s],
            "values": [counts[y].get((f.value, s.value)) or None if y in counts else None for y in years],
        }
        for f in FORM_ORDER
        for s in SEX_ORDER
        if (f.value, s.value) in present
    ]
    labels = age_labels()
    by_age = {y: stats.sick_leave_table(rows, lambda r: r.age_group, stats.AGE_GROUPS) for y, rows in data.items()}
    by_sex = {y: stats.sick_leave_table(rows, lambda r: r.sex) for y, rows in data.items()}
    sex_keys = [s.value for s in SEX_ORDER if any(s.value in t.groups for t in by_sex.values())]

    def cell(table, group):
        found = table.groups.get(group) if table else None
        return found.value if found else None

    return {
        "year": year,
        "years": years,
        "available": [y for y in years if y in data],
        "suppression_limit": stats.MIN_GROUP,
        "fte": {"rows": fte_rows, "total": per_year(stats.total_fte)},
        "forms": {"rows": form_rows, "total": per_year(stats.headcount)},
        "sick_by_age": {
            "rows": [
                {"key": g, "label": labels[g], "values": [cell(by_age.get(y), g) for y in years]}
                for g in stats.AGE_GROUPS
            ],
            "total": [by_age[y].total.value if y in by_age else None for y in years],
        },
        "sick_by_sex": {
            "rows": [
                {"key": k, "label": sexes[k], "values": [cell(by_sex.get(y), k) for y in years]} for k in sex_keys
            ],
            "total": [by_sex[y].total.value if y in by_sex else None for y in years],
        },
        "long_term": per_year(lambda rows: stats.long_term_share(rows).value),
    }
