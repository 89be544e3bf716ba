"""For any generated ledger: the import stores every line once, per account the sums are the
file's, the year's closing balances sum to zero, and importing again replaces instead of adding."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.domain.sie import SieAccount, SieBalance, SieFile, SieTrans, SieVoucher, write_sie
from samverkan.finance.models import Transaction
from samverkan.finance.selectors import ledger as selectors
from samverkan.finance.services.ledger import import_sie

ACCOUNTS = ["1930", "2440", "3010", "4010", "5010", "6110", "8410"]
line = st.tuples(st.sampled_from(ACCOUNTS[2:]), st.integers(1, 10_000_000), st.sampled_from(["", "81141", "81143"]))
vouchers = st.lists(st.tuples(st.integers(0, 364), st.lists(line, min_size=1, max_size=4)), max_size=12)


def _file(generated, opening: int) -> bytes:
    rows = []
    for i, (day, lines) in enumerate(generated):
        trans = [SieTrans(a, ((1, obj),) if obj else (), amount) for a, amount, obj in lines]
        trans.append(SieTrans("1930", (), -sum(amount for _a, amount, _o in lines)))
        rows.append(SieVoucher("A", str(i + 1), date(2023, 1, 1) + timedelta(days=day), "", None, 0, tuple(trans)))
    return write_sie(
        SieFile(
            orgnr="2220000018",
            fiscal_years={0: (date(2023, 1, 1), date(2023, 12, 31))},
            accounts={a: SieAccount(a, f"Konto {a}") for a in ACCOUNTS},
            balances=[SieBalance("IB", 0, "1930", (), None, opening), SieBalance("IB", 0, "2440", (), None, -opening)],
            vouchers=rows,
        )
    )


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=vouchers, opening=st.integers(0, 10**9))
def test_any_ledger_imports_exactly(world, generated, opening):
    result = import_sie(
        acting_user=world.users["economist"],
        federation=world.federation,
        data=_file(generated, opening),
        source_name="p.se",
    )
    fy = result.fiscal_year
    expected: dict[str, int] = {}
    for _day, lines in generated:
        for account, amount, _obj in lines:
            expected[account] = expected.get(account, 0) + amount
            expected["1930"] = expected.get("1930", 0) - amount
    stored = dict(
        Transaction.objects.filter(fiscal_year=fy)
        .values("account")
        .annotate(s=Sum("amount"))
        .values_list("account", "s")
    )
    assert stored == {a: Decimal(v) / 100 for a, v in expected.items()}
    assert Transaction.objects.filter(fiscal_year=fy).count() == sum(len(lines) + 1 for _d, lines in generated)
    totals = selectors.account_totals(fy)
    assert sum((t.closing for t in totals.values()), Decimal(0)) == 0
    assert sum(selectors.class_totals(totals).values(), Decimal(0)) == 0
