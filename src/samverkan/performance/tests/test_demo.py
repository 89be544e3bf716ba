"""The performance demo: built through the services after the other modules' demos, twice
without error (the second run changes nothing), with the 2023 annual report adopted."""

from __future__ import annotations

from io import StringIO

from samverkan.performance import demo
from samverkan.performance.models import AnnualReport, Assessment, Employment, Goal, Indicator, SurveyResult


def _counts():
    return tuple(m.objects.count() for m in (Goal, Indicator, Assessment, Employment, SurveyResult, AnnualReport))


def test_builds_twice_without_error(built):
    assert "13 mål" in built
    before = _counts()
    out = StringIO()
    demo.build(out)
    assert "finns redan" in out.getvalue()
    assert _counts() == before
    assert before[:3] == (13, Indicator.objects.count(), 13)


def test_annual_report_2023_is_adopted_and_published_with_fields(built):
    report = AnnualReport.objects.get(federation__slug="lystkom", year=2023)
    assert report.adopted_on.isoformat() == "2024-03-01" and report.published
    texts = {s.key: s.text for s in report.sections.all()}
    assert "{result}" in texts["financial_analysis"] and "{goals_met}" in texts["governance"]


def test_annual_report_fills_the_fields_from_the_data(built):
    from samverkan.core.models import User
    from samverkan.performance.selectors.annual import figures

    values = figures(User.objects.get(username="ledamot"), AnnualReport.objects.get(year=2023))
    counts = {k: values[k].value for k in ("goals_total", "goals_met", "goals_partly", "goals_not_assessable")}
    assert counts == {"goals_total": 13, "goals_met": 10, "goals_partly": 2, "goals_not_assessable": 1}


def test_staff_imports_cover_four_years(built):
    years = sorted(Employment.objects.values_list("staff_import__year", flat=True).distinct())
    assert years == [2020, 2021, 2022, 2023]
    assert Employment.objects.filter(staff_import__year=2023).count() == 28


def test_every_goal_has_an_assessment_with_a_comment(built):
    assert all(a.comment for a in Assessment.objects.filter(year=2023))
