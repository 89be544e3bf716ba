"""The demo's finance files: generated, not typed; committed byte for byte as the generator
writes them; imported by `samverkan demo` with everything the reports need."""

from __future__ import annotations

from io import StringIO

import pytest

from samverkan.core.models import User
from samverkan.domain.sie import parse_sie
from samverkan.finance import demo, demo_ledger
from samverkan.finance.models import Appropriation, Budget, DeviationConvention, FiscalYear, Forecast
from samverkan.finance.selectors.mapping import finance_settings
from samverkan.finance.usecases.followup import followup_report
from samverkan.finance.usecases.statements import statement_report
from samverkan.members import demo as members_demo


def test_generator_reproduces_the_committed_files():
    for name, data in demo_ledger.generate().items():
        assert (demo_ledger.DATA / name).read_bytes() == data, (
            f"{name} differs: run python -m samverkan.finance.demo_ledger"
        )


def test_files_name_the_demo_federations():
    assert members_demo.demo_orgnr("222000", "2481") == demo_ledger.LYSTKOM_ORGNR
    assert members_demo.demo_orgnr("212000", "2085") == demo_ledger.GSN_ORGNR


@pytest.mark.parametrize("name", ["lystkom_2022.se", "lystkom_2023.se", "gsn_2023.se"])
def test_files_are_sie_4e_with_vouchers_objects_and_budgets(name):
    sie = parse_sie((demo_ledger.DATA / name).read_bytes())
    assert sie.sie_type == "4" and sie.vouchers and sie.budgets
    assert all(sum(t.amount_ore for t in v.transactions) == 0 for v in sie.vouchers)
    activities = {dict(t.objects).get(1) for v in sie.vouchers for t in v.transactions} - {None}
    expected = demo_ledger.ACTIVITIES if name.startswith("lystkom") else demo_ledger.GSN_ACTIVITIES
    assert activities == {code for code, _name in expected.values()}
    # Kronor and öre, not round thousands.
    assert sum(1 for v in sie.vouchers for t in v.transactions if t.amount_ore % 100_000) > len(sie.vouchers)


@pytest.mark.django_db
def test_demo_builds_after_members():
    members_demo.build(StringIO())
    out = StringIO()
    demo.build(out)
    assert "ekonomi" in out.getvalue()
    assert sorted(FiscalYear.objects.values_list("federation__slug", "year")) == [
        ("gsn", 2023),
        ("lystkom", 2022),
        ("lystkom", 2023),
    ]
    assert Budget.objects.filter(federation__slug="lystkom").count() == 2
    assert Forecast.objects.filter(federation__slug="gsn", year=2023, as_of_month=4).count() == 4
    assert Appropriation.objects.filter(project__federation__slug="lystkom", year=2023).count() == 5
    lystkom = FiscalYear.objects.get(federation__slug="lystkom", year=2023).federation
    assert finance_settings(lystkom).deviation_convention == DeviationConvention.BUDGET_MINUS_OUTCOME
    # The board member reads the annual report's statements and the follow-up.
    board = User.objects.get(username="ledamot")
    assert statement_report(user=board, federation=lystkom, kind="income", year=2023).table.warnings == ()
    assert followup_report(user=board, federation=lystkom, kind="operating", year=2023).table.rows
