"""MoneyField: integer öre in the database, exact Decimal kronor in Python, on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import ExpressionWrapper, F, Sum
from django.db.models.functions import Round
from django.test.utils import isolate_apps
from hypothesis import given
from hypothesis import strategies as st

from samverkan.core.fields import MoneyField, money


@pytest.fixture
def Entry(transactional_db):
    with isolate_apps("samverkan.core"):

        class Entry(models.Model):
            group = models.CharField(max_length=10, default="a")
            amount = MoneyField(null=True)

            class Meta:
                app_label = "core"
                db_table = "core_test_money_entry"

    with connection.schema_editor() as editor:
        editor.create_model(Entry)
    yield Entry
    with connection.schema_editor() as editor:
        editor.delete_model(Entry)


def test_column_is_an_integer_count_of_ore(Entry):
    entry = Entry.objects.create(amount=Decimal("1166000.50"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT amount FROM core_test_money_entry WHERE id = %s", [entry.pk])
        assert cursor.fetchone()[0] == 116600050
    assert Entry.objects.get(pk=entry.pk).amount == Decimal("1166000.50")


@pytest.mark.parametrize("value", ["0.01", "-0.01", "0", "12.3", "92233720368547758.07", "-470000"])
def test_exact_round_trip(Entry, value):
    entry = Entry.objects.create(amount=Decimal(value))
    stored = Entry.objects.get(pk=entry.pk).amount
    assert stored == Decimal(value) and isinstance(stored, Decimal)
    assert stored.as_tuple().exponent == -2  # always read back with two decimals


def test_swedish_strings_ints_and_none(Entry):
    assert Entry.objects.get(pk=Entry.objects.create(amount="1 166 000,50").pk).amount == Decimal("1166000.50")
    assert Entry.objects.get(pk=Entry.objects.create(amount=565122).pk).amount == Decimal("565122.00")
    assert Entry.objects.get(pk=Entry.objects.create(amount=None).pk).amount is None


@pytest.mark.parametrize("value", [Decimal("0.001"), Decimal("10.005"), "1,234", 0.1, "abc", "1.0,0"])
def test_refuses_fractions_of_ore_floats_and_garbage(Entry, value):
    with pytest.raises((ValidationError, TypeError)):
        Entry.objects.create(amount=value)
    assert Entry.objects.count() == 0


def test_full_clean_reports_bad_amounts(Entry):
    entry = Entry(amount="tio kronor")
    with pytest.raises(ValidationError) as info:
        entry.full_clean()
    assert "amount" in info.value.message_dict


def test_sum_and_expressions_stay_exact_decimals(Entry):
    # 0.1 + 0.2 is the classic float trap: stored as öre it is exact.
    Entry.objects.bulk_create(
        [
            Entry(group="a", amount=Decimal("0.10")),
            Entry(group="a", amount=Decimal("0.20")),
            Entry(group="b", amount=Decimal("1166000.00")),
        ]
    )
    total = Entry.objects.aggregate(total=Sum("amount"))["total"]
    assert total == Decimal("1166000.30") and isinstance(total, Decimal)
    by_group = dict(Entry.objects.values_list("group").annotate(s=Sum("amount")).order_by("group"))
    assert by_group == {"a": Decimal("0.30"), "b": Decimal("1166000.00")}
    assert all(isinstance(v, Decimal) for v in by_group.values())
    assert Entry.objects.filter(amount__gt=Decimal("0.15")).count() == 2
    Entry.objects.filter(group="a").update(amount=F("amount") + money("0,05"))
    assert sorted(Entry.objects.filter(group="a").values_list("amount", flat=True)) == [
        Decimal("0.15"),
        Decimal("0.25"),
    ]
    Entry.objects.filter(group="b").update(amount=F("amount") * 2 - F("amount"))
    assert Entry.objects.get(group="b").amount == Decimal("1166000.00")
    assert Entry.objects.filter(group="none").aggregate(t=Sum("amount"))["t"] is None


def test_formfield_is_a_two_decimal_field():
    field = MoneyField().formfield()
    assert field.decimal_places == 2 and field.max_digits == 15


@given(ore=st.integers(min_value=-(10**15), max_value=10**15))
def test_prep_and_read_are_inverse(ore):
    field = MoneyField()
    amount = field.from_db_value(ore, None, connection)
    assert field.get_prep_value(amount) == ore
    assert field.get_prep_value(field.to_python(str(amount))) == ore


def test_fractions_of_ore_from_sql_arithmetic_are_rounded_with_round(Entry):
    Entry.objects.create(amount=Decimal("10.01"))
    Entry.objects.create(amount=Decimal("10.03"))
    wrapped = ExpressionWrapper(Round(F("amount") * Decimal("0.5")), output_field=MoneyField())
    halves = sorted(Entry.objects.annotate(half=wrapped).values_list("half", flat=True))
    assert halves == [Decimal("5.01"), Decimal("5.02")]  # 500.5 → 501 öre, 501.5 → 502 öre
    assert MoneyField().from_db_value(Decimal("500.5"), None, connection) == Decimal("5.01")
