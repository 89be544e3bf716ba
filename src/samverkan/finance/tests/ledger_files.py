"""Hand-written SIE files for the ledger import tests (bytes as a finance system writes them)."""

from __future__ import annotations

ORGNR = "222000-0018"


def sie(*lines: str, encoding: str = "cp437", newline: str = "\r\n") -> bytes:
    return newline.join(lines).encode(encoding) + newline.encode()


def header(orgnr: str = "2220000018", sietyp: str = "4", rar: bool = True) -> list[str]:
    rows = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        f"#SIETYP {sietyp}",
        '#PROGRAM "Ekonomisystemet" 9.1',
        "#GEN 20240115",
        '#FNAMN "Testförbundet"',
        f"#ORGNR {orgnr}" if orgnr else "",
    ]
    if rar:
        rows += ["#RAR 0 20230101 20231231", "#RAR -1 20220101 20221231"]
    return [r for r in rows if r]


CHART = [
    '#KONTO 1930 "Bank"',
    "#KTYP 1930 T",
    '#KONTO 2440 "Leverantörsskulder"',
    "#KTYP 2440 S",
    '#KONTO 2990 "Upplupna kostnader"',
    '#KONTO 3010 "Medlemsavgifter"',
    "#KTYP 3010 I",
    "#SRU 3010 7410",
    '#KONTO 5010 "Löner"',
    "#KTYP 5010 K",
    '#KONTO 6110 "Kontorsmaterial"',
    '#DIM 1 "Verksamhet"',
    '#DIM 6 "Projekt"',
    '#OBJEKT 1 "81141" "IT"',
    '#OBJEKT 1 "81143" "Kundtjänst"',
    '#OBJEKT 6 "P12" "Växelbyte"',
]


def ledger_4e(*, extra_voucher: bool = False, rename: bool = False, orgnr: str = "2220000018") -> bytes:
    """Year 2023 with IB, two vouchers (one on objects), #PSALDO and #PBUDGET."""
    chart = [c.replace('"Kontorsmaterial"', '"Förbrukningsmaterial"') if rename else c for c in CHART]
    rows = [
        *header(orgnr),
        *chart,
        "#IB 0 1930 100000.00",
        "#IB 0 2440 -40000.00",
        "#IB -1 1930 80000.00",
        "#UB 0 1930 114500.00",
        "#UB -1 1930 100000.00",
        "#RES 0 3010 -20000.00",
        '#PSALDO 0 202303 3010 {1 "81141"} -20000.00',
        '#PBUDGET 0 202301 3010 {1 "81141"} -10000.00',
        '#PBUDGET 0 202302 5010 {1 "81143"} 4000.00',
        '#VER A 1 20230315 "Medlemsavgift Lycksele"',
        "{",
        "#TRANS 1930 {} 20000.00",
        '#TRANS 3010 {1 "81141"} -20000.00 "" "Avgift kv 1"',
        "}",
        '#VER A 2 20230420 "Löner april" 20230421',
        "{",
        '#TRANS 5010 {1 "81143" 6 "P12"} 5500.00',
        "#TRANS 1930 {} -5500.00",
        '#BTRANS 6110 {1 "81143"} 100.00',
        "}",
    ]
    if extra_voucher:
        rows += [
            '#VER B 1 20230601 "Kontorsmaterial"',
            "{",
            '#TRANS 6110 {1 "81141"} 1200.00 20230531',
            "#TRANS 1930 {} -1200.00",
            "#TRANS 6310 {} 300.00",
            "#TRANS 1930 {} -300.00",
            "}",
        ]
    return sie(*rows)


def balances_type1() -> bytes:
    """SIE type 1: year balances only, no vouchers."""
    return sie(
        *header(sietyp="1"),
        '#KONTO 1930 "Bank"',
        '#KONTO 2081 "Eget kapital"',
        '#KONTO 3010 "Medlemsavgifter"',
        '#KONTO 5010 "Löner"',
        "#IB 0 1930 50000.00",
        "#IB 0 2081 -50000.00",
        "#UB 0 1930 60000.00",
        "#UB 0 2081 -50000.00",
        "#RES 0 3010 -30000.00",
        "#RES 0 5010 20000.00",
    )
