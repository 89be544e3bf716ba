"""SIE 4I export: byte format, quoting, balance, mapping, and a round trip through the reader."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.billing.exporters import sie
from samverkan.domain.invoice_math import VAT_6, VAT_25, VAT_EXEMPT, VAT_OUTSIDE, DocumentType, invoice_totals

D = Decimal
MAPPING = sie.AccountMapping(
    revenue={
        "SITHS": ("3511", "81143"),
        "MOBIL": ("3512", "81143"),
        "SUPPORT": ("3513", "81141"),
        "*": ("3590", "81146"),
    },
    customer_dimension=8,
)


def ledger_invoice(number: str = "2025-00001", document_type: DocumentType = DocumentType.INVOICE) -> sie.LedgerInvoice:
    return sie.LedgerInvoice(
        number=number,
        issue_date=date(2025, 4, 1),
        customer="Åsele kommun",
        customer_id="2120002585",
        lines=[
            sie.LedgerLine(D("1050.00"), VAT_25, "SITHS"),
            sie.LedgerLine(D("533.04"), VAT_25, "MOBIL"),
            sie.LedgerLine(D("5437.50"), VAT_25, "SUPPORT"),
            sie.LedgerLine(D("20.20"), VAT_6, "BOK"),
            sie.LedgerLine(D("1500.00"), VAT_EXEMPT, "SUPPORT"),
        ],
        document_type=document_type,
    )


def sie_file(vouchers: list[sie.Voucher]) -> sie.SieFile:
    return sie.SieFile(
        company_name="Kommunalförbundet Lystkom",
        orgnr="222000-1776",
        year_start=date(2025, 1, 1),
        year_end=date(2025, 12, 31),
        vouchers=vouchers,
        accounts={"1510": "Kundfordringar", "3511": "Försäljning e-tjänstekort"},
        dimensions={1: "Verksamhet", 8: "Kund"},
        objects={(1, "81141"): "IT", (1, "81143"): "Kundtjänst"},
        generated=date(2025, 4, 2),
    )


def test_invoice_voucher_debits_receivable_credits_revenue_per_activity_and_vat() -> None:
    [voucher] = sie.vouchers_for_invoices([ledger_invoice()], MAPPING)
    amounts = {(t.account, t.objects): t.amount for t in voucher.transactions}
    assert voucher.balance == 0
    assert amounts[("1510", ((8, "2120002585"),))] == D("10297.09")
    assert amounts[("3511", ((1, "81143"),))] == D("-1050.00")
    assert amounts[("3513", ((1, "81141"),))] == D("-6937.50")  # 5437.50 + 1500 exempt
    assert amounts[("3590", ((1, "81146"),))] == D("-20.20")
    assert amounts[("2611", ())] == D("-1755.14")  # 7020.54 × 25 % = 1755.135
    assert amounts[("2631", ())] == D("-1.21")
    assert voucher.text == "Faktura 2025-00001 Åsele kommun"


def test_credit_note_reverses_every_sign() -> None:
    [invoice] = sie.vouchers_for_invoices([ledger_invoice()], MAPPING)
    [credit] = sie.vouchers_for_invoices([ledger_invoice("2025-K1", DocumentType.CREDIT_NOTE)], MAPPING)
    assert [(t.account, -t.amount) for t in invoice.transactions] == [
        (t.account, t.amount) for t in credit.transactions
    ]
    assert credit.text.startswith("Kreditfaktura")


def test_per_run_voucher_sums_accounts_and_still_balances() -> None:
    invoices = [ledger_invoice("1"), ledger_invoice("2"), ledger_invoice("3", DocumentType.CREDIT_NOTE)]
    [run] = sie.vouchers_for_invoices(invoices, MAPPING, per_run=True, run_text="Fakturering 2025-Q1")
    assert run.balance == 0
    receivable = sum((t.amount for t in run.transactions if t.account == "1510"), D(0))
    assert receivable == D("10297.09")
    assert sie.vouchers_for_invoices([], MAPPING, per_run=True) == []


def test_outside_scope_and_rounding_lines() -> None:
    inv = sie.LedgerInvoice(
        "9", date(2025, 4, 1), "Lycksele kommun", "2120002536", [sie.LedgerLine(D("100.00"), VAT_OUTSIDE, "X")]
    )
    [voucher] = sie.vouchers_for_invoices([inv], MAPPING)
    assert [(t.account, t.amount) for t in voucher.transactions] == [("1510", D("100.00")), ("3590", D("-100.00"))]
    rounded = sie.LedgerInvoice(
        "10", date(2025, 4, 1), "L", "1", [sie.LedgerLine(D("10.30"), VAT_25, "X")], round_to_krona=True
    )
    [voucher] = sie.vouchers_for_invoices([rounded], MAPPING)
    assert ("3740", D("-0.12")) in [(t.account, t.amount) for t in voucher.transactions]
    assert voucher.balance == 0


def test_unmapped_revenue_and_vat_fail_loudly() -> None:
    strict = sie.AccountMapping(revenue={"SITHS": ("3511", "81143")})
    with pytest.raises(KeyError, match="no revenue account"):
        sie.vouchers_for_invoices([ledger_invoice()], strict)
    no_vat = sie.AccountMapping(revenue={"*": ("3590", "")}, vat_output={})
    with pytest.raises(KeyError, match="VAT"):
        sie.vouchers_for_invoices([ledger_invoice()], no_vat)


def test_file_is_pc8_with_crlf_and_quoted_fields() -> None:
    data = sie.to_bytes(sie_file(sie.vouchers_for_invoices([ledger_invoice()], MAPPING)))
    assert data.startswith(b"#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert "Kommunalförbundet".encode("cp437") in data and "ö".encode() not in data
    text = data.decode("cp437")
    assert '#FNAMN "Kommunalförbundet Lystkom"' in text
    assert "#ORGNR 2220001776" in text
    assert "#RAR 0 20250101 20251231" in text
    assert '#VER F "" 20250401 "Faktura 2025-00001 Åsele kommun"' in text
    assert '   #TRANS 3511 {1 "81143"} -1050.00 "" "Faktura 2025-00001"' in text
    assert "#OBJEKT 1 81143 Kundtjänst" in text


def test_quote_escapes_and_flattens() -> None:
    assert sie.quote("IT") == "IT"
    assert sie.quote("") == '""'
    assert sie.quote('Säg "hej"') == '"Säg \\"hej\\""'
    assert sie.quote("rad1\nrad2\tx") == '"rad1 rad2 x"'
    assert sie.tokenize('#VER A "" 20250101 "Säg \\"hej\\""') == ["#VER", "A", "", "20250101", 'Säg "hej"']
    assert sie.tokenize('#TRANS 3010 {1 "81 141" 6 P12} -5.00') == [
        "#TRANS",
        "3010",
        ["1", "81 141", "6", "P12"],
        "-5.00",
    ]


def test_round_trip_preserves_everything() -> None:
    original = sie_file(
        sie.vouchers_for_invoices([ledger_invoice(), ledger_invoice("2", DocumentType.CREDIT_NOTE)], MAPPING)
    )
    parsed = sie.read(sie.to_bytes(original))
    assert parsed.vouchers == original.vouchers
    assert parsed.accounts == original.accounts
    assert parsed.objects == original.objects
    assert parsed.dimensions == original.dimensions
    assert (parsed.company_name, parsed.orgnr, parsed.year_start, parsed.year_end) == (
        "Kommunalförbundet Lystkom",
        "2220001776",
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    assert all(v.balance == 0 for v in parsed.vouchers)


def test_reader_accepts_latin1_despite_pc8_and_ignores_unknown_labels() -> None:
    data = (
        '#FLAGGA 0\r\n#FORMAT PC8\r\n#KSUMMA 12345\r\n#FNAMN "Åsele kommun"\r\n#OKÄND x y\r\n'
        '#VER A 1 20250101 "Hyra växel"\r\n{\r\n#TRANS 1930 {} -100.00\r\n#TRANS 5010 {} 100.00\r\n}\r\n'
    ).encode("latin-1")
    parsed = sie.read(data)
    assert parsed.company_name == "Åsele kommun"
    assert parsed.vouchers[0].text == "Hyra växel" and parsed.vouchers[0].balance == 0


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("#TRANS 1930 {} 1.00\r\n", 1),
        ('#VER A 1 20250101 "x"\r\n{\r\n#TRANS 1930 {} 1,00\r\n}\r\n', 3),
        ('#VER A 1 20250101 "x\r\n', 1),
        ("#OBJEKT 1\r\n", 1),
        ("}\r\n", 1),
    ],
)
def test_reader_reports_line_numbers(body: str, line: int) -> None:
    with pytest.raises(ValueError, match=f"SIE line {line}"):
        sie.read(body.encode("cp437"))


def test_reader_refuses_unclosed_voucher() -> None:
    with pytest.raises(ValueError, match="inside a voucher"):
        sie.read(b'#VER A 1 20250101 "x"\r\n{\r\n#TRANS 1930 {} 1.00\r\n')


def test_writer_refuses_unbalanced_voucher_and_sub_ore_amounts() -> None:
    bad = sie.Voucher("A", "", date(2025, 1, 1), "x", (sie.Transaction("1510", D("1.00")),))
    with pytest.raises(ValueError, match="balance"):
        sie.to_bytes(sie_file([bad]))
    fractional = sie.Voucher(
        "A", "", date(2025, 1, 1), "x", (sie.Transaction("1510", D("1.005")), sie.Transaction("3010", D("-1.005")))
    )
    with pytest.raises(ValueError, match="two decimals"):
        sie.to_bytes(sie_file([fractional]))


amounts = st.decimals(min_value=D("0.01"), max_value=D("50000"), places=2)
lines = st.lists(
    st.builds(
        sie.LedgerLine, amounts, st.sampled_from([VAT_25, VAT_6, VAT_EXEMPT]), st.sampled_from(["SITHS", "MOBIL", "X"])
    ),
    min_size=1,
    max_size=8,
)
# The reader takes a PC8 file whose Swedish letters look like ISO-8859-1 bytes for ISO-8859-1
# (``sie.detect_encoding``); the cp437 characters on those bytes (÷, Θ, σ, Σ …) are left out.
_LATIN1_LOOKALIKES = bytes(sorted(sie._LATIN1_SWEDISH)).decode("cp437")
texts = st.text(
    st.characters(codec="cp437", exclude_categories=["Cc", "Cs"], exclude_characters=_LATIN1_LOOKALIKES),
    max_size=30,
)


@given(st.lists(st.tuples(lines, texts, st.booleans()), min_size=1, max_size=6), st.booleans())
def test_any_run_round_trips_balanced_and_reconciles(
    batches: list[tuple[list[sie.LedgerLine], str, bool]], per_run: bool
) -> None:
    invoices = [
        sie.LedgerInvoice(
            f"{i}", date(2025, 4, 1), name, "1", ln, DocumentType.CREDIT_NOTE if credit else DocumentType.INVOICE
        )
        for i, (ln, name, credit) in enumerate(batches)
    ]
    vouchers = sie.vouchers_for_invoices(invoices, MAPPING, per_run=per_run)
    parsed = sie.read(sie.to_bytes(sie_file(vouchers)))
    assert [v.balance for v in parsed.vouchers] == [D(0)] * len(vouchers)
    receivable = sum((t.amount for v in parsed.vouchers for t in v.transactions if t.account == "1510"), D(0))
    expected = sum(
        (
            invoice_totals((ln.net, ln.vat) for ln in inv.lines).payable
            * (-1 if inv.document_type is DocumentType.CREDIT_NOTE else 1)
            for inv in invoices
        ),
        D(0),
    )
    assert receivable == expected
    if not per_run:
        assert [v.text for v in parsed.vouchers] == [" ".join(v.text.replace("\t", " ").splitlines()) for v in vouchers]
