"""The follow-up, operating statement and investment report from a hand-built ledger with known
figures (see `make_books`)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.domain.errors import DomainError
from samverkan.domain.followup import UnmappedAccountsError
from samverkan.finance.models import (
    Appropriation,
    Budget,
    BudgetKind,
    BudgetLine,
    DimensionObject,
    FinanceSettings,
    FiscalYear,
    Forecast,
    InvestmentProject,
    Transaction,
    Voucher,
)
from samverkan.finance.usecases.followup import followup_report
from samverkan.finance.usecases.statements import NoLedgerError

D = Decimal

# (activity, account, month, ledger amount, project, kind) of 2023
LEDGER_2023 = [
    ("81141", "3010", 1, -100_000, "", ""),
    ("81141", "3010", 5, -50_000, "", ""),
    ("81141", "3010", 1, -999_999, "", "removed"),  # #BTRANS: never counted
    ("81141", "5010", 2, 40_000, "", ""),
    ("81141", "5010", 6, 10_000, "", ""),
    ("81141", "4010", 3, 5_000, "", ""),
    ("81141", "8510", 4, 1_000, "", ""),  # financial costs → other costs
    ("81141", "7810", 12, 20_000, "", ""),
    ("81143", "3010", 4, -30_000, "", ""),
    ("81143", "8010", 1, -2_000, "", ""),  # member fees → income
    ("", "6110", 2, 700, "", ""),  # no activity → "Ej fördelat"
    ("81141", "8910", 12, 0, "", ""),  # closing entry
    ("", "1220", 3, 80_000, "P1", ""),  # purchase on project P1
    ("", "1220", 10, -3_000, "P1", ""),  # disposal: not a purchase
    ("", "1220", 9, 5_000, "", ""),  # purchase without project
    ("", "1229", 12, 4_000, "P1", ""),  # accumulated depreciation: not a purchase
]


def _year(world, year: int, rows) -> FiscalYear:
    fy = FiscalYear.objects.create(
        federation=world.federation,
        year=year,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        sie_type="4E",
        has_vouchers=True,
        source_name=f"bok{year}.se",
        source_sha256="0" * 64,
        imported_by=world.users["economist"],
    )
    for n, (activity, account, month, amount, project, kind) in enumerate(rows, start=1):
        day = date(year, month, 15)
        voucher = Voucher.objects.create(fiscal_year=fy, series="A", number=str(n), date=day, line=n)
        for acc, act, amt in ((account, activity, amount), ("1930", "", -amount)):
            Transaction.objects.create(
                fiscal_year=fy,
                voucher=voucher,
                kind=kind,
                account=acc,
                activity=act,
                project=project if acc == account else "",
                period=year * 100 + month,
                date=day,
                amount=D(amt),
                line=n,
            )
    return fy


def _budget(world, year: int, name: str, lines, kind=BudgetKind.ADOPTED) -> Budget:
    budget = Budget.objects.create(
        federation=world.federation, year=year, name=name, kind=kind, created_by=world.users["economist"]
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(budget=budget, activity=a, account=acc, month=m, amount=D(amt)) for a, acc, m, amt in lines
    )
    return budget


def make_books(world) -> None:
    """2023 and 2022 ledgers, budgets, forecasts, a project with an appropriation."""
    fed = world.federation
    DimensionObject.objects.create(federation=fed, dimension=1, code="81141", name="IT")
    DimensionObject.objects.create(federation=fed, dimension=1, code="81143", name="Kundtjänst")
    DimensionObject.objects.create(federation=fed, dimension=1, code="81199", name="Vilande")  # no figures
    _year(world, 2023, LEDGER_2023)
    _year(world, 2022, [("81141", "3010", 6, -90_000, "", "")])
    _budget(
        world,
        2023,
        "Budget 2023",
        [("81141", "3010", m, -12_000) for m in range(1, 13)]
        + [("81141", "5010", m, 4_000) for m in range(1, 13)]
        + [("81143", "3010", 4, -25_000)],
    )
    _budget(world, 2023, "Reviderad", [("81141", "3010", 1, -1_000)], kind=BudgetKind.REVISED)
    _budget(world, 2022, "Budget 2022", [("81141", "3010", 1, -80_000)])
    who = world.users["economist"]
    for activity, line, month, amount in [
        ("81141", "income", 4, 150_000),
        ("81141", "staff_costs", 4, -50_000),
        ("81143", "", 4, 28_000),
        ("81141", "", 8, 95_000),
    ]:
        Forecast.objects.create(
            federation=fed, year=2023, as_of_month=month, activity=activity, line=line, amount=D(amount), updated_by=who
        )
    p1 = InvestmentProject.objects.create(federation=fed, code="P1", name="IT-utrustning")
    InvestmentProject.objects.create(federation=fed, code="P2", name="Fordon")
    Appropriation.objects.create(project=p1, year=2023, budget=D(69_000), carried_over=D(61_000), forecast=D(78_000))


@pytest.fixture
def books(world):
    make_books(world)
    return world


def _report(world, kind="followup", period="Y", role="economist", **kwargs):
    return followup_report(
        user=world.users[role], federation=world.federation, kind=kind, year=2023, period=period, **kwargs
    )


def _by_code(report):
    return {a["code"]: a for a in report.as_dict()["activities"]}


def _lines(activity):
    return {line["key"]: (line["budget"], line["outcome"], line["deviation"]) for line in activity["lines"]}


def test_followup_t1_every_line(books):
    report = _report(books, period="T1")
    data = report.as_dict()
    assert data["year"] == 2023 and data["period"] == "T1"
    assert [a["code"] for a in data["activities"]] == ["81141", "81143", ""]
    it = _by_code(report)["81141"]
    assert it["name"] == "IT"
    assert _lines(it) == {
        "income": ("48000.00", "100000.00", "-52000.00"),
        "staff_costs": ("-16000.00", "-40000.00", "24000.00"),
        "other_costs": ("0.00", "-6000.00", "6000.00"),
        "depreciation": ("0.00", "0.00", "0.00"),
    }
    assert (it["budget"], it["outcome"], it["deviation"], it["forecast"]) == (
        "32000.00",
        "54000.00",
        "-22000.00",
        "100000.00",
    )
    kt = _by_code(report)["81143"]
    assert (kt["budget"], kt["outcome"], kt["forecast"]) == ("25000.00", "32000.00", "28000.00")
    unassigned = _by_code(report)[""]
    assert unassigned["name"] == "Ej fördelat" and unassigned["outcome"] == "-700.00" and unassigned["forecast"] is None
    assert data["total"] == {"budget": "57000.00", "outcome": "85300.00", "deviation": "-28300.00"}


def test_followup_table_labels_columns_and_forecast_columns(books):
    table = _report(books, period="T1").table
    assert table.columns == (
        "Budget jan–apr 2023",
        "Utfall jan–apr 2023",
        "Avvikelse",
        "Budget helår 2023",
        "Prognos helår 2023",
        "Prognosens avvikelse",
    )
    rows = {row.label: row for row in table.rows if row.level}
    assert list(rows) == ["81141 IT", "81143 Kundtjänst", "Ej fördelat", "TOTALT"]
    # year budget 96 000, forecast 100 000 (per line: 150 000 − 50 000), budget − forecast = −4 000
    assert rows["81141 IT"].values[3:] == (D(96_000), D(100_000), D(-4_000))
    assert rows["TOTALT"].level == 2
    detail = [row.label for row in table.rows if row.key.startswith("81141:")]
    assert detail == ["Intäkter", "Personalkostnader", "Övriga kostnader"]  # the all-zero line is not printed
    line_forecast = next(row for row in table.rows if row.key == "81141:income")
    assert line_forecast.values[3:] == (D(144_000), D(150_000), D(-6_000))
    assert "Avvikelse = budget − utfall." in table.notes
    assert any("Prognos saknas för Ej fördelat" in note for note in table.notes)


def test_periods_t2_year_and_month_range(books):
    t2 = _by_code(_report(books, period="T2"))["81141"]
    assert t2["outcome"] == "94000.00"  # 150 000 − 50 000 − 6 000, without December's depreciation
    assert t2["forecast"] == "95000.00"  # the T2 forecast (net only)
    year = _by_code(_report(books, period="Y"))["81141"]
    assert year["outcome"] == "74000.00" and year["budget"] == "96000.00"
    months = _report(books, period="2023-02..2023-03")
    it = _by_code(months)["81141"]
    assert _lines(it)["staff_costs"] == ("-8000.00", "-40000.00", "32000.00")
    assert it["forecast"] is None  # no forecast made by March
    assert months.as_dict()["period"] == "2023-02..2023-03"


def test_convention_outcome_minus_budget_and_gross_lines(books):
    FinanceSettings.objects.create(
        federation=books.federation,
        deviation_convention="outcome_minus_budget",
        line_grouping="gross",
        print_unit="mkr",
    )
    report = _report(books, period="T1")
    it = _by_code(report)["81141"]
    assert _lines(it) == {
        "income": ("48000.00", "100000.00", "52000.00"),
        "costs": ("-16000.00", "-46000.00", "-30000.00"),
    }
    assert it["deviation"] == "22000.00"
    assert report.table.unit == "mkr"
    assert "Avvikelse = utfall − budget; en positiv avvikelse är gynnsam." in report.table.notes
    it_row = next(row for row in report.table.rows if row.key == "81141")
    assert it_row.values[5] == D(4_000)  # forecast − year budget


def test_operating_statement_previous_year_beside(books):
    report = _report(books, kind="operating")
    assert report.table.columns == (
        "Budget 2023",
        "Utfall 2023",
        "Avvikelse",
        "Budget 2022",
        "Utfall 2022",
        "Avvikelse",
    )
    it = next(row for row in report.table.rows if row.key == "81141")
    assert it.values == (D(96_000), D(74_000), D(22_000), D(80_000), D(90_000), D(-10_000))
    assert _by_code(report)["81141"]["forecast"] is None  # forecasts belong to the follow-up


def test_named_budget_version_and_unknown_name(books):
    it = _by_code(_report(books, budget="Reviderad"))["81141"]
    assert it["budget"] == "1000.00"
    with pytest.raises(ValidationError, match="Budgeten 'Saknas' finns inte för 2023"):
        _report(books, budget="Saknas")


def test_unmapped_result_account_refuses(books):
    fy = FiscalYear.objects.get(federation=books.federation, year=2023)
    voucher = fy.vouchers.first()
    Transaction.objects.create(
        fiscal_year=fy, voucher=voucher, account="8610", period=202302, date=date(2023, 2, 1), amount=D(5), line=1
    )
    with pytest.raises(UnmappedAccountsError, match="8610"):
        _report(books)


def test_investments_report(books):
    report = _report(books, kind="investments", period="T1")
    data = report.as_dict()
    p1, p2 = data["projects"]
    assert p1 == {
        "code": "P1",
        "name": "IT-utrustning",
        "budget": "69000.00",
        "extra_granted": "0.00",
        "carried_over": "61000.00",
        "appropriation": "130000.00",
        "outcome": "80000.00",
        "deviation": "50000.00",
        "forecast": "78000.00",
        "forecast_deviation": "52000.00",
    }
    assert p2["name"] == "Fordon" and p2["appropriation"] == "0.00" and p2["outcome"] == "0.00"
    year = _report(books, kind="investments").as_dict()
    assert year["projects"][-1]["name"] == "Ej angivet projekt" and year["projects"][-1]["outcome"] == "5000.00"
    assert year["total"]["outcome"] == "85000.00"
    assert report.table.rows[-1].label == "TOTALT"


def test_errors(books):
    with pytest.raises(DomainError, match="Okänd period"):
        _report(books, period="T9")
    with pytest.raises(ValidationError, match="Okänd rapport"):
        _report(books, kind="balance")
    with pytest.raises(NoLedgerError, match="ingen huvudbok importerad för 2021"):
        followup_report(user=books.users["admin"], federation=books.federation, kind="followup", year=2021)
    with pytest.raises(PermissionDenied):
        _report(books, role="member_contact")
    with pytest.raises(PermissionDenied):
        followup_report(user=books.outsider, federation=books.federation, kind="followup", year=2023)


def test_board_reads(books):
    assert _report(books, role="board").as_dict()["total"]["outcome"] == "105300.00"
