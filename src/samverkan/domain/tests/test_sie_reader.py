"""Reading SIE files: every label, both encodings, the standard's special rows, every refusal."""

from __future__ import annotations

import zlib
from datetime import date
from decimal import Decimal

import pytest

from samverkan.domain.errors import DomainError
from samverkan.domain.sie import (
    SieAccount,
    SieBalance,
    SieDimension,
    SieError,
    SieTrans,
    format_objects,
    parse_sie,
    write_sie,
)
from samverkan.domain.sie_reader import detect_encoding

HEADER = [
    "#FLAGGA 0",
    "#FORMAT PC8",
    "#SIETYP 4",
    '#PROGRAM "Visma Förvaltning" 9.1',
    "#GEN 20240115",
    '#FNAMN "Lystkom kommunalförbund"',
    "#RAR 0 20230101 20231231",
    "#RAR -1 20220101 20221231",
]  # 8 lines: a record after it is on line 9


def sie(*lines: str, encoding: str = "cp437", eol: str = "\r\n") -> bytes:
    return (eol.join(lines) + eol).encode(encoding)


def parse(*lines: str) -> object:
    return parse_sie(sie(*HEADER, *lines))


FULL = [
    *HEADER,
    "#ORGNR 222000-1234",
    "#KPTYP KOMMUNBAS",
    "#VALUTA SEK",
    '#KONTO 1930 "Bank"',
    '#KONTO 3010 "Försäljning \\"special\\""',
    '#KONTO 5010 ""',
    "#KTYP 1930 T",
    "#KTYP 3010 I",
    "#SRU 1930 7281",
    '#DIM 1 "Kostnadsställe"',
    '#DIM 6 "Projekt"',
    '#UNDERDIM 21 "Avdelning" 1',
    '#OBJEKT 1 "81141" "IT"',
    '#OBJEKT 6 "P12" "Växel"',
    "#IB 0 1930 12345.67",
    "#UB 0 1930 -0.5 3",
    "#IB -1 1930 1",
    '#OIB 0 1930 {1 "81141"} 10.00',
    "#OUB 0 1930 {1 81141} 20.10",
    "#RES 0 3010 -1000.00",
    '#PSALDO 0 202303 3010 {1 "81141" 6 "P12"} -500.00 2.5',
    "#PSALDO 0 202304 3010 {} -1.00",
    '#PBUDGET 0 202303 3010 {1 "81141"} -600.00',
    "#OKÄND etikett som ignoreras {",
    '#VER A 17 20230331 "Faktura Åsele" 20230401 "anna"',
    "{",
    '#TRANS 3010 {1 "81141" 6 "P12"} -1000.00',
    '#TRANS\t1930\t{}\t1000\t20230330\t"bet. \\"OCR\\""\t1.5\t"anna"',
    "}",
    '#VER "" "" 20230401 ""',
    "{",
    "#TRANS 1930 {} 0.01",
    "#TRANS 2440 {} -0.01",
    "}",
]


