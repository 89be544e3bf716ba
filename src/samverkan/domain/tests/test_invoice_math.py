from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.invoice_math import (
    VAT_6,
    VAT_12,
    VAT_25,
    VAT_EXEMPT,
    VAT_OUTSIDE,
    DocumentType,
    Line,
    MixedVatScopeError,
    VatCategory,
    VatCode,
    billed_quantity,
    credit_lines,
    invoice_totals,
    ledger_sign,
    line_net,
    round_ore,
    vat_breakdown,
    vat_code,
    vat_scope,
)

D = Decimal


def test_line_net_rounds_half_up_to_ore() -> None:
    assert line_net(D("3"), D("33.335")) == D("100.01")  # 100.005 -> 100.01
    assert line_net(D("-3"), D("33.335")) == D("-100.01")  # symmetric away from zero
    assert line_net(D("2.5"), D("199")) == D("497.50")


def test_billed_quantity_rounds_prorata_to_four_decimals() -> None:
    assert billed_quantity(D("5"), Fraction(15, 28)) == D("2.6786")  # 2.678571…
    assert billed_quantity(D("3"), Fraction(1, 4)) == D("0.7500")
    assert billed_quantity(D("1"), Fraction(1, 20000)) == D("0.0001")  # 0.00005 half-up


def test_vat_is_computed_on_category_sum_not_per_line() -> None:
    # three lines of 0.02 at 25 %: per line VAT would be 3 × 0.01 = 0.03; on the sum it is 0.02 (0.015 -> 0.02)
    lines = [Line(D("1"), D("0.02"), VAT_25) for _ in range(3)]
    totals = invoice_totals(lines)
    assert totals.tax_total == D("0.02")
    assert totals.payable == D("0.08")


def test_totals_with_several_rates_and_exempt() -> None:
    lines = [
        Line(D("10"), D("100"), VAT_25),
        Line(D("1"), D("99.99"), VAT_12),
        Line(D("2"), D("10.10"), VAT_6),
        Line(D("1"), D("500"), VAT_EXEMPT),
        Line(D("4"), D("25"), VAT_25),
    ]
    totals = invoice_totals(lines)
    assert [(s.category, s.rate, s.taxable, s.tax) for s in totals.subtotals] == [
        (VatCategory.STANDARD, D(25), D("1100.00"), D("275.00")),
        (VatCategory.STANDARD, D(12), D("99.99"), D("12.00")),  # 11.9988
        (VatCategory.STANDARD, D(6), D("20.20"), D("1.21")),  # 1.212
        (VatCategory.EXEMPT, D(0), D("500.00"), D("0.00")),
    ]
    assert totals.line_extension == D("1720.19")
    assert totals.tax_total == D("288.21")
    assert totals.tax_inclusive == totals.payable == D("2008.40")
    assert totals.rounding == 0
    assert totals.subtotals[3].exemption_reason


def test_round_to_krona_records_rounding_amount() -> None:
    totals = invoice_totals([Line(D("1"), D("10.30"), VAT_25)], round_to_krona=True)
    assert totals.tax_inclusive == D("12.88")
    assert totals.payable == D("13.00")
    assert totals.rounding == D("0.12")


def test_outside_scope_cannot_mix_with_vat_lines() -> None:
    with pytest.raises(MixedVatScopeError):
        invoice_totals([Line(D("1"), D("1"), VAT_OUTSIDE), Line(D("1"), D("1"), VAT_25)])
    totals = invoice_totals([Line(D("1"), D("1000"), VAT_OUTSIDE)])
    assert totals.tax_total == 0 and totals.payable == D("1000.00")
    assert vat_scope(VAT_OUTSIDE) != vat_scope(VAT_25) == vat_scope(VAT_EXEMPT)


def test_vat_code_lookup() -> None:
    assert vat_code(" e ") is VAT_EXEMPT
    assert vat_code("25") is VAT_25
    with pytest.raises(ValueError):
        vat_code("20")
    assert VAT_25.label_sv == "Moms 25 %"


def test_credit_note_sign_and_partial_credit() -> None:
    original = {
        0: Line(D("10"), D("100"), VAT_25, "SITHS-kort"),
        1: Line(D("2"), D("50"), VAT_6, "Bok"),
    }
    assert ledger_sign(DocumentType.INVOICE) == 1 and ledger_sign(DocumentType.CREDIT_NOTE) == -1
    assert credit_lines(original) == original
    partial = credit_lines(original, quantities={0: D("3")})
    assert partial == {0: Line(D("3"), D("100"), VAT_25, "SITHS-kort")}
    assert invoice_totals(partial.values()).payable == D("375.00")
    assert credit_lines(original, quantities={1: D("2")})[1] is original[1]  # in full: the line as invoiced
    with pytest.raises(ValueError):
        credit_lines(original, quantities={0: D("11")})
    with pytest.raises(ValueError):
        credit_lines(original, quantities={1: D("0")})
    with pytest.raises(LookupError):
        credit_lines(original, quantities={2: D("1")})


def test_credit_of_a_negative_line_keeps_its_sign() -> None:
    # an allocation true-up that lowered a member's share is billed as a negative line
    original = {"true-up": Line(D("-1"), D("35000"), VAT_OUTSIDE, "Medlemsavgift, slutjustering")}
    assert credit_lines(original, quantities={"true-up": D("1")}) == original
    assert credit_lines(original, quantities={"true-up": D("-1")}) == original
    assert credit_lines(original, quantities={"true-up": D("0.5")})["true-up"].net == D("-17500.00")
    with pytest.raises(ValueError):
        credit_lines(original, quantities={"true-up": D("-2")})
    # a positive line credited with a negative number credits that many units, with the line's sign
    positive = {7: Line(D("4"), D("350"), VAT_25)}
    assert credit_lines(positive, quantities={7: D("-1")})[7].quantity == D("1")


def test_round_ore_of_fraction_is_exact() -> None:
    assert round_ore(Fraction(1, 200)) == D("0.01")
    assert round_ore(Fraction(-1, 200)) == D("-0.01")
    assert round_ore(Fraction(1, 300)) == D("0.00")


amounts = st.decimals(min_value=D("-100000"), max_value=D("100000"), places=2)
codes = st.sampled_from([VAT_25, VAT_12, VAT_6, VAT_EXEMPT])


@given(st.lists(st.tuples(amounts, codes), min_size=1, max_size=40))
def test_totals_satisfy_en16931_identities(
    pairs: list[tuple[Decimal, VatCode]],
) -> None:
    lines = [Line(D("1"), amount, code) for amount, code in pairs]
    totals = invoice_totals(lines)
    assert totals.line_extension == sum((ln.net for ln in lines), D(0))  # BR-CO-10
    assert totals.tax_total == sum((s.tax for s in totals.subtotals), D(0))  # BR-CO-14
    assert totals.tax_inclusive == totals.tax_exclusive + totals.tax_total  # BR-CO-15
    assert totals.payable == totals.tax_inclusive + totals.rounding  # BR-CO-16
    assert sum((s.taxable for s in totals.subtotals), D(0)) == totals.line_extension
    for s in totals.subtotals:
        assert s.tax == round_ore(s.taxable * s.rate / 100)  # BR-CO-17
        assert abs(s.tax - s.taxable * s.rate / 100) <= D("0.005")


@given(st.lists(st.tuples(amounts, codes), min_size=1, max_size=20))
def test_breakdown_is_order_independent(pairs: list[tuple[Decimal, VatCode]]) -> None:
    assert vat_breakdown(pairs) == vat_breakdown(list(reversed(pairs)))
