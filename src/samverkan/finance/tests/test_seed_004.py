"""Seed 004 (GSN, first follow-up 2023, January–April, mkr): the operating follow-up and the
investments, figure by figure, from the demo's SIE file imported into an empty database."""

from __future__ import annotations

import pytest

from samverkan.domain.report_table import Unit
from samverkan.finance import demo
from samverkan.finance import demo_ledger as seed
from samverkan.finance.tests.seed_helpers import Figures, economist
from samverkan.finance.usecases.followup import followup_report
from samverkan.members import demo as members_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def gsn():
    federation = members_demo.build_gsn()
    demo.build_gsn(federation)
    return federation, economist(federation, "ekonom.gsn.test")


def _tenths(value: int) -> str:
    return f"{value / 10:.1f}"


def test_followup_t1(gsn):
    federation, user = gsn
    report = followup_report(user=user, federation=federation, kind="followup", year=2023, period="T1")
    table = report.table
    assert table.unit == Unit.MILLIONS
    f = Figures(Unit.MILLIONS)
    code = seed.GSN_ACTIVITIES["IT"][0]
    for line, key in (("income", f"{code}:income"), ("costs", f"{code}:costs"), ("net", code), ("net", "total")):
        values = f.row(table, key)
        (budget, outcome, deviation), (year, forecast, fc_dev) = seed.GSN_T1[line]
        for i, (column, expected) in enumerate(
            (
                ("budget jan–apr", budget),
                ("utfall jan–apr", outcome),
                ("avvikelse", deviation),
                ("budget helår", year),
                ("prognos helår", forecast),
                ("prognosens avvikelse", fc_dev),
            )
        ):
            f.check(f"{key} {column}", values[i], _tenths(expected))
    assert [r.key for r in table.rows] == [f"{code}:income", f"{code}:costs", code, "total"]
    assert "positiv avvikelse är gynnsam" in " ".join(table.notes)
    f.done()


def test_investments_t1(gsn):
    federation, user = gsn
    table = followup_report(user=user, federation=federation, kind="investments", year=2023, period="T1").table
    f = Figures(Unit.MILLIONS)
    total = f.row(table, "total")
    budget, extra, carried, appropriation, outcome, deviation, forecast, fc_dev = total
    expected = seed.GSN_INVESTMENTS
    f.check("årsbudget", budget, _tenths(expected["budget"]))
    f.check("extra beviljat + överfört", extra + carried, _tenths(expected["extra"]))
    f.check("totalt anslag", appropriation, _tenths(expected["total"]))
    f.check("utfall jan–apr", outcome, _tenths(expected["outcome"]))
    f.check("avvikelse mot anslaget", deviation, _tenths(expected["deviation"]))
    f.check("prognos", forecast, _tenths(expected["forecast"]))
    f.check("prognosens avvikelse", fc_dev, _tenths(expected["forecast_deviation"]))
    f.done()