def test_every_label():
    parsed = parse_sie(sie(*FULL))
    assert parsed.flag == 0
    assert parsed.sie_type == "4"
    assert (parsed.program, parsed.program_version) == ("Visma Förvaltning", "9.1")
    assert parsed.generated == date(2024, 1, 15)
    assert parsed.company_name == "Lystkom kommunalförbund"
    assert (parsed.orgnr, parsed.chart_type, parsed.currency) == ("222000-1234", "KOMMUNBAS", "SEK")
    assert parsed.fiscal_years == {
        0: (date(2023, 1, 1), date(2023, 12, 31)),
        -1: (date(2022, 1, 1), date(2022, 12, 31)),
    }
    assert parsed.accounts == {
        "1930": SieAccount("1930", "Bank", "T", "7281"),
        "3010": SieAccount("3010", 'Försäljning "special"', "I", ""),
        "5010": SieAccount("5010", "", "", ""),
    }
    assert parsed.dimensions == {
        1: SieDimension(1, "Kostnadsställe"),
        6: SieDimension(6, "Projekt"),
        21: SieDimension(21, "Avdelning", 1),
    }
    assert parsed.objects == {(1, "81141"): "IT", (6, "P12"): "Växel"}
    kinds = [(b.kind, b.year_offset, b.account, b.objects, b.period, b.amount_ore, b.quantity) for b in parsed.balances]
    assert kinds == [
        ("IB", 0, "1930", (), None, 1234567, None),
        ("UB", 0, "1930", (), None, -50, Decimal(3)),
        ("IB", -1, "1930", (), None, 100, None),
        ("OIB", 0, "1930", ((1, "81141"),), None, 1000, None),
        ("OUB", 0, "1930", ((1, "81141"),), None, 2010, None),
        ("RES", 0, "3010", (), None, -100000, None),
        ("PSALDO", 0, "3010", ((1, "81141"), (6, "P12")), 202303, -50000, Decimal("2.5")),
        ("PSALDO", 0, "3010", (), 202304, -100, None),
    ]
    assert parsed.balances[0].line == 23
    assert parsed.budgets == [SieBalance("PBUDGET", 0, "3010", ((1, "81141"),), 202303, -60000, None)]
    first, second = parsed.vouchers
    assert (first.series, first.number, first.date, first.text, first.registered, first.line) == (
        "A",
        "17",
        date(2023, 3, 31),
        "Faktura Åsele",
        date(2023, 4, 1),
        33,
    )
    assert first.transactions == (
        SieTrans("3010", ((1, "81141"), (6, "P12")), -100000),
        SieTrans("1930", (), 100000, date(2023, 3, 30), 'bet. "OCR"', Decimal("1.5")),
    )
    assert [t.line for t in first.transactions] == [35, 36]
    assert (second.series, second.number, second.text) == ("", "", "")
    assert parsed.checksum_verified is None
    assert parsed.encoding == "cp437"


def test_latin1_despite_pc8_is_detected_and_reads_the_same():
    pc8 = parse_sie(sie(*FULL))
    latin = parse_sie(sie(*FULL, encoding="latin-1"))
    assert latin.encoding == "latin-1"
    assert latin == pc8
    assert latin.accounts["3010"].name == 'Försäljning "special"'


def test_utf8_is_detected_and_an_explicit_encoding_wins():
    data = sie(*FULL, encoding="utf-8")
    assert parse_sie(data).encoding == "utf-8"
    assert parse_sie(data) == parse_sie(sie(*FULL))
    forced = parse_sie(sie(*FULL, encoding="latin-1"), encoding="cp437")
    assert forced.encoding == "cp437"
    assert forced.company_name != "Lystkom kommunalförbund"  # read as told, so garbled


def test_detect_encoding_rule():
    assert detect_encoding(b"#FLAGGA 0\r\n") == "cp437"
    assert detect_encoding("åäöÅÄÖ".encode("cp437")) == "cp437"
    assert detect_encoding("åäöÅÄÖ".encode("latin-1")) == "latin-1"
    assert detect_encoding("å".encode("latin-1") + "ö".encode("cp437")) == "cp437"  # a tie: as declared
    assert detect_encoding("Åsele ”Förbund” är bäst".encode("cp1252")) == "latin-1"  # 0x94 is a quote here
    assert detect_encoding("Åsele och Västerås ÷ Σ".encode("cp437")) == "cp437"  # 0xF6 0xE4 are signs here
    assert detect_encoding("å".encode()) == "utf-8"


def test_lf_crlf_blank_lines_and_end_of_file_mark():
    crlf = parse_sie(sie(*FULL))
    lf = parse_sie(sie(*FULL, eol="\n"))
    assert lf == crlf
    spaced = parse_sie(sie(*FULL[:3], "", "   ", *FULL[3:]) + b"\x1a")
    assert spaced == crlf


def test_bom_is_dropped():
    assert parse_sie(b"\xef\xbb\xbf" + sie(*FULL, encoding="utf-8")) == parse_sie(sie(*FULL))


def test_quoted_fields_escapes_and_empty_fields():
    parsed = parse(
        '#KONTO 1910 "Kassa \\"liten\\" C:\\\\temp\\x"',
        '#KONTO 1920 ""',
        '#OBJEKT 1 "A B" "med {klammer} och \\"citat\\""',
    )
    assert parsed.accounts["1910"].name == 'Kassa "liten" C:\\temp\\x'
    assert parsed.accounts["1920"].name == ""
    assert parsed.objects[(1, "A B")] == 'med {klammer} och "citat"'


