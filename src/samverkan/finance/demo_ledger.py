"""The demo's SIE 4E files: Lystkom's ledger 2022 and 2023 (seed 002) and GSN's 2023 (seed 004).

`python -m samverkan.finance.demo_ledger` (or `main()`) writes `finance/data/lystkom_2022.se`,
`lystkom_2023.se` and `gsn_2023.se`; the files are committed and `finance/demo.py` imports them
like any finance system's export. Nothing in the demo types in a report figure: the reports
are computed from these vouchers.

How the figures come out right. Seed 002 prints every figure in tkr, rounded on its own (so
the depreciation is 11 303 in the operating statement and 11 304 in the income statement).
The generator states each printed figure as a window of kronor amounts around it (a linear
expression over a few dozen *leaf amounts*: an activity's sales, staff costs, pensions,
consultants …, each year's purchases, closing balances per account) and lets the seeded
solver in `samverkan.domain.printed_amounts` choose kronor amounts inside every window at
once. The leaf amounts then become ordinary vouchers — customer invoices per activity and
month, salaries, supplier invoices, interest, depreciation per project, equipment purchases
per investment project (dimension 6), loan amortisation, disposals, year-end accruals — and
the closing balances of receivable and liability accounts are reached by the payments.
`verify_lystkom` re-adds the written vouchers and checks every printed figure again.

What cannot be reproduced honestly (seed 002): note 5 prints the accumulated depreciation at
the end of 2022 as −37 094 and at the start of 2023 as −37 093. One amount cannot print as
both; the files keep 2023's opening equal to 2022's closing (−37 094 printed twice) rather
than invent an opening-balance difference. The 11 303/11 304 depreciation pair is real: 11 303
thousand-odd kronor of the depreciation is IT's, a few hundred kronor (the last month of a
small switchboard asset) is Kundtjänst's and prints as 0 in its line.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from samverkan.domain.printed_amounts import Problem, window
from samverkan.domain.sie import SieAccount, SieBalance, SieDimension, SieFile, SieTrans, SieVoucher, write_sie

DATA = Path(__file__).resolve().parent / "data"
SEED = 2023_002
PROGRAM = ("Samverkan demo (ekonomisystemets export)", "1.0")

# Demo orgnrs as the members demo makes them (members/demo.py: demo_orgnr).
LYSTKOM_ORGNR = "222000-4812"
GSN_ORGNR = "212000-0852"

ACTIVITIES = {
    "IT": ("81141", "IT"),
    "KT": ("81143", "Kundtjänst"),
    "REV": ("81145", "Revision"),
    "LK": ("81146", "LYSTKOM"),
}
PROJECTS = {
    "IT3": "IT-utrustning 3 år",
    "IT4": "IT-utrustning 4 år",
    "IT5": "IT-utrustning 5 år",
    "IT6": "IT-utrustning 6 år",
    "FORD": "Fordon",
}
# The project objects (dimension 6) as the ledger numbers them, in the seed's order.
PROJECT_CODES = {"IT3": "9003", "IT4": "9004", "IT5": "9005", "IT6": "9006", "FORD": "9010"}
PROJECT_YEARS = {"IT3": 3, "IT4": 4, "IT5": 5, "IT6": 6, "FORD": 5}
INVESTMENT_BUDGET_2023 = {"IT3": 6_000_000, "IT4": 3_300_000, "IT5": 1_300_000, "IT6": 1_000_000, "FORD": 0}

# Kommun-Bas accounts (type: T asset, S liability, I income, K cost).
ACCOUNTS = {
    "1221": ("Inventarier, IT-utrustning", "T"),
    "1229": ("Ackumulerade avskrivningar inventarier", "T"),
    "1241": ("Bilar och andra transportmedel", "T"),
    "1249": ("Ackumulerade avskrivningar bilar", "T"),
    "1510": ("Kundfordringar", "T"),
    "1640": ("Fordringar avs. mervärdesskatt", "T"),
    "1660": ("F-skatt", "T"),
    "1790": ("Interimsfordringar", "T"),
    "1930": ("Plusgiro", "T"),
    "2010": ("Balanserat resultat", "S"),
    "2350": ("Upplåning i kreditinstitut", "S"),
    "2440": ("Leverantörsskulder", "S"),
    "2510": ("Skatteavräkning och övriga skulder till staten", "S"),
    "2650": ("Skuld avs mervärdesskatt", "S"),
    "2710": ("Källskatt och diverse avdrag", "S"),
    "2740": ("Upplupen pensionskostnad, individuell del", "S"),
    "2820": ("Skuld till anställda", "S"),
    "2890": ("Övriga korta skulder", "S"),
    "2940": ("Upplupna sociala avgifter", "S"),
    "2990": ("Upplupna kostnader och förutbetalda intäkter", "S"),
    "3031": ("Försäljning IT-tjänster till medlemmar", "I"),
    "3032": ("Försäljning kundtjänst och växel", "I"),
    "3039": ("Övriga försäljningsintäkter", "I"),
    "3410": ("Bidrag från staten", "I"),
    "4110": ("Varor och material", "K"),
    "4610": ("Entreprenader och konsulttjänster", "K"),
    "5110": ("Löner månadsavlönade", "K"),
    "5610": ("Arbetsgivaravgifter", "K"),
    "5710": ("Pensionskostnader inkl. särskild löneskatt", "K"),
    "5810": ("Övriga personalkostnader", "K"),
    "6110": ("Hyra av lokaler", "K"),
    "6210": ("Hyra och leasing av fordon och maskiner", "K"),
    "6410": ("Licenser och programvara", "K"),
    "6510": ("Tele- och datakommunikation", "K"),
    "7010": ("Övriga främmande tjänster", "K"),
    "7810": ("Avskrivningar inventarier", "K"),
    "7820": ("Avskrivningar bilar", "K"),
    "8010": ("Medlemsavgifter från övriga kommuner", "I"),
    "8510": ("Räntekostnader", "K"),
}
SALES_ACCOUNT = {"IT": "3031", "KT": "3032", "LK": "3039"}
RECEIVABLES = ("1510", "1640", "1660", "1790")
SHORT_TERM = ("2440", "2650", "2510", "2710", "2740", "2820", "2940", "2990", "2890")

# fmt: off
# Seed 002, driftredovisning (tkr): (budget, outcome, deviation = budget − outcome) per line.
# Kundtjänst's depreciation 2023 is not in the seed: a few hundred kronor, printed 0.
OPERATING: dict[int, dict[str, dict[str, tuple[int, int, int]]]] = {
    2023: {
        "IT": {"income": (34751, 36207, -1456), "staff": (-10769, -10430, -338), "other": (-11516, -12506, 990),
               "dep": (-11768, -11303, -465), "total": (698, 1968, -1269)},
        "KT": {"income": (7679, 7110, 569), "staff": (-5644, -5493, -151), "other": (-1932, -1885, -46),
               "dep": (0, 0, 0), "total": (103, -269, 371)},
        "REV": {"staff": (-20, -12, -8), "other": (-160, -155, -5), "total": (-180, -167, -13)},
        "LK": {"income": (1057, 1395, -338), "staff": (-687, -1041, 355), "other": (-180, -510, 330),
               "total": (191, -156, 347)},
        "TOTAL": {"total": (812, 1376, -564)},
    },
    2022: {
        "IT": {"income": (34273, 32810, 1463), "staff": (-9803, -9515, -289), "other": (-11389, -10895, -494),
               "dep": (-12400, -11086, -1314), "total": (680, 1315, -634)},
        "KT": {"income": (6807, 7020, -212), "staff": (-4748, -4813, 65), "other": (-1924, -2131, 207),
               "total": (136, 76, 60)},
        "REV": {"staff": (0, -19, 19), "other": (-174, -155, -19), "total": (-174, -174, 0)},
        "LK": {"income": (1224, 1320, -97), "staff": (-872, -843, -29), "other": (-177, -252, 75),
               "total": (174, 224, -50)},
        "TOTAL": {"total": (816, 1441, -624)},
    },
}

# Leaf categories of the outcome (magnitudes) per activity and year, with a starting guess in
# tkr; the solver moves them into the printed windows. `grant` is KT's state grant in 2022;
# KT's `dep` 2023 is the last month of a small switchboard asset (kronor, prints 0).
OUTCOME_START: dict[int, dict[str, dict[str, float]]] = {
    2023: {
        "IT": {"sales": 36207, "pension": 1360, "staff": 9070, "cons": 1100, "rent": 2200, "mat": 700,
               "misc": 8296, "interest": 210, "dep": 11303.3},
        "KT": {"sales": 7110, "pension": 700, "staff": 4793, "cons": 100, "rent": 704, "mat": 150, "misc": 931,
               "dep": 0.4},
        "REV": {"staff": 12, "misc": 155},
        "LK": {"sales": 585, "fees": 810, "pension": 149, "staff": 892, "cons": 277, "mat": 52, "misc": 181},
    },
    2022: {
        "IT": {"sales": 32810, "pension": 430, "staff": 9085, "cons": 1200, "rent": 1800, "mat": 650,
               "misc": 7154, "interest": 91, "dep": 11086},
        "KT": {"sales": 6945, "grant": 75, "pension": 220, "staff": 4593, "cons": 80, "rent": 631, "mat": 170,
               "misc": 1250},
        "REV": {"staff": 19, "misc": 155},
        "LK": {"sales": 530, "fees": 790, "pension": 48, "staff": 795, "cons": 193, "mat": 39, "misc": 20},
    },
}
INCOME_CATS = ("sales", "grant", "fees")
STAFF_CATS = ("pension", "staff")
OTHER_CATS = ("cons", "rent", "mat", "misc", "interest")
BUDGET_START: dict[int, dict[str, dict[str, float]]] = {
    2023: {
        "IT": {"sales": 34751, "staff": 10769, "other": 11346, "interest": 170, "dep": 11768},
        "KT": {"sales": 7679, "staff": 5644, "other": 1932},
        "REV": {"staff": 20, "other": 160},
        "LK": {"sales": 267, "fees": 790, "staff": 687, "other": 180},
    },
    2022: {
        "IT": {"sales": 34273, "staff": 9803, "other": 11289, "interest": 100, "dep": 12400},
        "KT": {"sales": 6807, "staff": 4748, "other": 1924},
        "REV": {"other": 174},
        "LK": {"sales": 434, "fees": 790, "staff": 872, "other": 177},
    },
}

# Income statement and notes 1–4 (tkr).
INCOME_STATEMENT = {
    2023: {"op_income": 43902, "op_exp": -31822, "dep": -11304, "net": 776, "fees": 810, "op_res": 1586,
           "fin": -210, "result": 1376},
    2022: {"op_income": 40360, "op_exp": -28532, "dep": -11086, "net": 742, "fees": 790, "op_res": 1532,
           "fin": -91, "result": 1441},
}
NOTE_1_2 = {
    2023: {"sales": 43902, "grant": 0, "staff": 16976, "pension": 2209, "cons": 1477, "rent": 2904, "mat": 902,
           "misc": 9564, "other": 14847},
    2022: {"sales": 40285, "grant": 75, "staff": 15190, "pension": 698, "cons": 1473, "rent": 2431, "mat": 859,
           "misc": 8580, "other": 13342},
}
BUDGET_NOTES_2023 = {"sales": 42697, "staff": 17119, "other": 13617, "costs": 30737, "fees": 790, "interest": 170,
                     "dep": 11768}
# Balance-sheet figures per year end (tkr); 2021 = the opening balances of 2022.
NOTE_6 = {
    2023: {"1510": 966, "1640": 0, "1660": 126, "1790": 4189},
    2022: {"1510": 376, "1640": 461, "1660": 164, "1790": 4040},
}
NOTE_10 = {
    2023: {"2440": 6351, "2650": 600, "2510": 530, "2710": 240, "2740": 407, "2820": 1207, "2940": 294, "2990": 22,
           "2890": 0},
    2022: {"2440": 5101, "2650": 0, "2510": 340, "2710": 230, "2740": 422, "2820": 1384, "2940": 278, "2990": 442,
           "2890": 11},
}
START_2021 = {  # not printed per account, only the totals (receivables 4 371, liabilities 9 535)
    "1510": 412, "1640": 285, "1660": 150, "1790": 3524,
    "2440": 6150, "2650": 0, "2510": 410, "2710": 225, "2740": 395, "2820": 1300, "2940": 270, "2990": 760, "2890": 25,
}
BALANCE = {
    2023: {"bv": 20787, "rec": 5281, "cash": 5995, "current": 11276, "assets": 32063, "equity": 6413, "ltl": 16000,
           "stl": 9651, "liabilities": 25651},
    2022: {"bv": 22861, "rec": 5041, "cash": 3342, "current": 8384, "assets": 31245, "equity": 5037, "ltl": 18000,
           "stl": 8208, "liabilities": 26208},
    2021: {"rec": 4371, "cash": 5187, "equity": 3596, "ltl": 18000, "stl": 9535},
}
NOTE_5 = {
    2023: {"cost_open": 59955, "purchases": 9229, "disposals": -15181, "cost_close": 54003, "dep_year": -11304,
           "dep_close": -33216, "inventory": 20576, "vehicles": 211},
    2022: {"cost_open": 47581, "purchases": 12374, "cost_close": 59955, "dep_open": -26008, "dep_year": -11086,
           "dep_close": -37094, "inventory": 22815, "vehicles": 46},
}
CASH_FLOW = {
    2023: {"before": 12680, "rec": -240, "stl": 1443, "ops": 13883, "inv": -9229, "fin": -2000, "year": 2653},
    2022: {"before": 12526, "rec": -670, "stl": -1327, "ops": 10530, "inv": -12374, "fin": 0, "year": -1845},
}
# fmt: on
INVESTMENTS_2023 = {"IT3": 4600, "IT4": 3165, "IT5": 302, "IT6": 985, "FORD": 177}
LOANS = {2021: 18_000_000, 2022: 18_000_000, 2023: 16_000_000}
RESULT_2021 = 1688  # balance requirement 2021 (seed 002)

# The service car: an old one (cost 61 000, 10 years from July 2020) and one bought in
# November 2023 (5 years). Fixed amounts, so "varav fordon" is 46 / 211 tkr.
OLD_CAR = (61_000, 508)  # cost, depreciation per month (kr)
NEW_CAR = (177_250, 2_954, date(2023, 11, 2))


def _t(value: float) -> int:
    """Tkr → kronor."""
    return round(value * 1000)


def _expr(*terms: tuple[str, int] | Mapping[str, int]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for term in terms:
        items = term.items() if isinstance(term, Mapping) else [term]
        for name, coef in items:
            out[name] += coef
    return {k: v for k, v in out.items() if v}


def _neg(expr: Mapping[str, int]) -> dict[str, int]:
    return {k: -v for k, v in expr.items()}


def _out(year: int, act: str, cat: str) -> str:
    return f"{year}.out.{act}.{cat}"


def _bud(year: int, act: str, cat: str) -> str:
    return f"{year}.bud.{act}.{cat}"


# --------------------------------------------------------------------------------------------
# Lystkom: the problem


@dataclass
class LystkomModel:
    problem: Problem
    outcome_lines: dict[tuple[int, str, str], dict[str, int]] = field(default_factory=dict)
    budget_lines: dict[tuple[int, str, str], dict[str, int]] = field(default_factory=dict)
    exprs: dict[str, dict[str, int]] = field(default_factory=dict)


def _operating_line_exprs(model: LystkomModel, year: int) -> None:
    p = model.problem
    for act, cats in OUTCOME_START[year].items():
        for cat, start in cats.items():
            low = 1 if (act == "KT" and cat == "dep") else 0
            p.var(_out(year, act, cat), _t(start), low, None)
        lines = {
            "income": _expr(*[(_out(year, act, c), 1) for c in INCOME_CATS if c in cats]),
            "staff": _expr(*[(_out(year, act, c), -1) for c in STAFF_CATS if c in cats]),
            "other": _expr(*[(_out(year, act, c), -1) for c in OTHER_CATS if c in cats]),
            "dep": _expr(*[(_out(year, act, c), -1) for c in ("dep",) if c in cats]),
        }
        for line, expr in lines.items():
            if expr:
                model.outcome_lines[(year, act, line)] = expr
    for act, cats in BUDGET_START[year].items():
        for cat, start in cats.items():
            p.var(_bud(year, act, cat), _t(start), 0, None)
        lines = {
            "income": _expr(*[(_bud(year, act, c), 1) for c in ("sales", "fees") if c in cats]),
            "staff": _expr(*[(_bud(year, act, c), -1) for c in ("staff",) if c in cats]),
            "other": _expr(*[(_bud(year, act, c), -1) for c in ("other", "interest") if c in cats]),
            "dep": _expr(*[(_bud(year, act, c), -1) for c in ("dep",) if c in cats]),
        }
        for line, expr in lines.items():
            if expr:
                model.budget_lines[(year, act, line)] = expr


def _operating_constraints(model: LystkomModel, year: int) -> None:
    p = model.problem
    total_b: dict[str, int] = {}
    total_o: dict[str, int] = {}
    for act, rows in OPERATING[year].items():
        if act == "TOTAL":
            continue
        act_b: dict[str, int] = {}
        act_o: dict[str, int] = {}
        for line, (budget, outcome, deviation) in rows.items():
            if line == "total":
                continue
            b = model.budget_lines.get((year, act, line), {})
            o = model.outcome_lines.get((year, act, line), {})
            assert o or b, (year, act, line)
            p.printed(f"{year} {act} {line} budget", b, budget)
            p.printed(f"{year} {act} {line} utfall", o, outcome)
            p.printed(f"{year} {act} {line} avvikelse", _expr(b, _neg(o)), deviation)
            act_b, act_o = _expr(act_b, b), _expr(act_o, o)
        for key in list(model.outcome_lines) + list(model.budget_lines):
            if key[0] == year and key[1] == act:
                assert key[2] in rows, f"{key} has amounts but no printed line"
        budget, outcome, deviation = rows["total"]
        p.printed(f"{year} {act} budget", act_b, budget)
        p.printed(f"{year} {act} utfall", act_o, outcome)
        p.printed(f"{year} {act} avvikelse", _expr(act_b, _neg(act_o)), deviation)
        total_b, total_o = _expr(total_b, act_b), _expr(total_o, act_o)
    budget, outcome, deviation = OPERATING[year]["TOTAL"]["total"]
    p.printed(f"{year} TOTALT budget", total_b, budget)
    p.printed(f"{year} TOTALT utfall", total_o, outcome)
    p.printed(f"{year} TOTALT avvikelse", _expr(total_b, _neg(total_o)), deviation)
    model.exprs[f"result{year}"] = total_o


def _cat_sum(year: int, cats: Iterable[str], sign: int = 1, kind: str = "out") -> dict[str, int]:
    source = OUTCOME_START if kind == "out" else BUDGET_START
    name = _out if kind == "out" else _bud
    return _expr(*[(name(year, act, c), sign) for act, have in source[year].items() for c in cats if c in have])


def _income_statement(model: LystkomModel, year: int) -> None:
    p = model.problem
    figures = INCOME_STATEMENT[year]
    op_income = _cat_sum(year, ("sales", "grant"))
    op_exp = _cat_sum(year, ("pension", "staff", "cons", "rent", "mat", "misc"), -1)
    dep = _cat_sum(year, ("dep",), -1)
    net = _expr(op_income, op_exp, dep)
    fees = _cat_sum(year, ("fees",))
    fin = _cat_sum(year, ("interest",), -1)
    for key, expr in {
        "op_income": op_income,
        "op_exp": op_exp,
        "dep": dep,
        "net": net,
        "fees": fees,
        "op_res": _expr(net, fees),
        "fin": fin,
        "result": _expr(net, fees, fin),
    }.items():
        p.printed(f"{year} RR {key}", expr, figures[key])
    model.exprs[f"dep{year}"] = _neg(dep)
    notes = NOTE_1_2[year]
    for cat in ("sales", "grant", "pension", "cons", "rent", "mat", "misc"):
        p.printed(f"{year} not {cat}", _cat_sum(year, (cat,)), notes[cat])
    p.printed(f"{year} not personal", _cat_sum(year, STAFF_CATS), notes["staff"])
    p.printed(f"{year} not övriga", _cat_sum(year, ("cons", "rent", "mat", "misc")), notes["other"])
    if year == 2023:
        b = BUDGET_NOTES_2023
        p.printed("2023 budget intäkter", _cat_sum(year, ("sales",), kind="bud"), b["sales"])
        p.printed("2023 budget personal", _cat_sum(year, ("staff",), kind="bud"), b["staff"])
        p.printed("2023 budget övriga", _cat_sum(year, ("other",), kind="bud"), b["other"])
        p.printed("2023 budget kostnader", _cat_sum(year, ("staff", "other"), kind="bud"), b["costs"])
        p.printed("2023 budget avgifter", _cat_sum(year, ("fees",), kind="bud"), b["fees"])
        p.printed("2023 budget räntor", _cat_sum(year, ("interest",), kind="bud"), b["interest"])
        p.printed("2023 budget avskrivningar", _cat_sum(year, ("dep",), kind="bud"), b["dep"])


def _balance_constraints(model: LystkomModel) -> None:
    p = model.problem
    # Year-end balances (natural sign: assets and liabilities positive).
    for year, start in ((2021, START_2021), (2022, NOTE_6[2022] | NOTE_10[2022]), (2023, NOTE_6[2023] | NOTE_10[2023])):
        for account in (*RECEIVABLES, *SHORT_TERM):
            value = start[account]
            fixed = year > 2021 and value == 0
            p.var(f"{year}.bal.{account}", _t(value), 0, 0 if fixed else None)
    p.var("2021.bal.equity", _t(3596))
    p.var("2021.bal.cost_it", _t(47581) - OLD_CAR[0])
    p.var("2021.bal.dep_it", _t(26008) - 18 * OLD_CAR[1])
    p.var("2022.purchases", _t(12374), 0)
    for project, outcome in INVESTMENTS_2023.items():
        if project == "FORD":
            continue
        p.var(f"2023.purchases.{project}", _t(outcome), 0)
    p.var("2023.disposals", _t(15181), 0)

    car_cost = {2021: OLD_CAR[0], 2022: OLD_CAR[0], 2023: OLD_CAR[0] + NEW_CAR[0]}
    car_acc = {2021: 18 * OLD_CAR[1], 2022: 30 * OLD_CAR[1], 2023: 42 * OLD_CAR[1] + 2 * NEW_CAR[1]}
    # Constants enter expressions through a fixed variable (kronor).
    p.var("one", 1, 1, 1)

    def const(amount: int) -> dict[str, int]:
        return {"one": amount} if amount else {}

    purchases = {
        2022: {"2022.purchases": 1},
        2023: _expr(*[(f"2023.purchases.{k}", 1) for k in INVESTMENTS_2023 if k != "FORD"], const(NEW_CAR[0])),
    }
    cost = {2021: _expr(("2021.bal.cost_it", 1), const(OLD_CAR[0]))}
    acc = {2021: _expr(("2021.bal.dep_it", 1), const(car_acc[2021]))}
    cost[2022] = _expr(cost[2021], purchases[2022])
    acc[2022] = _expr(acc[2021], model.exprs["dep2022"])
    cost[2023] = _expr(cost[2022], purchases[2023], ("2023.disposals", -1))
    acc[2023] = _expr(acc[2022], model.exprs["dep2023"], ("2023.disposals", -1))
    model.exprs.update({f"cost{y}": e for y, e in cost.items()} | {f"acc{y}": e for y, e in acc.items()})

    equity = {2021: {"2021.bal.equity": 1}}
    equity[2022] = _expr(equity[2021], model.exprs["result2022"])
    equity[2023] = _expr(equity[2022], model.exprs["result2023"])
    cash: dict[int, dict[str, int]] = {}
    rec: dict[int, dict[str, int]] = {}
    stl: dict[int, dict[str, int]] = {}
    for year in (2021, 2022, 2023):
        rec[year] = _expr(*[(f"{year}.bal.{a}", 1) for a in RECEIVABLES])
        stl[year] = _expr(*[(f"{year}.bal.{a}", 1) for a in SHORT_TERM])
        bv = _expr(cost[year], _neg(acc[year]))
        cash[year] = _expr(equity[year], const(LOANS[year]), stl[year], _neg(bv), _neg(rec[year]))
        model.exprs[f"cash{year}"] = cash[year]
        figures = BALANCE[year]
        p.printed(f"{year} fordringar", rec[year], figures["rec"])
        p.printed(f"{year} kassa", cash[year], figures["cash"])
        p.printed(f"{year} eget kapital", equity[year], figures["equity"])
        p.printed(f"{year} kortfristiga skulder", stl[year], figures["stl"])
        if year == 2021:
            p.printed("2021 anskaffningsvärde", cost[year], 47581)
            p.printed("2021 ack avskrivningar", _neg(acc[year]), -26008)
            continue
        p.printed(f"{year} maskiner och inventarier", bv, figures["bv"])
        p.printed(f"{year} omsättningstillgångar", _expr(rec[year], cash[year]), figures["current"])
        assets = _expr(bv, rec[year], cash[year])
        p.printed(f"{year} summa tillgångar", assets, figures["assets"])
        p.printed(f"{year} summa skulder", _expr(const(LOANS[year]), stl[year]), figures["liabilities"])
        p.printed(
            f"{year} summa eget kapital och skulder",
            _expr(equity[year], const(LOANS[year]), stl[year]),
            figures["assets"],
        )
        for account in RECEIVABLES:
            p.printed(f"{year} not 6 {account}", {f"{year}.bal.{account}": 1}, NOTE_6[year][account])
        for account in SHORT_TERM:
            p.printed(f"{year} not 10 {account}", {f"{year}.bal.{account}": 1}, NOTE_10[year][account])
        note5 = NOTE_5[year]
        p.printed(f"{year} not 5 inköp", purchases[year], note5["purchases"])
        p.printed(f"{year} not 5 UB anskaffning", cost[year], note5["cost_close"])
        p.printed(f"{year} not 5 IB anskaffning", cost[year - 1], note5["cost_open"])
        p.printed(f"{year} not 5 UB ack", _neg(acc[year]), note5["dep_close"])
        car_bv = car_cost[year] - car_acc[year]
        p.printed(f"{year} not 5 varav inventarier", _expr(bv, const(-car_bv)), note5["inventory"])
        assert window(note5["vehicles"], 1000)[0] <= car_bv <= window(note5["vehicles"], 1000)[1], car_bv
        # Cash-flow statement (indirect method).
        flows = CASH_FLOW[year]
        result, dep = model.exprs[f"result{year}"], model.exprs[f"dep{year}"]
        d_rec = _expr(rec[year], _neg(rec[year - 1]))
        d_stl = _expr(stl[year], _neg(stl[year - 1]))
        before = _expr(result, dep)
        p.printed(f"{year} KF före rörelsekapital", before, flows["before"])
        p.printed(f"{year} KF fordringar", _neg(d_rec), flows["rec"])
        p.printed(f"{year} KF kortfristiga skulder", d_stl, flows["stl"])
        p.printed(f"{year} KF drift", _expr(before, _neg(d_rec), d_stl), flows["ops"])
        p.printed(f"{year} KF investeringar", _neg(purchases[year]), flows["inv"])
        p.printed(f"{year} KF året", _expr(cash[year], _neg(cash[year - 1])), flows["year"])
        assert LOANS[year] - LOANS[year - 1] == _t(flows["fin"])
    p.printed("2022 not 5 IB ack", _neg(acc[2021]), NOTE_5[2022]["dep_open"])
    p.printed("2023 not 5 utrangering", {"2023.disposals": -1}, NOTE_5[2023]["disposals"])
    for project, outcome in INVESTMENTS_2023.items():
        if project != "FORD":
            p.printed(f"investering {project}", {f"2023.purchases.{project}": 1}, outcome)
            budget = INVESTMENT_BUDGET_2023[project] // 1000
            p.printed(
                f"investering {project} avvikelse",
                _expr(const(INVESTMENT_BUDGET_2023[project]), (f"2023.purchases.{project}", -1)),
                budget - outcome,
            )
    p.printed("investering totalt", purchases[2023], sum(INVESTMENTS_2023.values()))
    p.printed("investering avvikelse", _expr(const(sum(INVESTMENT_BUDGET_2023.values())), _neg(purchases[2023])), 2371)
    p.printed("investering fordon", const(NEW_CAR[0]), INVESTMENTS_2023["FORD"])
    # The 2021 result (balance requirement 2021) is part of the 2021 equity; shown through #RES -1.


def lystkom_problem() -> LystkomModel:
    model = LystkomModel(Problem.new(1000))
    for year in (2022, 2023):
        _operating_line_exprs(model, year)
        _operating_constraints(model, year)
        _income_statement(model, year)
    _balance_constraints(model)
    _jitter(model.problem, random.Random(SEED))
    return model


def _jitter(problem: Problem, rng: random.Random) -> None:
    """Start every free amount a few hundred kronor off its round figure, so the solver's
    nearest solution is in kronor, not in round thousands."""
    spread = problem.unit * 42 // 100
    for name in sorted(problem.start):
        low, high = problem.bounds[name]
        if low != high and problem.start[name] >= 1000:
            problem.start[name] += rng.randint(-spread, spread)


def solve_lystkom() -> tuple[LystkomModel, dict[str, int]]:
    model = lystkom_problem()
    return model, model.problem.solve()


# --------------------------------------------------------------------------------------------
# Vouchers


Objects = tuple[tuple[int, str], ...]


def act_obj(act: str, project: str | None = None) -> Objects:
    objects: Objects = ((1, ACTIVITIES[act][0]),)
    return (*objects, (6, PROJECT_CODES[project])) if project else objects


def proj_obj(project: str) -> Objects:
    return ((6, PROJECT_CODES[project]),)


def split(total: int, weights: Iterable[float]) -> list[int]:
    """`total` (öre) in parts proportional to `weights` that add up exactly (largest remainder)."""
    weights = list(weights)
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    parts = [int(r) for r in raw]
    rest = total - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]) * (1 if rest >= 0 else -1), i))
    for i in order[: abs(rest)]:
        parts[i] += 1 if rest > 0 else -1
    return parts


def month_weights(rng: random.Random, base: Iterable[float] | None = None, spread: float = 0.08) -> list[float]:
    base = list(base) if base is not None else [1.0] * 12
    return [b * (1 + rng.uniform(-spread, spread)) for b in base]


SALARY_MONTHS = [1, 1, 1, 1, 1, 1.05, 1.35, 0.7, 1, 1, 1, 1]  # June holiday pay, July few extra hours
SALES_MONTHS = [0.95, 1, 1.05, 1, 1, 1, 0.8, 0.9, 1.05, 1.1, 1.05, 1.05]


@dataclass
class Book:
    """One year of vouchers; sums per account as they are added."""

    year: int
    opening: dict[str, int]  # öre, SIE sign
    vouchers: list[tuple[date, str, str, list[tuple[str, Objects, int]]]] = field(default_factory=list)
    sums: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_object: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def add(self, day: date, series: str, text: str, rows: Iterable[tuple[str, Objects, int]]) -> None:
        kept = [row for row in rows if row[2]]
        if not kept:
            return
        assert sum(row[2] for row in kept) == 0, (text, kept)
        assert day.year == self.year, (day, text)
        self.vouchers.append((day, series, text, kept))
        for account, objects, amount in kept:
            self.sums[account] += amount
            activity = dict(objects).get(1, "")
            self.by_object[(account, activity)] += amount

    def balance(self, account: str) -> int:
        return self.opening.get(account, 0) + self.sums.get(account, 0)

    def closing(self) -> dict[str, int]:
        accounts = set(self.opening) | set(self.sums)
        return {a: self.balance(a) for a in sorted(accounts) if ACCOUNTS[a][1] in "TS"}


def _last_day(year: int, month: int) -> date:
    return date(year, 12, 31) if month == 12 else date(year, month + 1, 1) - timedelta(days=1)


MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def result_accounts(year: int, x: Mapping[str, int]) -> dict[tuple[str, str], int]:
    """(account, activity) → öre, SIE sign, from the solved leaf amounts (kronor)."""
    out: dict[tuple[str, str], int] = defaultdict(int)

    def put(account: str, act: str, ore: int, income: bool = False) -> None:
        if ore:
            out[(account, act)] += -ore if income else ore

    for act, cats in OUTCOME_START[year].items():
        for cat in cats:
            ore = x[_out(year, act, cat)] * 100
            if cat == "sales":
                put(SALES_ACCOUNT[act], act, ore, income=True)
            elif cat == "grant":
                put("3410", act, ore, income=True)
            elif cat == "fees":
                put("8010", act, ore, income=True)
            elif cat == "pension":
                put("5710", act, ore)
            elif cat == "staff":
                shares = [0.755, 0.235] if act == "REV" else [0.74, 0.23, 0.03]
                for account, part in zip(("5110", "5610", "5810"), split(ore, shares), strict=False):
                    put(account, act, part)
            elif cat == "cons":
                put("4610", act, ore)
            elif cat == "mat":
                put("4110", act, ore)
            elif cat == "rent":
                for account, part in zip(("6110", "6210"), split(ore, [0.72, 0.28]), strict=True):
                    put(account, act, part)
            elif cat == "misc":
                accounts, shares = {
                    "REV": (("7010",), [1.0]),
                    "LK": (("6510", "7010"), [0.3, 0.7]),
                }.get(act, (("6410", "6510", "7010"), [0.45, 0.3, 0.25]))
                for account, part in zip(accounts, split(ore, shares), strict=True):
                    put(account, act, part)
            elif cat == "interest":
                put("8510", act, ore)
            elif cat == "dep":
                car = _car_depreciation(year) if act == "IT" else 0
                put("7810", act, ore - car)
                put("7820", act, car)
    return dict(out)


def budget_accounts(year: int, x: Mapping[str, int]) -> dict[tuple[str, str], int]:
    """(account, activity) → whole kronor of the year's budget, SIE sign."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    other_accounts = {
        "IT": (("4110", "4610", "6110", "6210", "6410", "6510", "7010"), [0.05, 0.1, 0.13, 0.05, 0.35, 0.2, 0.12]),
        "KT": (("4110", "4610", "6110", "6210", "6410", "6510", "7010"), [0.08, 0.05, 0.27, 0.1, 0.2, 0.2, 0.1]),
        "REV": (("7010",), [1.0]),
        "LK": (("4610", "6510", "7010"), [0.5, 0.1, 0.4]),
    }
    for act, cats in BUDGET_START[year].items():
        for cat in cats:
            kr = x[_bud(year, act, cat)]
            if cat == "sales":
                out[(SALES_ACCOUNT[act], act)] -= kr
            elif cat == "fees":
                out[("8010", act)] -= kr
            elif cat == "staff":
                for account, part in zip(
                    ("5110", "5610", "5710", "5810"), split(kr, [0.64, 0.2, 0.13, 0.03]), strict=True
                ):
                    out[(account, act)] += part
            elif cat == "other":
                accounts, shares = other_accounts[act]
                for account, part in zip(accounts, split(kr, shares), strict=True):
                    out[(account, act)] += part
            elif cat == "interest":
                out[("8510", act)] += kr
            elif cat == "dep":
                out[("7810", act)] += kr
    return {k: v for k, v in out.items() if v}


