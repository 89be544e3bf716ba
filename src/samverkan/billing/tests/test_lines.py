"""Invoice lines are built in one place: the Python builders and the SQL twin agree with the domain."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from samverkan.billing import lines
from samverkan.billing.models import SourceType
from samverkan.domain.invoice_math import line_net

D = Decimal


def test_amount_line_is_one_unit_and_keeps_the_sign():
    common = {"source_type": SourceType.ALLOCATION, "source_id": 1, "member_id": 1, "description": "Avgift"}
    up = lines.amount_line(amount=D("1250.50"), source_key="a", vat="O", revenue_account="3600", **common)
    down = lines.amount_line(amount=D("-35000.00"), source_key="b", vat="O", revenue_account="3600", **common)
    assert (up.quantity, up.unit_price, up.net) == (D(1), D("1250.50"), D("1250.50"))
    assert (down.quantity, down.unit_price, down.net) == (D(-1), D("35000.00"), D("-35000.00"))


def test_insert_select_needs_every_column_of_the_model():
    with pytest.raises(ValueError, match="order_number"):
        lines.insert_select({"run_id": "%s"}, "FROM nowhere")


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", ["1", "2.5", "0.0001", "3.3333", "7.5", "1234.5678"])
@pytest.mark.parametrize("price", ["0.01", "199.00", "33.35", "1200.00", "99999.99"])
def test_sql_net_equals_line_net(quantity, price):
    ore = int(D(price) * 100)
    with connection.cursor() as cursor:
        sql = f"SELECT {lines.net_sql('q', 'p')} FROM (SELECT %s AS q, %s AS p) t"  # noqa: S608
        cursor.execute(sql, [D(quantity), ore])
        net_ore = cursor.fetchone()[0]
    assert D(net_ore) / 100 == line_net(D(quantity), D(price))