def test_object_lists_empty_and_quoted_with_braces_inside():
    parsed = parse(
        '#VER A 1 20230105 "x"',
        "{",
        '#TRANS 1930 {1 "a}b" 6 "P 1"} 5.00',
        "#TRANS 1930 { } -2.5",
        "#TRANS 1930 {1 81141} -2.50",
        "}",
    )
    rows = parsed.vouchers[0].transactions
    assert [row.objects for row in rows] == [((1, "a}b"), (6, "P 1")), (), ((1, "81141"),)]
    assert [row.amount_ore for row in rows] == [500, -250, -250]


def test_trans_without_object_list_is_read():
    parsed = parse('#VER A 1 20230105 "x"', "{", "#TRANS 1930 5.00", "#TRANS 3010 -5.00", "}")
    assert [(r.account, r.objects, r.amount_ore) for r in parsed.vouchers[0].transactions] == [
        ("1930", (), 500),
        ("3010", (), -500),
    ]


def test_rtrans_counts_once_and_btrans_is_kept_out_of_the_balance():
    parsed = parse(
        '#VER A 1 20230105 "x"',
        "{",
        "#TRANS 1930 {} 100.00",
        "#TRANS 3010 {} -100.00",
        '#RTRANS 3010 {1 "81141"} -20.00 20230106 "rättad"',
        '#TRANS 3010 {1 "81141"} -20.00 20230106 "rättad"',
        "#RTRANS 1930 {} 20.00",
        "#TRANS 1930 {} 20.00",
        "#BTRANS 1930 {} 555.00",
        "}",
    )
    rows = parsed.vouchers[0].transactions
    assert [(r.account, r.amount_ore, r.kind, r.line) for r in rows] == [
        ("1930", 10000, "", 11),
        ("3010", -10000, "", 12),
        ("3010", -2000, "added", 13),
        ("1930", 2000, "added", 15),
        ("1930", 55500, "removed", 17),
    ]


def test_trans_after_rtrans_that_differs_is_a_row_of_its_own():
    parsed = parse(
        '#VER A 1 20230105 "x"',
        "{",
        "#RTRANS 1930 {} 20.00",
        "#TRANS 1930 {} 30.00",
        "#TRANS 3010 {} -50.00",
        "}",
    )
    assert [(r.amount_ore, r.kind) for r in parsed.vouchers[0].transactions] == [
        (2000, "added"),
        (3000, ""),
        (-5000, ""),
    ]


def test_tolerated_undeclared_accounts_objects_and_dimensions():
    parsed = parse(
        "#KTYP 4010 K",
        "#SRU 4020 7513",
        '#OBJEKT 9 "X" "odeklarerad dimension"',
        '#VER A 1 20230105 "x"',
        "{",
        '#TRANS 9999 {9 "Y"} 1.00',
        "#TRANS 9998 {} -1.00",
        "}",
    )
    assert parsed.accounts == {"4010": SieAccount("4010", "", "K"), "4020": SieAccount("4020", sru="7513")}
    assert parsed.vouchers[0].transactions[0].objects == ((9, "Y"),)


@pytest.mark.parametrize("kind", ["1", "2", "3"])
def test_types_1_to_3_with_balances_only(kind):
    lines = [
        "#FLAGGA 0",
        f"#SIETYP {kind}",
        "#RAR 0 20230701 20240630",
        '#KONTO 1930 "Bank"',
        "#IB 0 1930 100.00",
        "#UB 0 1930 250.00",
        "#RES 0 3010 -150.00",
    ]
    if kind != "1":
        lines.append("#PSALDO 0 202308 3010 {} -150.00")
    if kind == "3":
        lines.append('#PSALDO 0 202308 3010 {1 "81141"} -150.00')
    parsed = parse_sie(sie(*lines))
    assert parsed.sie_type == kind
    assert parsed.vouchers == []
    assert parsed.fiscal_years[0] == (date(2023, 7, 1), date(2024, 6, 30))
    assert sum(b.amount_ore for b in parsed.balances if b.kind == "UB") == 25000