def _car_depreciation(year: int) -> int:
    """Öre."""
    months_new = 2 if year == 2023 else 0
    return (12 * OLD_CAR[1] + months_new * NEW_CAR[1]) * 100


def balances_at(year_end: int, x: Mapping[str, int]) -> dict[str, int]:
    """Balance accounts at the end of `year_end` (2021, 2022, 2023), öre, SIE sign."""
    out: dict[str, int] = {}
    for account in RECEIVABLES:
        out[account] = x[f"{year_end}.bal.{account}"] * 100
    for account in SHORT_TERM:
        out[account] = -x[f"{year_end}.bal.{account}"] * 100
    out["2350"] = -LOANS[year_end] * 100
    return out


@dataclass(frozen=True)
class YearPlan:
    year: int
    opening: dict[str, int]
    targets: dict[str, int]  # receivables and short-term liabilities at the year's end
    results: dict[tuple[str, str], int]
    purchases: dict[str, int]  # project → öre
    disposals: int  # öre
    amortisation: int  # öre


def build_book(plan: YearPlan, rng: random.Random) -> Book:
    year = plan.year
    book = Book(year, dict(plan.opening))
    remaining = dict(plan.results)  # what the ordinary monthly vouchers still have to carry

    def fixed(day: date, series: str, text: str, rows: list[tuple[str, Objects, int]]) -> None:
        book.add(day, series, text, rows)
        for account, objects, amount in rows:
            if ACCOUNTS[account][1] in "IK":
                act = next(a for a, (code, _n) in ACTIVITIES.items() if code == dict(objects)[1])
                remaining[(account, act)] = remaining.get((account, act), 0) - amount

    jan2, dec31 = date(year, 1, 2), date(year, 12, 31)
    it = act_obj("IT")
    # Year-end accruals of last year reversed, this year's booked (against IT's costs).
    ib_prepaid, ib_accrued = plan.opening.get("1790", 0), plan.opening.get("2990", 0)
    fixed(jan2, "M", "Återföring förutbetalda licenskostnader", [("6410", it, ib_prepaid), ("1790", (), -ib_prepaid)])
    fixed(jan2, "M", "Återföring upplupna kostnader", [("2990", (), -ib_accrued), ("7010", it, ib_accrued)])
    fixed(
        dec31,
        "M",
        "Förutbetalda licenskostnader",
        [("1790", (), plan.targets["1790"]), ("6410", it, -plan.targets["1790"])],
    )
    fixed(dec31, "M", "Upplupna kostnader", [("7010", it, -plan.targets["2990"]), ("2990", (), plan.targets["2990"])])
    change = plan.targets["2820"] - plan.opening.get("2820", 0)
    fixed(dec31, "M", "Förändring semesterlöneskuld", [("5110", it, -change), ("2820", (), change)])
    # Settlements with the state and others: last year's balances settled, this year's booked.
    for account, text in (
        ("1640", "mervärdesskatt"),
        ("1660", "F-skatt"),
        ("2650", "mervärdesskatt"),
        ("2510", "skatteavräkning"),
        ("2890", "övriga korta skulder"),
    ):
        ib = plan.opening.get(account, 0)
        book.add(date(year, 2, 12), "B", f"Avräkning {text} föregående år", [(account, (), -ib), ("1930", (), ib)])
        ub = plan.targets[account]
        book.add(dec31, "M", f"Avräkning {text} december", [(account, (), ub), ("1930", (), -ub)])

    # Depreciation per project and month; the service cars; Kundtjänst's small switchboard asset.
    dep_it = remaining.pop(("7810", "IT"), 0)
    car = remaining.pop(("7820", "IT"), 0)
    per_project = dict(zip(("IT3", "IT4", "IT5", "IT6"), split(dep_it, [0.36, 0.33, 0.18, 0.13]), strict=True))
    monthly = {p: split(a, [1] * 12) for p, a in per_project.items()}
    car_months = [OLD_CAR[1] * 100] * 12
    if year == 2023:
        car_months[10] += NEW_CAR[1] * 100
        car_months[11] += NEW_CAR[1] * 100
    assert sum(car_months) == car
    for m in range(12):
        rows: list[tuple[str, Objects, int]] = []
        for project, amounts in monthly.items():
            rows += [("7810", act_obj("IT", project), amounts[m]), ("1229", proj_obj(project), -amounts[m])]
        rows += [("7820", act_obj("IT", "FORD"), car_months[m]), ("1249", proj_obj("FORD"), -car_months[m])]
        book.add(_last_day(year, m + 1), "M", f"Avskrivningar {MONTHS[m]} {year}", rows)
    small = remaining.pop(("7810", "KT"), 0)
    if small:
        book.add(
            date(year, 1, 31),
            "M",
            "Avskrivning växelutrustning kundtjänst, sista månaden",
            [("7810", act_obj("KT", "IT5"), small), ("1229", proj_obj("IT5"), -small)],
        )

    # Investments: supplier invoices per project.
    for project, total in plan.purchases.items():
        if project == "FORD":
            book.add(
                NEW_CAR[2],
                "A",
                "Servicebil (leverantörsfaktura)",
                [("1241", proj_obj("FORD"), total), ("2440", (), -total)],
            )
            continue
        count = rng.randint(4, 9)
        months = sorted(rng.sample(range(1, 13), count))
        for month, amount in zip(months, split(total, month_weights(rng, [1] * count, 0.5)), strict=True):
            day = date(year, month, rng.randint(3, 26))
            book.add(
                day,
                "A",
                f"{PROJECTS[project]}: inköp (leverantörsfaktura)",
                [("1221", proj_obj(project), amount), ("2440", (), -amount)],
            )
    if plan.disposals:
        parts = split(plan.disposals, [0.71, 0.29])
        for project, amount in zip(("IT3", "IT4"), parts, strict=True):
            book.add(
                dec31,
                "M",
                f"Utrangering fullt avskrivna inventarier, {PROJECTS[project]}",
                [("1229", proj_obj(project), amount), ("1221", proj_obj(project), -amount)],
            )
    for month in (6, 12):
        if plan.amortisation:
            half = plan.amortisation // 2
            book.add(
                _last_day(year, month), "B", "Amortering lån Kommuninvest", [("2350", (), half), ("1930", (), -half)]
            )

    # Interest quarterly, member fees quarterly, the state grant.
    for (account, act), amount in sorted(remaining.items()):
        if account == "8510":
            for q, part in enumerate(split(amount, month_weights(rng, [1] * 4, 0.05))):
                book.add(
                    _last_day(year, 3 * q + 3),
                    "B",
                    "Räntor lån Kommuninvest",
                    [("8510", act_obj(act), part), ("1930", (), -part)],
                )
        elif account == "8010":
            for q, part in enumerate(split(amount, [1] * 4)):
                book.add(
                    date(year, 3 * q + 1, 15),
                    "C",
                    f"Medlemsavgifter kvartal {q + 1}",
                    [("1510", (), -part), ("8010", act_obj(act), part)],
                )
        elif account == "3410":
            book.add(date(year, 3, 20), "D", "Statsbidrag", [("1930", (), -amount), ("3410", act_obj(act), amount)])
    for key in [k for k in remaining if k[0] in ("8510", "8010", "3410")]:
        remaining.pop(key)

    # Monthly: customer invoices per activity, salaries, supplier invoices.
    for account, act in [k for k in sorted(remaining) if k[0].startswith("3")]:
        amounts = split(remaining.pop((account, act)), month_weights(rng, SALES_MONTHS))
        for m, amount in enumerate(amounts):
            book.add(
                date(year, m + 1, 25),
                "C",
                f"Fakturering {ACTIVITIES[act][1]} {MONTHS[m]} {year}",
                [("1510", (), -amount), (account, act_obj(act), amount)],
            )
    salary = {
        act: {
            a: split(remaining.pop((a, act), 0), month_weights(rng, SALARY_MONTHS, 0.02))
            for a in ("5110", "5610", "5710")
        }
        for act in ACTIVITIES
    }
    for m in range(12):
        rows = []
        gross = 0
        for act, accounts in salary.items():
            rows += [(a, act_obj(act), amounts[m]) for a, amounts in accounts.items()]
            gross += accounts["5110"][m]
        tax = gross * 31 // 100
        rows += [
            ("2710", (), -tax),
            ("1930", (), -(gross - tax)),
            ("2940", (), -sum(accounts["5610"][m] for accounts in salary.values())),
            ("2740", (), -sum(accounts["5710"][m] for accounts in salary.values())),
        ]
        book.add(date(year, m + 1, 25), "L", f"Löner {MONTHS[m]} {year}", rows)
    suppliers = {
        "4110": "Varor och material",
        "4610": "Konsulttjänster",
        "5810": "Utbildning och resor",
        "6110": "Lokalhyra",
        "6210": "Fordons- och maskinleasing",
        "6410": "Licenser",
        "6510": "Tele- och datakommunikation",
        "7010": "Övriga tjänster",
    }
    per_account: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for (account, act), amount in sorted(remaining.items()):
        if not amount:
            continue
        assert account in suppliers, account
        assert amount >= 0, (account, act, amount)
        per_account[account][act] = split(amount, month_weights(rng))
    for account, acts in per_account.items():
        for m in range(12):
            rows = [(account, act_obj(act), amounts[m]) for act, amounts in acts.items()]
            total = sum(row[2] for row in rows)
            book.add(
                date(year, m + 1, rng.randint(5, 20)),
                "A",
                f"{suppliers[account]} {MONTHS[m]} (leverantörsfaktura)",
                [*rows, ("2440", (), -total)],
            )

    # Payments: each month pays what is due, steering to the year-end balance.
    for account, series, text in (
        ("1510", "D", "Inbetalningar kunder"),
        ("2440", "B", "Utbetalningar leverantörer"),
        ("2710", "B", "Skattekonto: källskatt"),
        ("2940", "B", "Skattekonto: arbetsgivaravgifter"),
        ("2740", "B", "Pensionspremier KPA"),
    ):
        start, target = plan.opening.get(account, 0), plan.targets[account]
        for m in range(12):
            balance = start + sum(
                amount
                for day, _s, _t, rows in book.vouchers
                if day.month <= m + 1
                for a, _o, amount in rows
                if a == account
            )
            planned = start + (target - start) * (m + 1) // 12
            payment = balance - planned  # what brings the balance to plan
            rows = [(account, (), -payment), ("1930", (), payment)]
            book.add(_last_day(year, m + 1), series, f"{text} {MONTHS[m]}", rows)
    return book


