"""Budget import from the XLSX template and from SIE #PBUDGET; export and round trip."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from samverkan.core.models import AuditEvent
from samverkan.finance.exporters import budget_xlsx as exporter
from samverkan.finance.importers.budget_xlsx import (
    MONTHS,
    BudgetFileError,
    read_budget,
    read_forecasts,
    spread_evenly,
)
from samverkan.finance.models import Budget, BudgetKind, BudgetLine, DimensionObject
from samverkan.finance.selectors.budgets import budget_for, budget_rows
from samverkan.finance.services import budgets as services

HEADER = ["Verksamhet", "Konto", "Benämning", "Helår", *MONTHS]


def workbook(rows, *, header=HEADER, title="Budget", extra_sheets=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for name, sheet_rows in extra_sheets:
        other = book.create_sheet(name)
        for row in sheet_rows:
            other.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def errors_of(data: bytes) -> list[str]:
    with pytest.raises(BudgetFileError) as caught:
        read_budget(data)
    return caught.value.problems


# ---- the reader (no database) ----------------------------------------------------------------


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_even_spreading_sums_exactly_and_differs_by_at_most_one_ore(total):
    months = spread_evenly(total)
    assert len(months) == 12
    assert sum(months) == total
    assert max(months) - min(months) <= 1
    assert spread_evenly(-total) == tuple(-m for m in months)  # a refund mirrors the charge


def test_spreading_gives_the_extra_ore_to_the_first_months():
    assert spread_evenly(100_000) == (8334,) * 4 + (8333,) * 8  # 1 000,00 kr
    assert spread_evenly(-13) == (-2,) + (-1,) * 11


def test_year_only_row_is_spread_and_months_row_is_used():
    data = workbook(
        [
            ["81141", 3010, "Försäljning", 1200],
            ["81141", "5010", "Löner", None, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100],
            ["81143", "4010", "", "-1 000,50"],
        ]
    )
    sheet = read_budget(data)
    assert [(r.row, r.activity, r.account) for r in sheet.rows] == [
        (2, "81141", "3010"),
        (3, "81141", "5010"),
        (4, "81143", "4010"),
    ]
    assert sheet.rows[0].months == (10000,) * 12
    assert sheet.rows[1].months == (-10000,) * 12
    assert sum(sheet.rows[2].months) == -100050
    assert sheet.without_amount == []


def test_year_and_months_must_agree():
    good = workbook([["1", "3010", "", 24, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]])
    assert read_budget(good).rows[0].months == (200,) * 12
    bad = workbook([["1", "3010", "", 25, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]])
    [problem] = errors_of(bad)
    assert problem.startswith("Rad 2, kolumn Helår: helåret (25,00) är inte summan av månaderna (24,00)")


def test_a_blank_month_is_zero_when_other_months_are_given():
    data = workbook([["1", "3010", "", None, 5]])
    assert read_budget(data).rows[0].months == (500,) + (0,) * 11


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["1", None, "", 100], "Rad 2, kolumn Konto: kontot saknas."),
        (["1", "30A1", "", 100], "Rad 2, kolumn Konto: «30A1» är inget kontonummer"),
        (["1", "3010", "", "abc"], "Rad 2, kolumn Helår: «abc» är inte ett tal."),
        (["1", "3010", "", "1,234"], "Rad 2, kolumn Helår: «1,234» högst 2 decimaler."),
        (["1", "3010", "", None, "1e5"], "Rad 2, kolumn Jan: «1e5» får inte skrivas med exponent (e)."),
        (["1", "3010", "", 10**14], "Rad 2, kolumn Helår: «100000000000000» högst 13 siffror."),
        (["x" * 41, "3010", "", 100], "Rad 2, kolumn Verksamhet: högst 40 tecken."),
        (["1", "3010", "", True], "Rad 2, kolumn Helår: «True» är inte ett tal."),
    ],
)
def test_bad_cells_name_row_column_and_reason(row, expected):
    problems = errors_of(workbook([row]))
    assert problems[0].startswith(expected), problems


def test_every_bad_row_is_reported_not_only_the_first():
    data = workbook([["1", "x", "", 1], ["1", "3010", "", 1], ["1", "3020", "", "y"], ["1", "3010", "", 2]])
    problems = errors_of(data)
    assert [p.split(":")[0] for p in problems] == ["Rad 2, kolumn Konto", "Rad 4, kolumn Helår", "Rad 5, kolumn Konto"]
    assert "finns redan på rad 3" in problems[2]


def test_header_problems():
    assert errors_of(workbook([["1", 1]], header=["Verksamhet", "Belopp"]))[0] == "Rad 1: kolumnen «Konto» saknas."
    assert "Helår" in errors_of(workbook([["1", "3010"]], header=["Verksamhet", "Konto"]))[0]
    assert (
        "två gånger" in errors_of(workbook([["1", "3010", 1, 1]], header=["Verksamhet", "Konto", "Helår", "helår"]))[0]
    )


def test_files_that_are_not_a_budget_workbook():
    assert errors_of(b"")[0] == "Filen är tom."
    assert "ingen XLSX" in errors_of(b"konto;belopp\n3010;1\n")[0]
    assert "större än" in errors_of(b"PK" + b"x" * (5 * 1024 * 1024))[0]
    two = workbook([], title="Annat", extra_sheets=[("Mer", [["x"]])])
    assert errors_of(two) == ["Bladet «Budget» saknas i arbetsboken."]


def test_rows_without_amount_are_counted_not_hidden():
    sheet = read_budget(workbook([["1", "3010", "Försäljning"], ["1", "4010", "", 0]]))
    assert sheet.without_amount == [2]
    assert [r.months for r in sheet.rows] == [(0,) * 12, (0,) * 12]


def test_row_limit(monkeypatch):
    from samverkan.finance.importers import budget_xlsx

    monkeypatch.setattr(budget_xlsx, "MAX_ROWS", 3)
    data = workbook([["1", str(3000 + i), "", 1] for i in range(5)])
    assert "fler än 3 rader" in errors_of(data)[0]


def test_forecast_sheet():
    data = workbook(
        [],
        extra_sheets=[
            (
                "Prognos",
                [
                    ["Verksamhet", "Rad", "Prognos helår", "Kommentar"],
                    ["81141", "", 250_000, "Lägre licenskostnader"],
                    ["81141", "Personalkostnader", "-1 200 000", ""],
                    ["81143", "Okänd", 1, ""],
                    [None, "", 1, ""],
                    ["81141", "", 2, ""],
                ],
            )
        ],
    )
    with pytest.raises(BudgetFileError) as caught:
        read_forecasts(data)
    problems = caught.value.problems
    assert problems[0].startswith("Rad 4, kolumn Rad: «okänd» är ingen rad")
    assert problems[1] == "Rad 5, kolumn Verksamhet: verksamheten saknas."
    assert problems[2] == "Rad 6, kolumn Verksamhet: samma verksamhet och rad finns på rad 2."
    assert len(problems) == 3
    good = workbook([], extra_sheets=[("Prognos", [["Verksamhet", "Prognos helår"], [81141, "-10,50"]])])
    [row] = read_forecasts(good)
    assert (row.activity, row.line, row.amount) == ("81141", "", Decimal("-10.50"))
    with pytest.raises(BudgetFileError, match="Bladet «Prognos» saknas"):
        read_forecasts(workbook([]))


# ---- the services ----------------------------------------------------------------------------


@pytest.fixture
def activities(world):
    for code, name in (("81141", "IT"), ("81143", "Kundtjänst")):
        DimensionObject.objects.create(federation=world.federation, dimension=1, code=code, name=name)


def _import(world, rows, *, role="economist", name="Budget", kind=BudgetKind.ADOPTED, year=2024):
    return services.budget_import_xlsx(
        acting_user=world.users[role],
        federation=world.federation,
        year=year,
        name=name,
        kind=kind,
        data=workbook(rows),
        source_name="budget.xlsx",
    )


def test_import_stores_ledger_sign_per_month(world, activities):
    budget = _import(
        world, [["81141", "3010", "", 12_000], ["81141", "5010", "", -1_200], ["81143", "4010", "", -0.12]]
    )
    lines = BudgetLine.objects.filter(budget=budget)
    income = {line.month: line.amount for line in lines.filter(account="3010")}
    assert income == {m: Decimal("-1000.00") for m in range(1, 13)}  # income is a credit
    assert sum(line.amount for line in lines.filter(account="5010")) == Decimal("1200.00")
    small = [line.amount for line in lines.filter(account="4010").order_by("month")]
    assert small == [Decimal("0.01")] * 12  # 12 öre spread: no zero months stored either
    assert budget.rows_imported == 3
    assert AuditEvent.objects.filter(object_type="finance.Budget", object_id=str(budget.pk)).exists()
    [row, *_rest] = budget_rows(budget)
    assert row.activity == "81141" and row.year_total == Decimal("-12000.00")


def test_import_replaces_the_version_of_that_name_atomically(world, activities):
    first = _import(world, [["81141", "3010", "", 12_000]])
    second = _import(world, [["81141", "3020", "", 24_000]])
    assert second.pk == first.pk
    assert set(BudgetLine.objects.filter(budget=second).values_list("account", flat=True)) == {"3020"}
    with pytest.raises(ValidationError):
        _import(world, [["81141", "3030", "", 1], ["81141", "30x", "", 1]])
    assert set(BudgetLine.objects.filter(budget=second).values_list("account", flat=True)) == {"3020"}
    assert AuditEvent.objects.filter(object_type="finance.Budget", action="import").count() == 1


def test_import_refuses_unmapped_balance_and_unknown_activity_rows(world, activities):
    with pytest.raises(ValidationError) as caught:
        _import(world, [["81141", "1910", "", 1], ["99999", "3010", "", 1], ["81141", "3010", "", 1]])
    assert caught.value.messages == [
        "Rad 2, kolumn Konto: kontot 1910 hör inte till resultaträkningen; budgeten gäller intäkter och kostnader.",
        "Rad 3, kolumn Verksamhet: verksamheten 99999 finns inte i huvudboken.",
    ]
    assert not Budget.objects.exists()


def test_import_roles_and_arguments(world):
    for role in ("board", "member_contact", "orderer", "agent"):
        with pytest.raises(PermissionDenied):
            _import(world, [["", "3010", "", 1]], role=role)
    with pytest.raises(PermissionDenied):
        services.budget_import_xlsx(
            acting_user=world.outsider, federation=world.federation, year=2024, name="B", kind="adopted", data=b""
        )
    with pytest.raises(ValidationError):
        _import(world, [["", "3010", "", 1]], name=" ")
    with pytest.raises(ValidationError):
        _import(world, [["", "3010", "", 1]], kind="draft")


def test_round_trip_through_the_exported_template(world, activities):
    budget = _import(
        world,
        [
            ["81141", "3010", "", 1000.01],
            ["81143", "5010", "", None, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12.5],
            ["", "8410", "", 7],
        ],
    )
    rows = budget_rows(budget)
    exported = exporter.render(
        rows=[exporter.TemplateRow(r.activity, r.account, "", [-m for m in r.months]) for r in rows]
    )
    again = services.budget_import_xlsx(
        acting_user=world.users["admin"],
        federation=world.federation,
        year=2024,
        name="Kopia",
        kind="revised",
        data=exported,
    )
    assert budget_rows(again) == rows
    sheet = load_workbook(io.BytesIO(exported))["Budget"]
    assert [c.value for c in sheet[1]][:4] == ["Verksamhet", "Konto", "Benämning", "Helår"]


def test_empty_template_lists_activities_and_accounts_and_imports_as_zero(world, activities):
    rows = exporter.empty_rows({"81141": "IT", "81143": "Kundtjänst"}, [("3010", "Försäljning"), ("5010", "Löner")])
    data = exporter.render(rows=rows)
    sheet = read_budget(data)
    assert [(r.activity, r.account) for r in sheet.rows] == [
        ("81141", "3010"),
        ("81141", "5010"),
        ("81143", "3010"),
        ("81143", "5010"),
    ]
    assert sheet.without_amount == [2, 3, 4, 5]
    assert read_forecasts(data) == []


def test_budget_from_sie(world, activities):
    lines = [
        ("3010", "81141", 202401, -500_000),
        ("3010", "81141", 202401, -100),  # the same account, activity and month add up
        ("5010", "81143", 202412, 250_000),
        ("1930", "", 202402, 0),
    ]
    budget = services.budget_from_sie(
        acting_user=world.users["economist"], federation=world.federation, year=2024, lines=lines, source_name="x.se"
    )
    assert (budget.name, budget.kind) == ("Budget enligt SIE-fil", BudgetKind.ADOPTED)
    stored = sorted(BudgetLine.objects.filter(budget=budget).values_list("account", "activity", "month", "amount"))
    assert stored == [("3010", "81141", 1, Decimal("-5001.00")), ("5010", "81143", 12, Decimal("2500.00"))]
    assert budget_for(world.federation, 2024) == budget
    with pytest.raises(ValidationError, match="202413"):
        services.budget_from_sie(
            acting_user=world.users["economist"],
            federation=world.federation,
            year=2024,
            lines=[("3010", "", 202413, 1)],
            source_name="x.se",
        )


def test_budget_for_picks_named_then_newest_adopted_then_newest(world, activities):
    assert budget_for(world.federation, 2024) is None
    revised = _import(world, [["81141", "3010", "", 1]], name="Rev", kind=BudgetKind.REVISED)
    assert budget_for(world.federation, 2024) == revised
    adopted = _import(world, [["81141", "3010", "", 1]], name="Fastställd")
    assert budget_for(world.federation, 2024) == adopted
    assert budget_for(world.federation, 2024, "Rev") == revised
    assert budget_for(world.federation, 2024, "Saknas") is None
    assert budget_for(world.federation, 2023) is None


def test_copy_and_delete(world, activities):
    adopted = _import(world, [["81141", "3010", "", 12]])
    copy = services.budget_copy(acting_user=world.users["admin"], budget=adopted, name="Reviderad")
    assert copy.kind == BudgetKind.REVISED and budget_rows(copy) == budget_rows(adopted)
    with pytest.raises(ValidationError, match="finns redan"):
        services.budget_copy(acting_user=world.users["admin"], budget=adopted, name="Reviderad")
    with pytest.raises(PermissionDenied):
        services.budget_delete(acting_user=world.users["board"], budget=copy)
    services.budget_delete(acting_user=world.users["economist"], budget=copy)
    assert list(Budget.objects.all()) == [adopted]
    assert AuditEvent.objects.filter(object_type="finance.Budget", action="delete").count() == 1
