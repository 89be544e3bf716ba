"""Demo keys, pools and runs from seeds 000, 003 and 004.

Seed figures reproduced exactly: Lystkom's adopted membership fees 2025 (95 122 / 482 634 /
226 554 / 252 020 / 109 670 = 1 166 000 kr) and Dorotea's telephony cost 470 000 kr, so the
decision basis for Dorotea shows 565 122 kr. The adopted fee table is stored as data (a
"decided amounts" key) with the population key beside it for comparison; the populations
are the members module's demo figures, not SCB's, and are not tuned to match the table.

DEMO DATA (not in the seeds): the other members' telephony amounts (Dorotea's 2025 rate per
inhabitant applied to their demo populations, rounded to thousands), GSN's user counts and
surplus, and E-dala's yearly budget.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from samverkan.allocation import services
from samverkan.allocation.models import KeyKind, PoolKind, RunKind
from samverkan.core.actors import system_actor
from samverkan.members.models import Federation

YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))
YEAR_2024 = (date(2024, 1, 1), date(2024, 12, 31))

# Seed 000, "Samtliga medlemsavgifter för 2025" (kommunkod → kr).
LYSTKOM_FEES_2025 = {
    "2425": Decimal(95122),  # Dorotea
    "2481": Decimal(482634),  # Lycksele
    "2421": Decimal(226554),  # Storuman
    "2462": Decimal(252020),  # Vilhelmina
    "2463": Decimal(109670),  # Åsele
}
# Dorotea's 470 000 kr is seed 000; the others are demo amounts (see module docstring).
LYSTKOM_TELEPHONY_2025 = {
    "2425": Decimal(470000),
    "2481": Decimal(2261000),
    "2421": Decimal(1093000),
    "2462": Decimal(1236000),
    "2463": Decimal(521000),
}


def _values(federation: Federation, table: dict[str, Decimal]) -> dict:
    return {federation.members.get(kommunkod=code): amount for code, amount in table.items()}


def build_lystkom() -> None:
    system = system_actor()
    lystkom = Federation.objects.get(slug="lystkom")
    population = services.key_create(
        acting_user=system,
        federation=lystkom,
        name="Invånare 1 november 2024",
        kind=KeyKind.POPULATION,
        reference_date=date(2024, 11, 1),
        description="Folkmängd enligt SCB den 1 november året före avgiftsåret (demosiffror).",
    )
    fees = services.key_create(
        acting_user=system,
        federation=lystkom,
        name="Medlemsavgift 2025 (beslutad tabell)",
        kind=KeyKind.DECIDED,
        description="Direktionens beslutade medlemsavgifter 2025 enligt underlaget för Doroteas medlemskap.",
    )
    services.key_values_set(acting_user=system, key=fees, values=_values(lystkom, LYSTKOM_FEES_2025))
    fee_pool = services.pool_create(
        acting_user=system,
        federation=lystkom,
        name="Medlemsavgift 2025",
        kind=PoolKind.MEMBERSHIP,
        period_start=YEAR_2025[0],
        period_end=YEAR_2025[1],
        total=Decimal(1166000),
        key=fees,
        comparison_key=population,
        description="Finansierar övergripande kostnader för revision och förbundschef.",
    )
    run = services.run_create(acting_user=system, pool=fee_pool, label="Medlemsavgift 2025")
    services.run_approve(acting_user=system, run=run)

    telephony = services.key_create(
        acting_user=system,
        federation=lystkom,
        name="Växeltelefoni 2025 (budget)",
        kind=KeyKind.DECIDED,
        description="Dorotea 470 000 kr enligt beslutsunderlaget; övriga belopp är demodata.",
    )
    services.key_values_set(acting_user=system, key=telephony, values=_values(lystkom, LYSTKOM_TELEPHONY_2025))
    telephony_pool = services.pool_create(
        acting_user=system,
        federation=lystkom,
        name="Växeltelefoni 2025",
        kind=PoolKind.SERVICE,
        period_start=YEAR_2025[0],
        period_end=YEAR_2025[1],
        total=sum(LYSTKOM_TELEPHONY_2025.values(), Decimal(0)),
        key=telephony,
        comparison_key=population,
        services=[lystkom.services.get(code="kundtjanst")],
        description="Växelplattform, telefoniplattform, hänvisning, trafik, support och bemanning vardagar 8–16.",
    )
    run = services.run_create(acting_user=system, pool=telephony_pool, label="Växeltelefoni 2025")
    services.run_approve(acting_user=system, run=run)


def build_gsn() -> None:
    system = system_actor()
    gsn = Federation.objects.get(slug="gsn")
    preliminary = services.key_create(
        acting_user=system,
        federation=gsn,
        name="Användare 2024 (preliminärt)",
        kind=KeyKind.USERS,
        reference_date=date(2024, 1, 1),
    )
    final = services.key_create(
        acting_user=system,
        federation=gsn,
        name="Användare 2024 (slutligt, mars)",
        kind=KeyKind.USERS,
        reference_date=date(2024, 12, 31),
        description="Slutjustering i mars enligt samarbetsavtalet punkt 9.1.",
    )
    it = gsn.services.get(code="it")
    pool = services.pool_create(
        acting_user=system,
        federation=gsn,
        name="Grundbidrag identitetsplattform 2024",
        kind=PoolKind.PLATFORM,
        period_start=YEAR_2024[0],
        period_end=YEAR_2024[1],
        total=Decimal(1360000),
        key=preliminary,
        services=[it],
        description="1 360 tkr/år år 1–5 (900 tkr drift + 460 tkr kapitalkostnad), år 4 av 5 (GSN 2020).",
    )
    first = services.run_create(
        acting_user=system, pool=pool, label="Grundbidrag 2024 – preliminärt", kind=RunKind.PRELIMINARY
    )
    services.run_approve(acting_user=system, run=first)
    second = services.run_create(
        acting_user=system, pool=pool, label="Grundbidrag 2024 – slutjustering mars", kind=RunKind.FINAL, key=final
    )
    services.run_approve(acting_user=system, run=second)
    surplus = services.pool_create(
        acting_user=system,
        federation=gsn,
        name="Överskott 2024 att återföra",
        kind=PoolKind.PLATFORM,
        period_start=YEAR_2024[0],
        period_end=YEAR_2024[1],
        total=Decimal(-150000),
        key=final,
        services=[it],
        description="Överskott regleras årligen inför bokslutet med fördelningsnyckeln (punkt 9.2); demobelopp.",
    )
    services.run_create(acting_user=system, pool=surplus, label="Återföring av överskott 2024", kind=RunKind.SETTLEMENT)


def build_edala() -> None:
    system = system_actor()
    edala = Federation.objects.get(slug="e-dala")
    equal = services.key_create(acting_user=system, federation=edala, name="Rak andel", kind=KeyKind.EQUAL)
    population = services.key_create(
        acting_user=system,
        federation=edala,
        name="Invånare 1 november 2022",
        kind=KeyKind.POPULATION,
        reference_date=date(2022, 11, 1),
    )
    mix = services.key_create(
        acting_user=system,
        federation=edala,
        name="E-dala: 50 % rak andel + 50 % invånare",
        kind=KeyKind.MIX,
        description="Avgifter och gemensam utveckling fördelas 50 % rak andel och 50 % efter invånarantal.",
    )
    services.key_component_add(acting_user=system, mix=mix, component=equal, weight=Decimal(50))
    services.key_component_add(acting_user=system, mix=mix, component=population, weight=Decimal(50))
    pool = services.pool_create(
        acting_user=system,
        federation=edala,
        name="E-dala 2023",
        kind=PoolKind.REGIONAL,
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        total=Decimal(2400000),
        key=mix,
        comparison_key=population,
        services=[edala.services.get(code="e-tjanster")],
        unit="krona",
        description="Budget för e-tjänsteplattformen 2023 (demobelopp); faktureras kvartalsvis i efterskott.",
    )
    services.run_create(acting_user=system, pool=pool, label="E-dala 2023")


# Seed 003's identity platform, förslag 1 and 2. DEMO DATA: today's cost of the old login
# solution and förslag 2's user count (the seed gives no figures for either).
SEED_003_OPERATIONS = [
    {"name": "Personalkostnader (1 heltid drift + 0,1 tekniskt underhåll)", "amount": "700000"},
    {"name": "Licenskostnad till systemleverantör", "amount": "200000"},
]
SEED_003_OPTION_1 = {
    "name": "Förslag 1",
    "components": [
        {"name": "Genomlysning och städning av befintlig användardatabas", "amount": "400000", "year": 2020},
        {"name": "Införandeprojekt", "amount": "250000", "year": 2021},
        {"name": "Uppsättning ca 550 kr per användare (ca 3 000 användare)", "amount": "1650000", "year": 2021},
    ],
    "depreciation_years": 5,
    "operations": SEED_003_OPERATIONS,
    "per_user": "120",
    "users": 3000,
    "first_year": 2021,
    "note": "IT-center föreslår förslag 1: alla medarbetare migreras, kommunövergripande funktioner möjliga.",
}
SEED_003_OPTION_2 = {
    **SEED_003_OPTION_1,
    "name": "Förslag 2",
    "components": SEED_003_OPTION_1["components"][:2],
    "users": 1000,
    "note": "Verksamheterna väljer själva när de för över sin personal och tar de kostnaderna direkt.",
}


def build_business_case() -> None:
    services.business_case_save(
        acting_user=system_actor(),
        federation=Federation.objects.get(slug="gsn"),
        name="Gemensam identitetsplattform",
        description="Tjänsteskrivelse om gemensam identitetsplattform (seed 003), förslag 1 och 2.",
        current_costs=[{"name": "Nuvarande inloggningslösningar i kommunerna (demosiffra)", "amount": "450000"}],
        options=[SEED_003_OPTION_1, SEED_003_OPTION_2],
    )


def build(stdout) -> None:
    build_lystkom()
    build_gsn()
    build_edala()
    build_business_case()
    stdout.write("fördelning: Lystkom (medlemsavgift, växeltelefoni), GSN (grundbidrag + slutjustering), E-dala")