def _result_sum(book: Book) -> int:
    return sum(v for a, v in book.sums.items() if ACCOUNTS[a][1] in "IK")


def lystkom_books(x: Mapping[str, int]) -> dict[int, Book]:
    rng = random.Random(SEED)
    opening = balances_at(2021, x) | {
        "1221": x["2021.bal.cost_it"] * 100,
        "1241": OLD_CAR[0] * 100,
        "1229": -x["2021.bal.dep_it"] * 100,
        "1249": -18 * OLD_CAR[1] * 100,
        "2010": -x["2021.bal.equity"] * 100,
    }
    opening["1930"] = -sum(opening.values())
    books: dict[int, Book] = {}
    for year in (2022, 2023):
        if year == 2022:
            purchases = dict(
                zip(("IT3", "IT4", "IT5", "IT6"), split(x["2022.purchases"] * 100, [0.5, 0.3, 0.12, 0.08]), strict=True)
            )
        else:
            purchases = {p: x[f"2023.purchases.{p}"] * 100 for p in ("IT3", "IT4", "IT5", "IT6")}
            purchases["FORD"] = NEW_CAR[0] * 100
        plan = YearPlan(
            year=year,
            opening={a: v for a, v in opening.items() if v},
            targets=balances_at(year, x),
            results=result_accounts(year, x),
            purchases=purchases,
            disposals=x["2023.disposals"] * 100 if year == 2023 else 0,
            amortisation=(LOANS[year - 1] - LOANS[year]) * 100,
        )
        book = build_book(plan, rng)
        for account in (*RECEIVABLES, *SHORT_TERM, "2350"):
            assert book.balance(account) == plan.targets[account], (year, account)
        books[year] = book
        opening = book.closing()
        opening["2010"] = opening.get("2010", 0) + _result_sum(book)
    return books


