"""Figures inside the annual report's text: Swedish format, unknown fields refused by name."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.narrative import Figure, UnknownFieldError, check, fields, fill

NBSP = "\u00a0"
FIGURES = {
    "result": Figure(Decimal("1375812.40"), "kr", step=Decimal(1000)),
    "turnover": Figure(Decimal("44391234"), "kr"),
    "surplus_ratio": Figure(Decimal("0.0310"), "%", 1),
    "employees": Figure(Decimal(38), ""),
}


def test_fills_fields_in_swedish_format():
    text = "Överskott med {result} av {turnover}, {surplus_ratio} av omsättningen; {employees} anställda."
    assert fill(text, FIGURES) == (
        f"Överskott med 1{NBSP}376{NBSP}000{NBSP}kr av 44{NBSP}391{NBSP}234{NBSP}kr, "
        f"3,1{NBSP}% av omsättningen; 38 anställda."
    )


def test_negative_amount_uses_minus_sign():
    assert fill("{loss}", {"loss": Figure(Decimal(-1500), "kr")}) == f"\u22121{NBSP}500{NBSP}kr"


def test_unknown_field_is_named():
    with pytest.raises(UnknownFieldError) as error:
        fill("Resultat {result}, {reslut} och {other}.", FIGURES)
    assert error.value.names == ("reslut", "other")
    assert "{reslut}" in str(error.value)


def test_empty_or_malformed_field_is_refused():
    with pytest.raises(UnknownFieldError):
        check("tom { } klammer", FIGURES)


def test_double_braces_are_literal():
    assert fill("{{result}} är {result}", FIGURES).startswith("{result} är 1")


def test_fields_in_order_without_duplicates():
    assert fields("{b} {a} {b} {{c}}") == ("b", "a")


@given(st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=80))
def test_text_without_fields_is_unchanged(text):
    assert fill(text, FIGURES) == text


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_same_figure_same_text_everywhere(value):
    figure = {"result": Figure(value, "kr", step=Decimal(1000))}
    first, second = fill("{result}|{result}", figure).split("|")
    assert first == second
