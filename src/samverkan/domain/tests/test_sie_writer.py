"""Writing SIE files, and the round trip parse(write(x)) == x for generated ledgers."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.domain.sie import (
    BALANCE_KINDS,
    SieAccount,
    SieBalance,
    SieDimension,
    SieFile,
    SieTrans,
    SieVoucher,
    parse_sie,
    write_sie,
)
from samverkan.domain.sie_writer import amount

YEAR = (date(2023, 1, 1), date(2023, 12, 31))
PREVIOUS = (date(2022, 1, 1), date(2022, 12, 31))


def small_file() -> SieFile:
    return SieFile(
        sie_type="4",
        program="Samverkan",
        program_version="1.0",
        generated=date(2024, 1, 15),
        company_name="Lystkom €",
        orgnr="222000-1234",
        chart_type="KOMMUNBAS",
        currency="SEK",
        fiscal_years={0: YEAR, -1: PREVIOUS},
        accounts={"1930": SieAccount("1930", "Bank", "T", "7281"), "3010": SieAccount("3010", 'Försäljning "A"')},
        dimensions={1: SieDimension(1, "Kostnadsställe"), 21: SieDimension(21, "Avdelning", 1)},
        objects={(1, "81141"): "IT"},
        balances=[
            SieBalance("IB", 0, "1930", (), None, 12345),
            SieBalance("PSALDO", 0, "3010", ((1, "81141"),), 202303, -5, Decimal("2.5")),
        ],
        budgets=[SieBalance("PBUDGET", 0, "3010", ((1, "81141"),), 202303, -60000)],
        vouchers=[
            SieVoucher(
                "A",
                "1",
                date(2023, 3, 31),
                "Faktura",
                transactions=(
                    SieTrans("1930", (), 1000),
                    SieTrans("3010", ((1, "81141"),), -1000),
                    SieTrans("3010", (), -50, kind="added"),
                    SieTrans("1930", (), 50, date(2023, 4, 2), "rättelse"),
                    SieTrans("1930", (), 99, kind="removed"),
                ),
            )
        ],
    )


def test_writer_format():
    data = write_sie(small_file())
    assert data.startswith(b'#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#PROGRAM "Samverkan" 1.0\r\n')
    assert data.endswith(b"}\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    text = data.decode("cp437")
    assert "Försäljning".encode("cp437") in data
    assert '#FNAMN "Lystkom ?"' in text  # PC8 has no euro sign
    assert '#KONTO 3010 "Försäljning \\"A\\""' in text
    assert "#SRU 1930 7281" in text
    assert '#UNDERDIM 21 "Avdelning" 1' in text
    assert '#PSALDO 0 202303 3010 {1 "81141"} -0.05 2.5' in text
    assert '#PBUDGET 0 202303 3010 {1 "81141"} -600.00' in text
    assert '#VER "A" "1" 20230331 "Faktura"' in text
    assert "#RTRANS 3010 {} -0.50\r\n#TRANS 3010 {} -0.50\r\n" in text  # the mirror for old readers
    assert '#TRANS 1930 {} 0.50 20230402 "rättelse"' in text
    assert "#BTRANS 1930 {} 0.99\r\n}" in text
    assert "#KSUMMA" not in text


def test_written_file_reads_back():
    parsed = parse_sie(write_sie(small_file()))
    assert parsed == SieFile(**{**_fields(small_file()), "company_name": "Lystkom ?"})
    assert [row.kind for row in parsed.vouchers[0].transactions] == ["", "", "added", "", "removed"]


def _fields(sie: SieFile) -> dict[str, object]:
    return {name: getattr(sie, name) for name in SieFile.__dataclass_fields__}


def test_amount_format():
    assert [amount(v) for v in (0, 5, -5, 100, -123456, 10**15)] == [
        "0.00",
        "0.05",
        "-0.05",
        "1.00",
        "-1234.56",
        "10000000000000.00",
    ]


def test_checksum_written_last():
    data = write_sie(small_file(), checksum=True)
    lines = data.decode("cp437").split("\r\n")
    assert lines[:2] == ["#FLAGGA 0", "#KSUMMA"]
    assert lines[-2].startswith("#KSUMMA ")
    assert parse_sie(data).checksum_verified is True


# -- the round trip ---------------------------------------------------------------------------

ALPHABET = string.ascii_letters + string.digits + ' .,-_"\\{}#/åäöÅÄÖ'
texts = st.text(ALPHABET, max_size=12)
codes = st.text(ALPHABET, min_size=1, max_size=8)
account_numbers = st.from_regex(r"[1-8][0-9]{3}", fullmatch=True)
dates_2023 = st.dates(YEAR[0], YEAR[1])
quantities = st.none() | st.decimals(min_value=-(10**6), max_value=10**6, places=2)
ore = st.integers(-(10**12), 10**12)


@st.composite
def objects_lists(draw, max_size=3):
    pairs = draw(st.lists(st.tuples(st.integers(1, 30), codes), max_size=max_size))
    return tuple(pairs)


@st.composite
def balances(draw, kind):
    offset = draw(st.sampled_from([0, -1]))
    period = None
    if kind in ("PSALDO", "PBUDGET"):
        period = (2023 + offset) * 100 + draw(st.integers(1, 12))
    objs = () if kind in ("IB", "UB", "RES") else draw(objects_lists())
    return SieBalance(kind, offset, draw(account_numbers), objs, period, draw(ore), draw(quantities))


@st.composite
def transactions(draw):
    rows = []
    count = draw(st.integers(0, 6))
    amounts = [draw(ore) for _ in range(count)]
    if amounts:
        amounts.append(-sum(amounts))  # a random split that balances
    for value in amounts:
        rows.append(
            SieTrans(
                draw(account_numbers),
                draw(objects_lists()),
                value,
                draw(st.none() | dates_2023),
                draw(texts),
                draw(quantities),
                draw(st.sampled_from(["", "", "added"])),
            )
        )
    for _ in range(draw(st.integers(0, 2))):  # struck-out rows need not balance
        rows.append(SieTrans(draw(account_numbers), draw(objects_lists()), draw(ore), kind="removed"))
    return tuple(draw(st.permutations(rows)))


@st.composite
def vouchers(draw):
    return SieVoucher(
        draw(st.text(ALPHABET, max_size=3)),
        draw(st.text(string.digits, max_size=5)),
        draw(dates_2023),
        draw(texts),
        draw(st.none() | dates_2023),
        transactions=draw(transactions()),
    )


@st.composite
def sie_files(draw):
    numbers = draw(st.lists(account_numbers, max_size=5, unique=True))
    accounts = {
        number: SieAccount(
            number,
            draw(texts),
            draw(st.sampled_from(["", "T", "S", "I", "K"])),
            draw(st.sampled_from(["", "7281", "7513"])),
        )
        for number in numbers
    }
    dims = draw(st.lists(st.integers(1, 30), max_size=3, unique=True))
    dimensions = {n: SieDimension(n, draw(texts), draw(st.none() | st.integers(1, 30))) for n in dims}
    objects = draw(st.dictionaries(st.tuples(st.integers(1, 30), codes), texts, max_size=4))
    return SieFile(
        sie_type=draw(st.sampled_from(["1", "2", "3", "4"])),
        program=draw(texts),
        program_version=draw(st.sampled_from(["", "1.0", "2024.1"])),
        generated=draw(st.none() | st.dates(date(2000, 1, 1), date(2099, 12, 31))),
        company_name=draw(texts),
        orgnr=draw(st.sampled_from(["", "222000-1234", "5560001234"])),
        chart_type=draw(st.sampled_from(["", "BAS2014", "KOMMUNBAS"])),
        currency=draw(st.sampled_from(["", "SEK"])),
        fiscal_years={0: YEAR, -1: PREVIOUS},
        accounts=accounts,
        dimensions=dimensions,
        objects=objects,
        balances=draw(st.lists(st.sampled_from(BALANCE_KINDS).flatmap(balances), max_size=6)),
        budgets=draw(st.lists(balances("PBUDGET"), max_size=3)),
        vouchers=draw(st.lists(vouchers(), max_size=4)),
    )


@settings(max_examples=60, deadline=None)
@given(sie_files(), st.booleans())
def test_round_trip_pc8(sie, checksum):
    data = write_sie(sie, checksum=checksum)
    back = parse_sie(data)
    assert back == sie
    assert back.checksum_verified is (True if checksum else None)


@settings(max_examples=60, deadline=None)
@given(sie_files())
def test_round_trip_latin1(sie):
    data = write_sie(sie).decode("cp437").encode("latin-1")
    back = parse_sie(data)
    assert back == sie
    if any(byte > 127 for byte in data):
        assert back.encoding == "latin-1"