def _balance_rows(kind: str, offset: int, amounts: Mapping[str, int]) -> list[SieBalance]:
    return [SieBalance(kind, offset, a, amount_ore=v) for a, v in sorted(amounts.items()) if v]


def _accounts(numbers: Iterable[str]) -> dict[str, SieAccount]:
    return {n: SieAccount(n, ACCOUNTS[n][0], ACCOUNTS[n][1]) for n in sorted(numbers)}


def _vouchers(book: Book, registered_lag: int = 4) -> list[SieVoucher]:
    ordered = sorted(book.vouchers, key=lambda v: (v[0], v[1]))
    numbers: dict[str, int] = defaultdict(int)
    out = []
    for day, series, text, rows in ordered:
        numbers[series] += 1
        out.append(
            SieVoucher(
                series=series,
                number=str(numbers[series]),
                date=day,
                text=text,
                registered=min(day + timedelta(days=registered_lag), date(book.year + 1, 1, 20)),
                transactions=tuple(SieTrans(a, o, v) for a, o, v in rows),
            )
        )
    return out


def _budget_rows(year: int, budget: Mapping[tuple[str, str], int]) -> list[SieBalance]:
    rows = []
    for (account, act), kronor in sorted(budget.items()):
        for month, part in enumerate(split(kronor, [1] * 12), start=1):
            rows.append(SieBalance("PBUDGET", 0, account, act_obj(act), year * 100 + month, part * 100))
    return rows


