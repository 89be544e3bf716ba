"""Demo call data for Lystkom that reproduces the annual report's figures (seed 002).

Published (Lystkom årsredovisning 2023): customer service answered 112 076 calls, 91.6 %
within 30 seconds (86 % in 2022), goal 90 % within 30 s; IT support received 10 400 calls
(9 800 in 2022), 68 % answered within 1 minute (86 % in 2022), goal 80 % of all incoming
calls within 1 minute.

How the numbers come out right: :func:`samverkan.telephony.synthetic.calls_for_target`
decides for every answered call whether it waits at most T (exactly
``round(share × answered)`` of them do) and only then draws the wait, the arrival time
(working hours, seasonal by month) and the talk time from a seeded generator. The calls
are written as Asterisk queue_log text and imported through the ordinary import service,
so the figures on the pages are measured from imported data, not stored:

- Customer service (queues vaxel-lycksele/-storuman/-vilhelmina/-asele, T = 30 s,
  convention "answered within T / answered"): 112 076 answered calls in 2023 split over the
  four switchboards, 102 662 within 30 s → 91.6 %; per-member levels differ a little and
  add up exactly. 2022's volume is not published ("same level as earlier years"): the demo
  uses 111 500 answered calls with 95 890 within 30 s → 86.0 %. About 4 % abandoned calls
  come on top (they do not enter this convention).
- LYST 2013 (seed 001, minutes of October 2013): the joint committee's goal was 90 % of
  calls answered within 20 seconds and "in September and October the service level was
  about 85–87 %". Queue lyst-kundtjanst (Lycksele, T = 20 s, answered convention) holds
  September 2013 (8 000 answered, 6 800 within 20 s → 85.0 %) and October 2013 (8 400
  answered, 7 308 within → 87.0 %).
- Transfers (seed 002, autumn 2023: of the calls customer service transferred to the members'
  own units "som mest ca 70 % och som lägst under 50 %" were answered): every 12th call a
  switchboard answered in September–December 2023 ends with BLINDTRANSFER and enters the
  member's unit queue (enheter-<kommun>, a member's queue outside the federation's services)
  with the same call id; the unit answers exactly ``round(share × transferred)`` of them
  (Lycksele 62 %, Storuman 70 %, Vilhelmina 48 %, Åsele 56 %), the rest time out. The
  switchboard's own figures are unchanged (a transfer ends an answered call like COMPLETE…).
- IT support (queue it-support, no single member, T = 60 s, convention "answered within
  T / all offered"): 2023 10 400 offered (9 600 answered, 800 abandoned), 7 072 within 60 s
  → 68.0 %; 2022 9 800 offered, 8 428 within → 86.0 %.
"""

from __future__ import annotations

import io
import random
from datetime import datetime
from decimal import Decimal

from samverkan.core.actors import system_actor
from samverkan.domain.service_level import Outcome
from samverkan.members.models import Federation
from samverkan.telephony import services, synthetic
from samverkan.telephony.models import ConventionChoice, Queue

SWITCHBOARDS = [  # queue, kommunkod, label, share of calls, service level 2023
    ("vaxel-lycksele", "2481", "Växel Lycksele", Decimal("0.43"), Decimal("0.925")),
    ("vaxel-storuman", "2421", "Växel Storuman", Decimal("0.22"), Decimal("0.905")),
    ("vaxel-vilhelmina", "2462", "Växel Vilhelmina", Decimal("0.24"), Decimal("0.915")),
    ("vaxel-asele", "2463", "Växel Åsele", None, None),  # the remainder, so totals are exact
]
CUSTOMER_SERVICE = {2023: (112_076, Decimal("0.916")), 2022: (111_500, Decimal("0.86"))}
LYST_2013 = {9: (8_000, Decimal("0.85")), 10: (8_400, Decimal("0.87"))}
UNIT_ANSWERED = {"2481": Decimal("0.62"), "2421": Decimal("0.70"), "2462": Decimal("0.48"), "2463": Decimal("0.56")}
TRANSFER_EVERY = 12
IT_SUPPORT = {2023: (9_600, 800, Decimal("0.68")), 2022: (9_400, 400, Decimal("0.86"))}


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def customer_service_split(answered: int, share_within: Decimal, year: int) -> list[tuple[str, int, int]]:
    """(queue, answered, answered within T) per switchboard, summing exactly to the published totals."""
    total_within = _round(answered * share_within)
    rows, left, left_within = [], answered, total_within
    offset = Decimal("0.916") - share_within if year != 2023 else Decimal(0)
    for name, _code, _label, share, level in SWITCHBOARDS:
        if share is None:
            rows.append((name, left, left_within))
            break
        n = _round(answered * share)
        w = _round(n * (level - offset))
        rows.append((name, n, w))
        left -= n
        left_within -= w
    return rows


