"""Reads of the yearly customer survey (key people in the member municipalities) and of the staff
survey's NMI, kept apart from the portal's per-ticket satisfaction answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from samverkan.core.permissions import scope
from samverkan.performance.models import SurveyResult

NMI_AREA = "Medarbetarundersökning (NMI)"  # the staff survey's NMI, stored as a survey area
YEARS_SHOWN = 3


def survey_results(user, federation):
    qs = scope(
        user, SurveyResult.objects.select_related("area"), federation="area__federation", member=None, department=None
    )
    return qs.filter(area__federation=federation)


def nki_table(user, federation, year: int, span: int = YEARS_SHOWN) -> dict[str, Any]:
    """NKI (question blank) per area for ``year`` and the years before (newest first), and the
    answers per question for ``year``."""
    years = [year - i for i in range(span)]
    results = survey_results(user, federation).filter(year__in=years).exclude(area__name=NMI_AREA)
    nki: dict[str, dict[int, Decimal]] = {}
    questions: dict[str, dict[str, Decimal]] = {}
    for r in results.order_by("area__name", "question"):
        if r.question == "":
            nki.setdefault(r.area.name, {})[r.year] = r.value
        elif r.year == year:
            questions.setdefault(r.area.name, {})[r.question] = r.value
    question_names = sorted({q for qs in questions.values() for q in qs})
    return {
        "year": year,
        "years": years,
        "rows": [{"area": a, "values": [v.get(y) for y in years]} for a, v in sorted(nki.items())],
        "questions": question_names,
        "question_rows": [
            {"area": a, "values": [v.get(q) for q in question_names]} for a, v in sorted(questions.items())
        ],
    }


def nmi(user, federation, year: int) -> list[dict[str, Any]]:
    """The staff survey's NMI figures of ``year`` (one per unit and occasion)."""
    results = survey_results(user, federation).filter(year=year, area__name=NMI_AREA).order_by("question")
    return [{"label": r.question, "value": r.value} for r in results]