def test_4i_file_with_empty_voucher_number_and_no_rar():
    parsed = parse_sie(
        sie(
            "#FLAGGA 0",
            "#FORMAT PC8",
            "#SIETYP 4",
            '#PROGRAM "Samverkan fakturering" 1',
            '#VER "" "" 20240131 "Faktura 1001 Lycksele"',
            "{",
            '#TRANS 1510 {} 1250.00 "" "Lycksele kommun"',
            '#TRANS 3010 {1 "81141"} -1000.00',
            "#TRANS 2611 {} -250.00",
            "}",
        )
    )
    assert parsed.fiscal_years == {}
    voucher = parsed.vouchers[0]
    assert (voucher.series, voucher.number, voucher.date) == ("", "", date(2024, 1, 31))
    assert voucher.transactions[0].text == "Lycksele kommun"
    assert voucher.transactions[0].date is None


def test_flag_one_is_read():
    assert parse_sie(sie("#FLAGGA 1", "#SIETYP 4")).flag == 1


def test_sie_error_shape():
    error = SieError(12, "#TRANS", "något")
    assert isinstance(error, DomainError)
    assert str(error) == "rad 12: #TRANS: något"
    assert (error.line, error.label, error.reason) == (12, "#TRANS", "något")


def test_format_objects():
    assert format_objects(((1, "81141"), (6, "P12"))) == "1:81141 6:P12"
    assert format_objects(()) == ""


VOUCHER = ['#VER A 1 20230105 "x"', "{"]  # lines 9 and 10

ERRORS = [
    # (lines after HEADER, line, label, words of the reason)
    (
        [*VOUCHER, "#TRANS 1930 {} 12,5", "}"],
        11,
        "#TRANS",
        'beloppet "12,5" är inte ett belopp med punkt och högst två decimaler',
    ),
    ([*VOUCHER, "#TRANS 1930 {} 1.005", "}"], 11, "#TRANS", 'beloppet "1.005"'),
    (["#IB 0 1930 1e5"], 9, "#IB", 'beloppet "1e5"'),
    ([*VOUCHER, "#TRANS 1930 {} 1.00 20230230", "}"], 11, "#TRANS", 'datumet "20230230" är inte ett giltigt datum'),
    (['#VER A 1 2023-01-05 "x"', "{", "}"], 9, "#VER", 'datumet "2023-01-05"'),
    (["#GEN 2024011"], 9, "#GEN", "datumet"),
    (["#PSALDO 0 202313 3010 {} 1.00"], 9, "#PSALDO", 'perioden "202313" är inte en giltig period'),
    (["#PBUDGET 0 2023 3010 {} 1.00"], 9, "#PBUDGET", "perioden"),
    (["#IB noll 1930 1.00"], 9, "#IB", 'årsnumret "noll" är inte ett heltal'),
    (["#RAR x 20230101 20231231"], 9, "#RAR", "årsnumret"),
    (["#RAR 1 20231231 20230101"], 9, "#RAR", "slutar"),
    (["#IB 0 1930"], 9, "#IB", "fältet belopp saknas"),
    (["#KONTO"], 9, "#KONTO", "fältet kontonummer saknas"),
    ([*VOUCHER, "#TRANS 1930 {}", "}"], 11, "#TRANS", "fältet belopp saknas"),
    (["#VER A 1", "{", "}"], 9, "#VER", "fältet datum saknas"),
    (['#KONTO 1930 "Bank'], 9, "#KONTO", "citattecknet avslutas inte"),
    ([*VOUCHER, '#TRANS 1930 {1 "81141" 1.00', "}"], 11, "#TRANS", 'objektlistan avslutas inte med "}"'),
    ([*VOUCHER, '#TRANS 1930 {1 {"81141"}} 1.00', "}"], 11, "#TRANS", "objektlistan"),
    ([*VOUCHER, '#TRANS 1930 {1 "81141" 6} 1.00', "}"], 11, "#TRANS", "objektlistan har ett udda antal element"),
    ([*VOUCHER, '#TRANS 1930 {x "81141"} 1.00', "}"], 11, "#TRANS", 'dimensionsnumret "x"'),
    (['#OUB 0 1930 {1 "a" 2} 1.00'], 9, "#OUB", "udda antal"),
    (["#OIB 0 1930 1.00"], 9, "#OIB", "objektlistan saknas"),
    (["#TRANS 1930 {} 1.00"], 9, "#TRANS", "står utanför en verifikation"),
    (["#BTRANS 1930 {} 1.00"], 9, "#BTRANS", "står utanför en verifikation"),
    ([VOUCHER[0], "#TRANS 1930 {} 1.00"], 10, "#TRANS", '"{" väntades efter #VER på rad 9'),
    (["{"], 9, "{", '"{" utan föregående #VER'),
    (["}"], 9, "}", '"}" utan inledande "{"'),
    ([*VOUCHER, "#TRANS 1930 {} 1.00", "{"], 12, "{", '"{" utan föregående #VER'),
    ([*VOUCHER, "#TRANS 1930 {} 1.00"], 9, "#VER", 'verifikationen avslutas inte med "}"'),
    ([*VOUCHER, '#VER A 2 20230105 "y"', "}"], 11, "#VER", '#VER inom verifikationen på rad 9: "}" saknas'),
    (
        [*VOUCHER, "#TRANS 1930 {} 1000.00", "#TRANS 3010 {} -987.50", "}"],
        9,
        "#VER",
        "verifikationen balanserar inte: differensen är 12,50 kr",
    ),
    (
        [*VOUCHER, "#TRANS 1930 {} 1.00", "#TRANS 3010 {} -1.00", "#RTRANS 3010 {} -1.00", "}"],
        9,
        "#VER",
        "differensen är -1,00 kr",
    ),
    (
        ['#VER A 1 20221231 "x"', "{", "}"],
        9,
        "#VER",
        "verifikationsdatumet 2022-12-31 ligger utanför räkenskapsåret 2023-01-01–2023-12-31",
    ),
    (["#IB -2 1930 1.00"], 9, "#IB", "årsnummer -2 saknar #RAR"),
    (["#PBUDGET 1 202401 3010 {} 1.00"], 9, "#PBUDGET", "årsnummer 1 saknar #RAR"),
    (["#KONTO 1930 " + "x" * 100_001], 9, "#KONTO", "raden är längre än 100 000 tecken"),
    (["#SIETYP 5"], 9, "#SIETYP", 'SIE-typen "5"'),
    (["#FLAGGA 2"], 9, "#FLAGGA", "varken 0 eller 1"),
    (["KONTO 1930 Bank"], 9, "KONTO", "raden börjar inte med en etikett"),
    (["#DIM ett Kst"], 9, "#DIM", 'dimensionsnumret "ett"'),
    (["#UNDERDIM 21 Avd"], 9, "#UNDERDIM", "fältet överordnad dimension saknas"),
    ([*VOUCHER, "#TRANS 1930 {} 1.00 x 2", "}"], 11, "#TRANS", 'datumet "x"'),
    ([*VOUCHER, '#TRANS 1930 {} 1.00 "" "" 1,5', "}"], 11, "#TRANS", 'kvantiteten "1,5"'),
]


