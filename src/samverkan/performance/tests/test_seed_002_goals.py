"""Seed 002's goal table for 2023 from the demo: 13 goals, their assessments and the indicator
values, the bound ones computed from the other modules' demo data, the rest entered by hand.

The telephony demo (112 076 generated calls) is slow, so the fast tests build without it and
the service-level figures are checked in the slow test."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest

from samverkan.performance import demo
from samverkan.performance.models import Fulfilment, Goal, Indicator, IndicatorSource
from samverkan.performance.selectors.goals import goal_table, summary, summary_text
from samverkan.performance.selectors.indicators import indicator_value

D = Decimal
DATA = json.loads((demo.DATA / demo.GOALS_FILE).read_text(encoding="utf-8"))


def _build(modules):
    from importlib import import_module

    for module in modules:
        import_module(f"samverkan.{module}.demo").build(StringIO())


@pytest.fixture(scope="module")
def _demo_db(django_db_setup, django_db_blocker):
    """The demo built once for the module inside a transaction rolled back at its end (each
    test runs in a savepoint within it)."""
    from django.db import transaction
    from django.test import override_settings

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        _build(["members", "finance", "governance", "performance"])
        yield
        transaction.set_rollback(True)


@pytest.fixture
def lystkom(_demo_db, db):
    from samverkan.members.models import Federation

    return Federation.objects.get(slug="lystkom")


def _indicator(name) -> Indicator:
    return Indicator.objects.get(name=name, goal__area__federation__slug="lystkom")


def _board():
    from samverkan.core.models import User

    return User.objects.get(username="ledamot")


def test_thirteen_goals_in_five_areas_with_the_seeds_assessments(lystkom):
    blocks = goal_table(_board(), year=2023, federation=lystkom)
    assert [b.area.name for b in blocks] == [
        "Uppdrag",
        "Samverkan och hållbarhet",
        "Personal och kompetens",
        "Miljö",
        "Finansiellt",
    ]
    assert [len(b.goals) for b in blocks] == [2, 3, 4, 2, 2]
    expected = [g["fulfilment"] for a in DATA["areas"] for g in a["goals"]]
    assert [g.assessment.fulfilment for b in blocks for g in b.goals] == expected
    s = summary(blocks)
    assert (s.total, s.met, s.partly, s.not_met, s.not_assessable) == (13, 10, 2, 0, 1)
    assert summary_text(s) == "13 mål: 10 uppfyllda, 2 delvis, 1 kan inte bedömas"


def test_partly_met_and_not_assessable_goals_are_the_seeds(lystkom):
    partly = Goal.objects.filter(assessments__fulfilment=Fulfilment.PARTLY).order_by("position")
    assert [g.area.name for g in partly] == ["Uppdrag", "Uppdrag"]
    not_assessable = Goal.objects.get(assessments__fulfilment=Fulfilment.NOT_ASSESSABLE)
    assert not_assessable.text.startswith("Arbetsplatserna ska vara jämställda")
    assert "saknas målvärde" in not_assessable.assessments.get().comment


def test_computed_indicators_reproduce_the_seed(lystkom):
    """Bound to other modules' data, not typed in: finance (3,1 %), staff (2,9 %), survey NKI."""
    surplus = _indicator("Årets överskott i procent av omsättningen")
    assert surplus.source == IndicatorSource.SURPLUS_RATIO
    assert indicator_value(surplus, 2023) == D("3.1")
    sick = _indicator("Total sjukfrånvaro i procent av arbetad tid")
    assert sick.source == IndicatorSource.SICK_LEAVE
    assert indicator_value(sick, 2023) == D("2.9")
    assert indicator_value(sick, 2022) == D("3.8")
    nki_kt = _indicator("NKI kundtjänst (kundundersökningen)")
    nki_it = _indicator("NKI IT (kundundersökningen)")
    assert nki_kt.source == nki_it.source == IndicatorSource.NKI_SURVEY
    assert (indicator_value(nki_kt, 2023), indicator_value(nki_kt, 2022)) == (D("7.5"), D("7.4"))
    assert (indicator_value(nki_it, 2023), indicator_value(nki_it, 2022)) == (D("6.6"), D("6.9"))


def test_met_flags_and_proposals(lystkom):
    rows = {
        r.indicator.name: r
        for b in goal_table(_board(), year=2023, federation=lystkom)
        for g in b.goals
        for r in g.indicators
    }
    assert rows["NKI kundtjänst (kundundersökningen)"].met is True  # 7,5 > 7,4
    assert rows["NKI IT (kundundersökningen)"].met is False  # 6,6 < 6,9
    assert rows["Årets överskott i procent av omsättningen"].met is True  # 3,1 ≥ 2
    assert rows["Total sjukfrånvaro i procent av arbetad tid"].met is True  # 2,9 < 4
    first_goal = Goal.objects.get(text__startswith="Medborgare, medarbetare")
    assert first_goal.assessments.get().proposed == Fulfilment.PARTLY


def test_manual_indicators_carry_the_seeds_value_and_a_source(lystkom):
    manual = {
        "NMI kundtjänst, första OSA-enkäten": D("90"),
        "NMI kundtjänst, andra OSA-enkäten": D("88.3"),
        "NMI IT, första OSA-enkäten": D("87.2"),
        "NMI IT, andra OSA-enkäten": D("86.8"),
        "Resultatets avvikelse mot budget (tkr)": D("564"),
        "Andel utrangerad utrustning som återvinns": D("100"),
        "Registrerade ärenden i IT servicedesk": D("8600"),
    }
    for name, value in manual.items():
        indicator = _indicator(name)
        assert indicator.source == IndicatorSource.MANUAL
        assert indicator_value(indicator, 2023) == value
        assert "seed 002" in indicator.manual_values.get(year=2023).source


def test_assessment_keeps_the_values_it_was_made_on(lystkom):
    goal = Goal.objects.get(text__startswith="Lystkom budgeterar")
    snapshot = goal.assessments.get(year=2023).values
    assert snapshot[0]["value"] == "3.1" and snapshot[0]["target"] == "2" and snapshot[0]["met"] is True


def test_nki_and_nmi_tables(lystkom):
    from samverkan.performance.selectors.survey import nki_table, nmi

    table = nki_table(_board(), lystkom, 2023)
    assert table["years"] == [2023, 2022, 2021]
    assert {r["area"]: r["values"] for r in table["rows"]} == {
        "Lystkom IT": [D("6.6"), D("6.9"), D("6.4")],
        "Lystkom kundtjänst": [D("7.5"), D("7.4"), D("7.3")],
    }
    assert sorted(r["value"] for r in nmi(_board(), lystkom, 2023)) == [D("86.8"), D("87.2"), D("88.3"), D("90.0")]
