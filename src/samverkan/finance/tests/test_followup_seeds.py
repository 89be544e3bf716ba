"""Printed figures as the seeds print them (each figure rounded on its own), and a ledger
without vouchers (#PSALDO only)."""

from datetime import date
from decimal import Decimal

from samverkan.domain.report_table import printed
from samverkan.finance.models import (
    Appropriation,
    Balance,
    BalanceKind,
    DimensionObject,
    FinanceSettings,
    FiscalYear,
    Forecast,
    InvestmentProject,
)
from samverkan.finance.usecases.followup import followup_report

from .test_followup_usecase import _budget, _year

D = Decimal


def _printed_rows(report):
    unit = report.table.unit
    return {row.label: tuple(None if v is None else printed(v, unit) for v in row.values) for row in report.table.rows}


def test_seed_002_deviation_is_rounded_from_kronor(world):
    """81141 IT: budget 698, outcome 1 968, deviation −1 269 (not 698 − 1 968 = −1 270)."""
    DimensionObject.objects.create(federation=world.federation, dimension=1, code="81141", name="IT")
    _year(world, 2023, [("81141", "3010", 6, -1_967_600, "", "")])
    _budget(world, 2023, "Budget 2023", [("81141", "3010", 1, -698_450)])
    report = followup_report(user=world.users["board"], federation=world.federation, kind="operating", year=2023)
    assert _printed_rows(report)["81141 IT"][:3] == (D(698), D(1968), D(-1269))
    # no ledger for 2022 and no #PSALDO −1 in the file: the previous year is empty, and said so
    assert _printed_rows(report)["81141 IT"][3:] == (D(0), D(0), D(0))
    assert any("Huvudboken för 2022 är inte importerad" in note for note in report.table.notes)


def test_seed_004_t1_in_mkr(world):
    """GSN, January–April 2023 (mkr, favourable deviation positive, income and costs only)."""
    fed = world.federation
    FinanceSettings.objects.create(
        federation=fed, deviation_convention="outcome_minus_budget", line_grouping="gross", print_unit="mkr"
    )
    DimensionObject.objects.create(federation=fed, dimension=1, code="GSN", name="IT-verksamheten")
    _year(
        world,
        2023,
        [
            ("GSN", "3010", 2, -21_200_000, "", ""),
            ("GSN", "4010", 3, 21_500_000, "", ""),
            ("", "1220", 3, 800_000, "IT", ""),
        ],
    )
    _budget(
        world,
        2023,
        "Budget 2023",
        [("GSN", "3010", m, -5_100_000 if m <= 4 else -6_712_500) for m in range(1, 13)]
        + [("GSN", "4010", m, 6_175_000) for m in range(1, 13)],
    )
    for line, amount in (("income", 74_100_000), ("other_costs", -74_100_000)):
        Forecast.objects.create(
            federation=fed,
            year=2023,
            as_of_month=4,
            activity="GSN",
            line=line,
            amount=D(amount),
            updated_by=world.users["economist"],
        )
    report = followup_report(user=world.users["economist"], federation=fed, kind="followup", year=2023, period="T1")
    rows = _printed_rows(report)
    assert rows["Intäkter"] == (D("20.4"), D("21.2"), D("0.8"), D("74.1"), D("74.1"), D("0.0"))
    assert rows["Kostnader"] == (D("-24.7"), D("-21.5"), D("3.2"), D("-74.1"), D("-74.1"), D("0.0"))
    assert rows["GSN IT-verksamheten"] == (D("-4.3"), D("-0.3"), D("4.0"), D("0.0"), D("0.0"), D("0.0"))

    project = InvestmentProject.objects.create(federation=fed, code="IT", name="IT-investeringar")
    Appropriation.objects.create(
        project=project, year=2023, budget=D(6_900_000), carried_over=D(6_100_000), forecast=D(7_800_000)
    )
    report = followup_report(user=world.users["economist"], federation=fed, kind="investments", year=2023, period="T1")
    assert _printed_rows(report)["IT-investeringar"] == (
        D("6.9"),
        D("0.0"),
        D("6.1"),
        D("13.0"),
        D("0.8"),
        D("-12.2"),
        D("7.8"),
        D("-5.2"),
    )


def test_ledger_without_vouchers_uses_period_balances(world):
    fed = world.federation
    fy = FiscalYear.objects.create(
        federation=fed,
        year=2023,
        start=date(2023, 1, 1),
        end=date(2023, 12, 31),
        sie_type="3",
        has_vouchers=False,
        source_name="saldon.se",
        source_sha256="0" * 64,
        imported_by=world.users["economist"],
    )
    for offset, period, activity, objects, amount in [
        (0, 202301, "", "", -100),  # the account's whole movement in January
        (0, 202301, "81141", "1:81141", -60),  # of which IT
        (0, 202301, "81141", "1:81141 6:P1", -60),  # the same split further: not counted again
        (0, 202305, "", "", -1000),  # outside T1
        (-1, 202201, "81141", "1:81141", -7),  # the year before, in this file
    ]:
        Balance.objects.create(
            fiscal_year=fy,
            kind=BalanceKind.PERIOD,
            year_offset=offset,
            period=period,
            account="3010",
            activity=activity,
            object_list=objects,
            amount=D(amount),
        )
    report = followup_report(user=world.users["admin"], federation=fed, kind="followup", year=2023, period="T1")
    outcome = {a["code"]: a["outcome"] for a in report.as_dict()["activities"]}
    assert outcome == {"81141": "60.00", "": "40.00"}
    report = followup_report(user=world.users["admin"], federation=fed, kind="operating", year=2023)
    it = next(row for row in report.table.rows if row.key == "81141")
    assert it.values[1] == D(60) and it.values[4] == D(7)