@pytest.mark.parametrize(("lines", "line", "label", "reason"), ERRORS)
def test_refused(lines, line, label, reason):
    with pytest.raises(SieError) as caught:
        parse_sie(sie(*HEADER, *lines))
    assert (caught.value.line, caught.value.label) == (line, label)
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"rad {line}: {label}: ")


def test_refused_reason_in_full():
    with pytest.raises(SieError) as caught:
        parse_sie(sie(*HEADER, *VOUCHER, "#TRANS 1930 {} 12,5", "}"))
    assert str(caught.value) == 'rad 11: #TRANS: beloppet "12,5" är inte ett belopp med punkt och högst två decimaler'


def test_first_error_in_the_file_is_reported():
    with pytest.raises(SieError) as caught:
        parse_sie(sie(*HEADER, "#IB -5 1930 1.00", '#VER A 1 20200101 "x"', "{", "}"))
    assert caught.value.line == 9


def test_vouchers_are_checked_against_rar_0_only_when_given():
    parsed = parse_sie(sie("#FLAGGA 0", '#VER A 1 19990101 "x"', "{", "}"))
    assert parsed.vouchers[0].date == date(1999, 1, 1)


@pytest.mark.parametrize(
    "data",
    [b"", b"\r\n  \r\n", b"#SIETYP 4\r\n#FLAGGA 0\r\n", b"hello", b"\n\n#KONTO 1 x\n"],
)
def test_empty_or_not_sie_is_refused_on_line_1(data):
    with pytest.raises(SieError) as caught:
        parse_sie(data)
    assert (caught.value.line, caught.value.label) == (1, "#FLAGGA")