def _result_2021(book2022: Book, x: Mapping[str, int]) -> dict[str, int]:
    """Account results of 2021 for `#RES -1` of the 2022 file: 2022's shape, a result of
    1 688 tkr (the balance requirement 2021 in seed 002)."""
    scaled = {a: v * 96 // 100 for a, v in book2022.sums.items() if ACCOUNTS[a][1] in "IK"}
    result = -(RESULT_2021 * 1000 + 213) * 100
    scaled["3031"] += result - sum(scaled.values())
    return scaled


def lystkom_files(x: Mapping[str, int]) -> dict[str, bytes]:
    books = lystkom_books(x)
    objects = {(1, code): name for code, name in ACTIVITIES.values()} | {
        (6, PROJECT_CODES[k]): v for k, v in PROJECTS.items()
    }
    files = {}
    for year, book in books.items():
        previous = books.get(year - 1)
        balances = _balance_rows("IB", 0, book.opening) + _balance_rows("UB", 0, book.closing())
        balances += _balance_rows("RES", 0, {a: v for a, v in book.sums.items() if ACCOUNTS[a][1] in "IK"})
        if previous is not None:
            balances += _balance_rows("IB", -1, previous.opening) + _balance_rows("UB", -1, previous.closing())
            balances += _balance_rows("RES", -1, {a: v for a, v in previous.sums.items() if ACCOUNTS[a][1] in "IK"})
        else:
            closing_2021 = dict(book.opening)
            res_2021 = _result_2021(book, x)
            closing_2021["2010"] -= sum(res_2021.values())  # the 2021 result not yet moved to equity
            balances += _balance_rows("UB", -1, closing_2021) + _balance_rows("RES", -1, res_2021)
        sie = SieFile(
            sie_type="4",
            program=PROGRAM[0],
            program_version=PROGRAM[1],
            generated=date(year + 1, 2, 14),
            company_name="Kommunalförbundet Lystkom",
            orgnr=LYSTKOM_ORGNR,
            chart_type="KOMMUNBAS",
            currency="SEK",
            fiscal_years={
                0: (date(year, 1, 1), date(year, 12, 31)),
                -1: (date(year - 1, 1, 1), date(year - 1, 12, 31)),
            },
            accounts=_accounts(ACCOUNTS),
            dimensions={1: SieDimension(1, "Verksamhet"), 6: SieDimension(6, "Projekt")},
            objects=objects,
            balances=balances,
            budgets=_budget_rows(year, budget_accounts(year, x)),
            vouchers=_vouchers(book),
        )
        files[f"lystkom_{year}.se"] = write_sie(sie)
    return files


# --------------------------------------------------------------------------------------------
# Verification: read the written files back and check every printed figure again.

LEAF_ACCOUNTS = {
    "sales": ("3031", "3032", "3039"),
    "grant": ("3410",),
    "fees": ("8010",),
    "pension": ("5710",),
    "staff": ("5110", "5610", "5810"),
    "cons": ("4610",),
    "mat": ("4110",),
    "rent": ("6110", "6210"),
    "misc": ("6410", "6510", "7010"),
    "interest": ("8510",),
    "dep": ("7810", "7820"),
}
BUDGET_LEAF_ACCOUNTS = {
    "sales": ("3031", "3032", "3039"),
    "fees": ("8010",),
    "staff": ("5110", "5610", "5710", "5810"),
    "other": ("4110", "4610", "6110", "6210", "6410", "6510", "7010"),
    "interest": ("8510",),
    "dep": ("7810",),
}


def leaves_from_files(files: Mapping[str, bytes]) -> dict[str, int]:
    """The solver's leaf amounts (kronor) as re-added from the files' vouchers and budgets."""
    from samverkan.domain.sie import parse_sie

    values: dict[str, int] = {"one": 1}
    code_to_act = {code: act for act, (code, _n) in ACTIVITIES.items()}
    code_to_project = {code: project for project, code in PROJECT_CODES.items()}
    for year in (2022, 2023):
        sie = parse_sie(files[f"lystkom_{year}.se"])
        by_act: dict[tuple[str, str], int] = defaultdict(int)
        debit: dict[tuple[str, str], int] = defaultdict(int)
        credit: dict[tuple[str, str], int] = defaultdict(int)
        closing: dict[str, int] = defaultdict(int)
        for balance in sie.balances:
            if balance.kind == "IB" and balance.year_offset == 0:
                closing[balance.account] += balance.amount_ore
        opening = dict(closing)
        for voucher in sie.vouchers:
            assert sum(t.amount_ore for t in voucher.transactions) == 0
            for t in voucher.transactions:
                objects = dict(t.objects)
                by_act[(t.account, code_to_act.get(objects.get(1, ""), ""))] += t.amount_ore
                closing[t.account] += t.amount_ore
                side = debit if t.amount_ore > 0 else credit
                side[(t.account, code_to_project.get(objects.get(6, ""), ""))] += abs(t.amount_ore)
        budget: dict[tuple[str, str], int] = defaultdict(int)
        for row in sie.budgets:
            budget[(row.account, code_to_act[dict(row.objects)[1]])] += row.amount_ore

        def kronor(ore: int) -> int:
            assert ore % 100 == 0, ore
            return ore // 100

        for act, cats in OUTCOME_START[year].items():
            for cat in cats:
                ore = sum(by_act.get((a, act), 0) for a in LEAF_ACCOUNTS[cat])
                values[_out(year, act, cat)] = kronor(abs(ore))
        for act, cats in BUDGET_START[year].items():
            for cat in cats:
                ore = sum(budget.get((a, act), 0) for a in BUDGET_LEAF_ACCOUNTS[cat])
                values[_bud(year, act, cat)] = kronor(abs(ore))
        for account in (*RECEIVABLES, *SHORT_TERM):
            values[f"{year}.bal.{account}"] = kronor(abs(closing.get(account, 0)))
            if year == 2022:
                values[f"2021.bal.{account}"] = kronor(abs(opening.get(account, 0)))
        if year == 2022:
            values["2021.bal.cost_it"] = kronor(opening["1221"])
            values["2021.bal.dep_it"] = kronor(-opening["1229"])
            values["2021.bal.equity"] = kronor(-opening["2010"])
            values["2022.purchases"] = kronor(sum(v for (a, _p), v in debit.items() if a == "1221"))
        else:
            for project in ("IT3", "IT4", "IT5", "IT6"):
                values[f"2023.purchases.{project}"] = kronor(debit.get(("1221", project), 0))
            values["2023.disposals"] = kronor(sum(v for (a, _p), v in credit.items() if a == "1221"))
            assert kronor(debit[("1241", "FORD")]) == NEW_CAR[0]
        values[f"_cash{year}"] = kronor(closing["1930"])
        if year == 2022:
            values["_cash2021"] = kronor(opening["1930"])
    return values


def verify_lystkom(model: LystkomModel, files: Mapping[str, bytes]) -> None:
    """Every printed figure of seed 002 from the files, and the files' cash = the solver's."""
    values = leaves_from_files(files)
    problem_values = {k: v for k, v in values.items() if not k.startswith("_")}
    assert set(problem_values) == set(model.problem.bounds), set(problem_values) ^ set(model.problem.bounds)
    broken = model.problem.violated(problem_values)
    assert not broken, [c.label for c in broken]
    for year in (2021, 2022, 2023):
        cash = sum(coef * problem_values[n] for n, coef in model.exprs[f"cash{year}"].items())
        assert cash == values[f"_cash{year}"], (year, cash, values[f"_cash{year}"])


# --------------------------------------------------------------------------------------------
# GSN 2023: January–April (the export made for the first follow-up, 4 May 2023, seed 004)

# One activity: seed 004 follows up the committee's IT operation as a whole (income, costs, net).
GSN_ACTIVITIES = {"IT": ("1300", "IT-verksamheten")}
GSN_SHARES = {"IT": 1.0}
GSN_PROJECTS = {
    "23101": "Nätverk och brandväggar",
    "22104": "Klientdatorer (överfört från 2022)",
}
# Appropriations (kronor): annual budget, carried over from 2022, year-end forecast at T1.
GSN_APPROPRIATIONS = {
    "23101": (4_200_000, 1_600_000, 4_300_000),
    "22104": (2_700_000, 4_500_000, 3_500_000),
}
# Seed 004 (mkr, one decimal): Jan–Apr budget, outcome, deviation (outcome − budget);
# the year's budget, forecast, deviation.
GSN_T1 = {
    "income": ((204, 212, 8), (741, 741, 0)),
    "costs": ((-247, -215, 32), (-741, -741, 0)),
    "net": ((-43, -3, 40), (0, 0, 0)),
}
# The economist's year-end forecast at T1 per activity and line (kronor, report sign): as the
# budget, in round figures, as one enters them.
GSN_FORECASTS = {
    "IT": {"income": 74_100_000, "staff_costs": -47_420_000, "other_costs": -22_230_000, "depreciation": -4_450_000},
}
GSN_START = {  # mkr: where the solver starts
    "t1_bud_inc": 20.4,
    "t1_bud_cost": 24.7,
    "t1_out_inc": 21.2,
    "t1_out_cost": 21.5,
    "year_bud_inc": 74.1,
    "year_bud_cost": 74.1,
    "fc_inc": 74.1,
    "fc_cost": 74.1,
}
GSN_INVESTMENTS = {
    "budget": 69,
    "extra": 61,
    "total": 130,
    "outcome": 8,
    "deviation": -122,
    "forecast": 78,
    "forecast_deviation": -52,
}
GSN_COST_ACCOUNTS = {
    "5110": 0.44,
    "5610": 0.14,
    "5710": 0.06,
    "4610": 0.08,
    "6410": 0.12,
    "6510": 0.06,
    "6110": 0.04,
    "7810": 0.06,
}
GSN_INCOME_MONTHS = [1.0, 1.0, 1.25, 1.25, 1.0, 1.0, 0.4, 0.8, 1.0, 1.15, 1.15, 1.0]  # Jan–Apr 27,5 %
GSN_ACCOUNTS = {
    "3031": ("Försäljning IT-tjänster till medlemmar", "I"),
    "1221": ("Inventarier, IT-utrustning", "T"),
    "1229": ("Ackumulerade avskrivningar inventarier", "T"),
    "1510": ("Kundfordringar", "T"),
    "1930": ("Koncernkonto Ludvika kommun", "T"),
    "2010": ("Eget kapital", "S"),
    "2440": ("Leverantörsskulder", "S"),
    "2710": ("Källskatt och diverse avdrag", "S"),
    "2940": ("Upplupna sociala avgifter", "S"),
} | {a: ACCOUNTS[a] for a in GSN_COST_ACCOUNTS}


def gsn_problem() -> Problem:
    p = Problem.new(100_000)
    p.var("one", 1, 1, 1)
    sums: dict[str, dict[str, int]] = defaultdict(dict)
    for act, share in GSN_SHARES.items():
        for key, total in GSN_START.items():
            name = p.var(f"{key}.{act}", round(total * share * 1_000_000), 0)
            sums[key][name] = 1
        forecast = GSN_FORECASTS[act]
        p.bounds[f"fc_inc.{act}"] = (forecast["income"],) * 2
        p.bounds[f"fc_cost.{act}"] = (-sum(v for k, v in forecast.items() if k != "income"),) * 2
    for line, sign, inc_or_cost in (("income", 1, "inc"), ("costs", -1, "cost")):
        (budget, outcome, deviation), (year, forecast, fc_dev) = GSN_T1[line]
        b = dict.fromkeys(sums[f"t1_bud_{inc_or_cost}"], sign)
        o = dict.fromkeys(sums[f"t1_out_{inc_or_cost}"], sign)
        y = dict.fromkeys(sums[f"year_bud_{inc_or_cost}"], sign)
        f = dict.fromkeys(sums[f"fc_{inc_or_cost}"], sign)
        p.printed(f"T1 {line} budget", b, budget)
        p.printed(f"T1 {line} utfall", o, outcome)
        p.printed(f"T1 {line} avvikelse", _expr(o, _neg(b)), deviation)
        p.printed(f"år {line} budget", y, year)
        p.printed(f"år {line} prognos", f, forecast)
        p.printed(f"år {line} avvikelse", _expr(f, _neg(y)), fc_dev)
    net = {
        k: _expr(dict.fromkeys(sums[f"{k}_inc"], 1), dict.fromkeys(sums[f"{k}_cost"], -1))
        for k in ("t1_bud", "t1_out", "year_bud", "fc")
    }
    (budget, outcome, deviation), (year, forecast, fc_dev) = GSN_T1["net"]
    p.printed("T1 netto budget", net["t1_bud"], budget)
    p.printed("T1 netto utfall", net["t1_out"], outcome)
    p.printed("T1 netto avvikelse", _expr(net["t1_out"], _neg(net["t1_bud"])), deviation)
    p.printed("år netto budget", net["year_bud"], year)
    p.printed("år netto prognos", net["fc"], forecast)
    p.printed("år netto avvikelse", _expr(net["fc"], _neg(net["year_bud"])), fc_dev)
    p.var("invest", 812_000, 0)
    appropriation = sum(b + c for b, c, _f in GSN_APPROPRIATIONS.values())
    forecast = sum(f for _b, _c, f in GSN_APPROPRIATIONS.values())
    inv = GSN_INVESTMENTS
    p.printed("investering utfall", {"invest": 1}, inv["outcome"])
    p.printed("investering avvikelse", {"invest": 1, "one": -appropriation}, inv["deviation"])
    for key, amount in (
        ("budget", sum(b for b, _c, _f in GSN_APPROPRIATIONS.values())),
        ("extra", sum(c for _b, c, _f in GSN_APPROPRIATIONS.values())),
        ("total", appropriation),
        ("forecast", forecast),
        ("forecast_deviation", forecast - appropriation),
    ):
        p.printed(f"investering {key}", {"one": amount}, inv[key])
    _jitter(p, random.Random(SEED + 4))
    return p


def gsn_file(x: Mapping[str, int]) -> bytes:
    rng = random.Random(SEED + 4)
    code = {act: c for act, (c, _n) in GSN_ACTIVITIES.items()}
    opening = {"1221": 38_512_640_00, "1229": -21_304_118_00, "1510": 2_118_450_00, "2440": -3_084_212_50}
    opening["1930"] = 4_226_905_75
    opening["2010"] = -sum(opening.values())
    book = Book(2023, opening)
    budgets: list[SieBalance] = []
    for act in GSN_ACTIVITIES:
        obj: Objects = ((1, code[act]),)
        # Budget per month (whole kronor): Jan–Apr carry the T1 budget, May–Dec the rest.
        for key, account_shares, weights in (
            ("inc", {"3031": 1.0}, GSN_INCOME_MONTHS),
            ("cost", GSN_COST_ACCOUNTS, [1.0] * 12),
        ):
            t1, year = x[f"t1_bud_{key}.{act}"], x[f"year_bud_{key}.{act}"]
            months = split(t1, weights[:4]) + split(year - t1, weights[4:])
            sign = -1 if key == "inc" else 1
            for account, share_parts in zip(
                account_shares, zip(*[split(m, account_shares.values()) for m in months], strict=True), strict=True
            ):
                for month, part in enumerate(share_parts, start=1):
                    budgets.append(SieBalance("PBUDGET", 0, account, obj, 202300 + month, sign * part * 100))
        # Outcome January–April.
        income = split(x[f"t1_out_inc.{act}"] * 100, month_weights(rng, GSN_INCOME_MONTHS[:4]))
        costs = {
            a: split(v, month_weights(rng, [1.0] * 4))
            for a, v in zip(
                GSN_COST_ACCOUNTS,
                split(x[f"t1_out_cost.{act}"] * 100, month_weights(rng, GSN_COST_ACCOUNTS.values(), 0.1)),
                strict=True,
            )
        }
        for m in range(4):
            book.add(
                date(2023, m + 1, 20),
                "C",
                f"Fakturering {GSN_ACTIVITIES[act][1]} {MONTHS[m]} 2023",
                [("1510", (), income[m]), ("3031", obj, -income[m])],
            )
            book.add(
                date(2023, m + 1, 28),
                "D",
                f"Inbetalningar kunder {MONTHS[m]}",
                [("1930", (), income[m]), ("1510", (), -income[m])],
            )
            gross = costs["5110"][m]
            tax = gross * 30 // 100
            social, pension = costs["5610"][m], costs["5710"][m]
            salary = [
                ("5110", obj, gross),
                ("5610", obj, social),
                ("5710", obj, pension),
                ("2710", (), -tax),
                ("2940", (), -social),
                ("1930", (), -(gross - tax + pension)),
            ]
            book.add(date(2023, m + 1, 25), "L", f"Löner {GSN_ACTIVITIES[act][1]} {MONTHS[m]} 2023", salary)
            book.add(
                date(2023, m + 1, 12),
                "B",
                f"Skattekonto {MONTHS[m]}",
                [("2710", (), tax), ("2940", (), costs["5610"][m]), ("1930", (), -(tax + costs["5610"][m]))],
            )
            for account in ("4610", "6410", "6510", "6110"):
                amount = costs[account][m]
                book.add(
                    date(2023, m + 1, rng.randint(3, 18)),
                    "A",
                    f"{ACCOUNTS[account][0]} {MONTHS[m]} (leverantörsfaktura)",
                    [(account, obj, amount), ("2440", (), -amount)],
                )
                book.add(
                    date(2023, m + 1, 28),
                    "B",
                    f"Utbetalning leverantör {MONTHS[m]}",
                    [("2440", (), amount), ("1930", (), -amount)],
                )
            dep = costs["7810"][m]
            book.add(
                _last_day(2023, m + 1),
                "M",
                f"Avskrivningar {GSN_ACTIVITIES[act][1]} {MONTHS[m]} 2023",
                [("7810", obj, dep), ("1229", (), -dep)],
            )
    for project, amount, day in zip(
        GSN_PROJECTS, split(x["invest"] * 100, [0.55, 0.45]), (date(2023, 3, 14), date(2023, 4, 18)), strict=True
    ):
        obj = ((1, code["IT"]), (6, project))
        book.add(
            day,
            "A",
            f"{GSN_PROJECTS[project]}: inköp (leverantörsfaktura)",
            [("1221", obj, amount), ("2440", (), -amount)],
        )
    results = {a: v for a, v in book.sums.items() if GSN_ACCOUNTS[a][1] in "IK"}
    closing = {a: book.balance(a) for a in sorted(set(opening) | set(book.sums)) if GSN_ACCOUNTS[a][1] in "TS"}
    objects = {(1, c): n for c, n in GSN_ACTIVITIES.values()} | {(6, k): v for k, v in GSN_PROJECTS.items()}
    sie = SieFile(
        sie_type="4",
        program=PROGRAM[0],
        program_version=PROGRAM[1],
        generated=date(2023, 5, 4),
        company_name="Gemensamma servicenämnden (GSN)",
        orgnr=GSN_ORGNR,
        chart_type="KOMMUNBAS",
        currency="SEK",
        fiscal_years={0: (date(2023, 1, 1), date(2023, 12, 31))},
        accounts={n: SieAccount(n, *GSN_ACCOUNTS[n]) for n in sorted(GSN_ACCOUNTS)},
        dimensions={1: SieDimension(1, "Verksamhet"), 6: SieDimension(6, "Projekt")},
        objects=objects,
        balances=_balance_rows("IB", 0, opening) + _balance_rows("UB", 0, closing) + _balance_rows("RES", 0, results),
        budgets=budgets,
        vouchers=_vouchers(book, registered_lag=2),
    )
    return write_sie(sie)


# --------------------------------------------------------------------------------------------


def generate() -> dict[str, bytes]:
    """All demo files, verified."""
    model, x = solve_lystkom()
    files = lystkom_files(x)
    verify_lystkom(model, files)
    gsn = gsn_problem()
    files["gsn_2023.se"] = gsn_file(gsn.solve())
    return files


def main() -> None:
    for name, data in generate().items():
        (DATA / name).write_bytes(data)
        print(f"{DATA / name}: {len(data)} byte")


if __name__ == "__main__":
    main()