def build(stdout) -> None:
    lystkom = Federation.objects.get(slug="lystkom")
    kundtjanst = lystkom.services.get(code="kundtjanst")
    it = lystkom.services.get(code="it-drift")
    for name, code, label, _share, _level in SWITCHBOARDS:
        Queue.objects.create(
            federation=lystkom,
            name=name,
            label=label,
            member=lystkom.members.get(kommunkod=code),
            service=kundtjanst,
            within_seconds=30,
            goal=Decimal("0.90"),
            convention=ConventionChoice.ANSWERED,
        )
    Queue.objects.create(
        federation=lystkom,
        name="it-support",
        label="IT-support",
        service=it,
        within_seconds=60,
        goal=Decimal("0.80"),
        convention=ConventionChoice.OFFERED,
    )
    codes = {name: code for name, code, _label, _share, _level in SWITCHBOARDS}
    for code in UNIT_ANSWERED:
        member = lystkom.members.get(kommunkod=code)
        Queue.objects.create(
            federation=lystkom,
            name=f"enheter-{code}",
            label=f"{member.name}: enheter (överkopplade samtal)",
            member=member,
            within_seconds=60,
            goal=Decimal("0.70"),
            convention=ConventionChoice.OFFERED,
        )
    seed = 2000
    for year, (answered, share) in CUSTOMER_SERVICE.items():
        for name, n, within in customer_service_split(answered, share, year):
            seed += 1
            calls = synthetic.calls_for_target(
                seed=seed,
                queue=name,
                year=year,
                answered=n,
                answered_within=within,
                within_seconds=30,
                abandoned=n // 25,
                aht_seconds=140,
                agents=6,
            )
            if year == 2023:
                _import_with_transfers(lystkom, f"{name}-{year}.queue_log", calls, codes[name], seed)
            else:
                _import(lystkom, f"{name}-{year}.queue_log", calls)
    for year, (answered, abandoned, share) in IT_SUPPORT.items():
        seed += 1
        calls = synthetic.calls_for_target(
            seed=seed,
            queue="it-support",
            year=year,
            answered=answered,
            answered_within=_round((answered + abandoned) * share),
            within_seconds=60,
            abandoned=abandoned,
            aht_seconds=420,
            agents=4,
            agent_base=200,  # the IT-support team, not the switchboard's
        )
        _import(lystkom, f"it-support-{year}.queue_log", calls)
    lyst = Queue.objects.create(
        federation=lystkom,
        name="lyst-kundtjanst",
        label="Kundtjänst LYST (2013)",
        member=lystkom.members.get(kommunkod="2481"),
        service=kundtjanst,
        within_seconds=20,
        goal=Decimal("0.90"),
        convention=ConventionChoice.ANSWERED,
    )
    for month, (answered, share) in LYST_2013.items():
        seed += 1
        calls = synthetic.calls_for_target(
            seed=seed,
            queue=lyst.name,
            year=2013,
            answered=answered,
            answered_within=_round(answered * share),
            within_seconds=20,
            abandoned=answered // 25,
            aht_seconds=140,
            agents=6,
            months=(month,),
        )
        _import(lystkom, f"lyst-kundtjanst-2013-{month:02d}.queue_log", calls)
    stdout.write("telefoni: köer och samtal 2013 och 2022–2023 för Lystkom\n")


def _import(federation: Federation, file_name: str, calls: list[synthetic.SyntheticCall]) -> None:
    data = "".join((*synthetic.queue_log_lines(calls), *synthetic.session_lines(calls))).encode()
    services.call_records_import(
        acting_user=system_actor(), federation=federation, file=io.BytesIO(data), file_name=file_name
    )


def _import_with_transfers(
    federation: Federation, file_name: str, calls: list[synthetic.SyntheticCall], code: str, seed: int
) -> None:
    """The switchboard's calls with every TRANSFER_EVERY-th autumn call transferred to the member's
    unit queue (BLINDTRANSFER, then the unit's own leg with the same call id), in one queue_log."""
    autumn = [
        c
        for c in calls
        if c.outcome is Outcome.ANSWERED and datetime.fromtimestamp(c.entered, synthetic.STOCKHOLM).month >= 9
    ]
    moved = autumn[::TRANSFER_EVERY]
    unit = f"enheter-{code}"
    rng = random.Random(seed)
    answered = set(rng.sample(range(len(moved)), _round(len(moved) * UNIT_ANSWERED[code])))
    legs = []
    for i, c in enumerate(moved):
        start = c.entered + c.wait + c.talk
        if i in answered:
            legs.append(
                synthetic.SyntheticCall(
                    c.callid, unit, start, Outcome.ANSWERED, rng.randrange(3, 40), rng.randrange(60, 400), "SIP/900"
                )
            )
        else:
            legs.append(synthetic.SyntheticCall(c.callid, unit, start, Outcome.TIMEOUT, 60, 0, "NONE"))
    transferred = {c.callid for c in moved}
    lines = [
        _as_transfer(line, unit) if _completes(line, transferred) else line for line in synthetic.queue_log_lines(calls)
    ]
    data = "".join((*lines, *synthetic.session_lines(calls), *synthetic.queue_log_lines(legs))).encode()
    services.call_records_import(
        acting_user=system_actor(), federation=federation, file=io.BytesIO(data), file_name=file_name
    )


def _completes(line: str, transferred: set[str]) -> bool:
    fields = line.split("|", 5)
    return fields[4] in ("COMPLETEAGENT", "COMPLETECALLER") and fields[1] in transferred


def _as_transfer(line: str, unit: str) -> str:
    """COMPLETE…|wait|talk|pos → BLINDTRANSFER|extension|context|wait|talk|pos (Asterisk's order)."""
    epoch, callid, queue, agent, _event, wait, talk, position = line.rstrip("\n").split("|")
    return f"{epoch}|{callid}|{queue}|{agent}|BLINDTRANSFER|{unit}|from-internal|{wait}|{talk}|{position}\n"