def test_unknown_encoding_is_refused():
    with pytest.raises(SieError, match="rad 1: #FORMAT: filen kan inte läsas som ebcdic-x"):
        parse_sie(sie(*HEADER), encoding="ebcdic-x")


# -- #KSUMMA ----------------------------------------------------------------------------------


BODY = [
    "#FORMAT PC8",
    '#KONTO 1930 "Bank \\"x\\""',
    '#VER A 1 20230105 "Å"',
    "{",
    '#TRANS 1930 {1 "8 1"} 1.00',
    "#TRANS 3010 {} -1.00",
    "}",
]
CRC_TEXT = '#FORMATPC8#KONTO1930Bank "x"#VERA120230105Å#TRANS193018 11.00#TRANS3010-1.00'


def expected_crc() -> int:
    # label + field contents, nothing between: no spaces, quotes, braces or the "{" "}" lines
    return zlib.crc32(CRC_TEXT.encode("cp437"))


def test_ksumma_by_the_rule_is_verified():
    parsed = parse_sie(sie("#FLAGGA 0", "#KSUMMA", *BODY, f"#KSUMMA {expected_crc()}"))
    assert parsed.checksum_verified is True
    assert parsed.accounts["1930"].name == 'Bank "x"'


def test_ksumma_signed_and_spacing_independent():
    signed = expected_crc() - 2**32
    spaced = [
        "#FORMAT\t PC8 ",
        '#KONTO  1930\t"Bank \\"x\\""',
        '#VER\tA 1  20230105 "Å"',
        " { ",
        '#TRANS 1930 { 1  "8 1" }  1.00',
        "#TRANS 3010 {} -1.00",
        "}",
    ]
    parsed = parse_sie(sie("#FLAGGA 0", "#KSUMMA", *spaced, f"#KSUMMA {signed}"))
    assert parsed.checksum_verified is True


def test_ksumma_of_a_latin1_file_is_over_its_own_bytes():
    crc = zlib.crc32(CRC_TEXT.encode("latin-1"))
    parsed = parse_sie(sie("#FLAGGA 0", "#KSUMMA", *BODY, f"#KSUMMA {crc}", encoding="latin-1"))
    assert parsed.checksum_verified is True
    assert parsed.encoding == "latin-1"


def test_ksumma_mismatch_is_refused():
    data = sie("#FLAGGA 0", "#KSUMMA", *BODY, f"#KSUMMA {expected_crc()}").replace(b"1.00", b"2.00")
    with pytest.raises(SieError) as caught:
        parse_sie(data)
    assert (caught.value.line, caught.value.label) == (10, "#KSUMMA")
    assert "kontrollsumman stämmer inte" in caught.value.reason


def test_ksumma_written_is_verified_and_tampering_found():
    base = parse_sie(sie(*FULL))
    data = write_sie(base, checksum=True)
    assert data.startswith(b"#FLAGGA 0\r\n#KSUMMA\r\n")
    again = parse_sie(data)
    assert again.checksum_verified is True
    assert again == base
    with pytest.raises(SieError, match="kontrollsumman stämmer inte"):
        parse_sie(data.replace(b'"Bank"', b'"Bonk"'))


@pytest.mark.parametrize(
    ("lines", "line", "reason"),
    [
        (["#KSUMMA", *BODY], 2, "avslutande #KSUMMA saknas"),
        ([*BODY, "#KSUMMA 1"], 9, "avslutande #KSUMMA utan inledande #KSUMMA"),
        (["#KSUMMA", "#KSUMMA", "#KSUMMA 1"], 3, "förekommer mer än en gång"),
        (["#KSUMMA", *BODY, "#KSUMMA abc"], 10, 'kontrollsumman "abc" är inte ett heltal'),
    ],
)
def test_ksumma_misuse(lines, line, reason):
    with pytest.raises(SieError) as caught:
        parse_sie(sie("#FLAGGA 0", *lines))
    assert caught.value.line == line
    assert reason in caught.value.reason


def test_records_after_the_checksum_are_refused():
    data = sie("#FLAGGA 0", "#KSUMMA", *BODY, f"#KSUMMA {expected_crc()}", '#KONTO 2440 "Lev"')
    with pytest.raises(SieError, match="rad 11: #KONTO: poster efter avslutande #KSUMMA"):
        parse_sie(data)
