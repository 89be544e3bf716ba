"""Demo performance: Lystkom's goals, staff and customer survey of 2023 (seed 002), and the
annual report of 2023 assembled from them and the finance demo's statements.

Everything is entered through the ordinary services as Lystkom's economist would: the goal
areas, goals and indicators of `data/lystkom_goals_2023.json`, the targets of 2023, the values
entered by hand (with the seed as their source), the yearly customer survey's NKI for
2021–2023, the payroll exports of 2020–2023 (`data/lystkom_staff_*.csv`, written by the
generator at the end of this module), then a person's assessment of every goal and the
narrative of the annual report.
Bound indicators are not entered: they are computed from the telephony demo's queues (service
level), the finance demo's ledger (surplus ratio), the staff import (sick leave) and the survey
(NKI), so the figures the board sees are the data's, not copies of the seed.

`build` is idempotent: when Lystkom already has goal areas the demo is left as it is.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from samverkan.core.actors import system_actor
from samverkan.core.models import User
from samverkan.members.models import Federation
from samverkan.performance.models import AnnualReport, GoalArea, IndicatorSource, SurveyArea
from samverkan.performance.services import annual, goals, staff

DATA = Path(__file__).parent / "data"
GOALS_FILE = "lystkom_goals_2023.json"
YEAR = 2023
ADOPTED_ON = date(2024, 3, 1)  # "Beslutad av direktionen 2024-03-01 § 2"

NMI_2023 = (
    ("kundtjänst, första enkäten", Decimal("90.0")),
    ("kundtjänst, andra enkäten", Decimal("88.3")),
    ("it, första enkäten", Decimal("87.2")),
    ("it, andra enkäten", Decimal("86.8")),
)

# The annual report's narrative (abridged from seed 002); figures are fields filled from the
# data, so the text cannot disagree with the statements (the seed prints 1 367 000 in one
# place and 1 376 000 in another).
SECTIONS = {
    "introduction": (
        "Kommunalförbundet Lystkom bildades år 2019 för att genom samverkan åstadkomma högre kvalitet, "
        "delad kompetens och kostnadseffektivitet. Avsikten med förbundet är också att undersöka och "
        "möjliggöra samarbete inom ytterligare områden."
    ),
    "year_in_brief": (
        "Under hösten genomförde Lystkom för tredje året en enkät i medlemskommunerna för att mäta "
        "kundnöjdhet. Resultatet visar att nöjd-kund-index (NKI) ökar något i kundtjänst men minskar "
        "något i IT, i första hand på grund av bemötande och återkoppling av ärenden."
    ),
    "governance": (
        "Direktionen har fastställt mål för perioden 2022–2024 med målvärden för verksamhetsåret 2023. "
        "Av totalt {goals_total} mål bedöms {goals_met} vara uppfyllda, {goals_partly} är delvis uppfyllda "
        "och {goals_not_assessable} har inte kunnat bedömas. Den sammantagna bedömningen för 2023 är att "
        "Lystkoms verksamhet har en hög följsamhet till det kommunala ändamålet."
    ),
    "staff": (
        "Medelantalet anställda var {fte_total} årsarbetare. Lystkom genomför varje år två "
        "medarbetarenkäter (OSA-enkät); de båda enkäterna under 2023 visar att nöjd-medarbetarindex "
        "(NMI) ökar i både kundtjänst och IT."
    ),
    "financial_analysis": (
        "Lystkom redovisar ett överskott på {result}, vilket motsvarar {surplus_ratio} av omsättningen "
        "({turnover}). Det finansiella målet är ett överskott på minst {target_ratio} av omsättningen."
    ),
}


@cache
def load() -> dict[str, Any]:
    """The goals data file (read once per process)."""
    return json.loads((DATA / GOALS_FILE).read_text(encoding="utf-8"))


def _actor() -> User:
    """Lystkom's economist from the members demo (so the audit trail names a person), or the
    system actor when the members demo did not create her."""
    return User.objects.filter(username="ekonom").first() or system_actor()


def _queue_ids(federation: Federation, names: list[str]) -> list[int]:
    from samverkan.telephony.models import Queue

    ids = list(Queue.objects.filter(federation=federation, name__in=names).values_list("pk", flat=True))
    return sorted(ids)


def service_level_parameters(federation: Federation, names: list[str]) -> dict[str, Any] | None:
    """The parameters binding a service-level indicator to the named queues, or None when the
    goals service cannot bind to them (several queues need a "queues" parameter)."""
    ids = _queue_ids(federation, names)
    if len(ids) != len(names):
        return None
    if len(ids) == 1:
        return {"queue": ids[0]}
    if "queues" in goals.PARAMETER_KEYS:
        return {"queues": ids}
    return None


def build_survey(federation: Federation, actor: User) -> dict[str, SurveyArea]:
    """Seed 002's NKI table: per service area and year (max 10,0)."""
    areas = {}
    for area, years in load()["survey"]["areas"].items():
        for year, value in sorted(years.items()):
            result = staff.survey_result_set(
                acting_user=actor, federation=federation, area=area, year=int(year), value=Decimal(value)
            )
            areas[area] = result.area
    # The staff survey's NMI (OSA-enkäten, max 100), twice a year per unit.
    for label, value in NMI_2023:
        staff.survey_result_set(
            acting_user=actor, federation=federation, area=staff.NMI_AREA, year=YEAR, question=label, value=value
        )
    return areas


def build_staff(federation: Federation, actor: User) -> None:
    """The payroll exports of 2020–2023 through the ordinary importer."""
    for year in YEARS:
        path = csv_path(year)
        staff.staff_import(
            acting_user=actor, federation=federation, year=year, data=path.read_bytes(), source_name=path.name
        )


def _indicator(federation: Federation, actor: User, goal, spec: dict, position: int, survey: dict) -> list[str]:
    """One indicator with its 2023 target and, for a manual one, its value. Returns notes on
    indicators that had to be entered by hand although the data file binds them."""
    notes = []
    source, parameters, value = spec["source"], None, spec.get("value")
    if source == IndicatorSource.SERVICE_LEVEL:
        parameters = service_level_parameters(federation, spec["queues"])
        if parameters is None:
            notes.append(spec["name"])
            source, value = IndicatorSource.MANUAL, spec["seed_result"]
    elif source == IndicatorSource.NKI_SURVEY:
        parameters = {"area": survey[spec["survey_area"]].pk}
    indicator = goals.indicator_create(
        acting_user=actor,
        goal=goal,
        name=spec["name"],
        source=source,
        unit=spec.get("unit", ""),
        parameters=parameters,
        position=position,
    )
    if spec.get("direction"):
        target = spec.get("target")
        if target is not None or spec["direction"] in ("higher", "lower"):
            goals.target_set(
                acting_user=actor,
                indicator=indicator,
                year=YEAR,
                direction=spec["direction"],
                value=None if target is None else Decimal(target),
            )
    if source == IndicatorSource.MANUAL and value is not None:
        goals.manual_value_set(
            acting_user=actor,
            indicator=indicator,
            year=YEAR,
            value=Decimal(value),
            source=spec.get("value_source")
            or "Årsredovisning 2023: telefonins servicenivårapport för kundtjänstens fyra växlar",
        )
    return notes


def build_goals(federation: Federation, actor: User, survey: dict) -> list[str]:
    """Areas, goals, indicators, targets and values; then every goal's assessment."""
    data = load()
    notes: list[str] = []
    assess = []
    for area_position, area_spec in enumerate(data["areas"], start=1):
        area = goals.area_create(
            acting_user=actor, federation=federation, name=area_spec["name"], position=area_position
        )
        for goal_position, goal_spec in enumerate(area_spec["goals"], start=1):
            goal = goals.goal_create(
                acting_user=actor,
                area=area,
                text=goal_spec["text"],
                first_year=data["first_year"],
                last_year=data["last_year"],
                position=goal_position,
            )
            for position, spec in enumerate(goal_spec["indicators"], start=1):
                notes += _indicator(federation, actor, goal, spec, position, survey)
            assess.append((goal, goal_spec))
    # Assessed after every figure is in, as the director does once the year is closed.
    for goal, spec in assess:
        goals.assessment_set(
            acting_user=actor, goal=goal, year=YEAR, fulfilment=spec["fulfilment"], comment=spec["comment"]
        )
    return notes


def build_report(federation: Federation, actor: User) -> AnnualReport:
    """The 2023 annual report with the narrative above, adopted and published to the members."""
    report = annual.report_create(acting_user=actor, federation=federation, year=YEAR)
    for section in report.sections.all():
        if section.key in SECTIONS:
            annual.section_update(acting_user=actor, section=section, text=SECTIONS[section.key])
    report = annual.adopt(acting_user=actor, report=report, adopted_on=ADOPTED_ON)
    return annual.publish(acting_user=actor, report=report, published=True)


def build_lystkom(federation: Federation) -> list[str]:
    actor = _actor()
    survey = build_survey(federation, actor)
    build_staff(federation, actor)
    notes = build_goals(federation, actor, survey)
    build_report(federation, actor)
    return notes


def build(stdout) -> None:
    lystkom = Federation.objects.get(slug="lystkom")
    if GoalArea.objects.filter(federation=lystkom).exists():
        stdout.write("mål och resultat: Lystkom finns redan, inget ändrat")
        return
    notes = build_lystkom(lystkom)
    stdout.write(
        "mål och resultat: Lystkom 2023 med 13 mål och bedömningar, personalstatistik 2020–2023, "
        "kundundersökning 2021–2023 och årsredovisning 2023"
    )
    for name in notes:
        stdout.write(f"  inmatat i stället för beräknat (flera köer kan inte bindas): {name}")


# ---- the staff files (generated) ------------------------------------------------------------
#
# DEMO DATA: an anonymous payroll export for Lystkom 2020–2023 whose aggregates reproduce
# seed 002's staff tables (employees by form and sex, FTE by sex, sick leave by age group and by
# sex, the long-term share).
#
# The seed gives only aggregates, so the rows per employee are invented, deterministically (no
# randomness): the same call always writes the same file. The columns are those of the payroll
# export `performance.importers.staff` reads (Swedish headers, forms and sexes, decimal comma).
#
# Known seed inconsistency: 2023 has 15 men (14 permanent, 1 fixed-term) but 15,9 FTE for men;
# nobody works more than full time, so the generated men's FTE for 2023 is 15,0 (all full time).
# Every other figure is reproduced to the seed's one decimal.
#
# Sick leave is a share of worked time: sick_hours ÷ worked_hours (the seed's "i procent av
# arbetad tid"); worked hours differ from FTE × 1 700 by other leave (parental leave, leave of
# absence), which is why the shares by sex can match the seed while FTE shares differ.

FULL_YEAR_HOURS = Decimal(1700)
AGES = ("-29", "30-49", "50-")
MIN_GROUP = 5  # domain.staff_stats.MIN_GROUP
COLUMNS = (
    "nyckel",
    "anställningsform",
    "kön",
    "åldersgrupp",
    "årsarbetare",
    "arbetade timmar",
    "sjukfrånvaro timmar",
    "varav långtid timmar",
)
FORM_LABELS = {
    "permanent": "Tillsvidareanställd",
    "fixed_term": "Visstidsanställd",
    "substitute": "Vikariat",
    "probation": "Provanställd",
}
SEX_LABELS = {"woman": "Kvinna", "man": "Man"}

# Seed 002, "Antal anställda under året per anställningsform och kön": year -> {(form, sex): persons}.
HEADCOUNT = {
    2023: {("fixed_term", "man"): 1, ("fixed_term", "woman"): 1, ("permanent", "woman"): 12, ("permanent", "man"): 14},
    2022: {
        ("fixed_term", "man"): 2,
        ("fixed_term", "woman"): 1,
        ("substitute", "man"): 4,
        ("permanent", "woman"): 11,
        ("permanent", "man"): 15,
    },
    2021: {("fixed_term", "man"): 2, ("fixed_term", "woman"): 4, ("permanent", "woman"): 13, ("permanent", "man"): 15},
    2020: {
        ("fixed_term", "man"): 1,
        ("fixed_term", "woman"): 3,
        ("substitute", "woman"): 3,
        ("probation", "man"): 1,
        ("permanent", "woman"): 12,
        ("permanent", "man"): 15,
    },
}
# "Medelantal anställda": FTE by sex (2023 men capped at 15,0, see the module docstring).
FTE = {
    2023: {"woman": Decimal("11.1"), "man": Decimal("15.0")},
    2022: {"woman": Decimal("10.9"), "man": Decimal("16.5")},
    2021: {"woman": Decimal("10.9"), "man": Decimal("16.0")},
    2020: {"woman": Decimal("10.5"), "man": Decimal("14.4")},
}
SEED_FTE_2023_MEN = Decimal("15.9")
# Sick leave in per cent of worked time.
SICK_BY_AGE = {
    2023: (Decimal("1.2"), Decimal("2.9"), Decimal("3.3")),
    2022: (Decimal("1.4"), Decimal("4.2"), Decimal("3.9")),
    2021: (Decimal("0.5"), Decimal("2.5"), Decimal("2.9")),
    2020: (Decimal("0.9"), Decimal("4.1"), Decimal("1.8")),
}
SICK_BY_SEX = {
    2023: {"woman": Decimal("3.1"), "man": Decimal("2.6")},
    2022: {"woman": Decimal("4.8"), "man": Decimal("3.1")},
    2021: {"woman": Decimal("3.4"), "man": Decimal("1.7")},
    2020: {"woman": Decimal("3.1"), "man": Decimal("2.5")},
}
SICK_TOTAL = {2023: Decimal("2.9"), 2022: Decimal("3.8"), 2021: Decimal("2.3"), 2020: Decimal("2.7")}
LONG_SHARE = {2023: Decimal("0"), 2022: Decimal("26.7"), 2021: Decimal("11.9"), 2020: Decimal("0")}
YEARS = (2020, 2021, 2022, 2023)


@dataclass
class Row:
    person_key: str
    form: str
    sex: str
    age_group: str
    fte: Decimal
    worked_hours: Decimal
    sick_hours: Decimal = Decimal(0)
    long_sick_hours: Decimal = Decimal(0)


def pct(part: Decimal, whole: Decimal) -> Decimal:
    """A share in per cent to one decimal, half up (how the seed prints them)."""
    if not whole:
        return Decimal(0)
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _people(year: int, ages: dict[str, tuple[int, int]]) -> list[Row]:
    """The year's employees with form, sex, age group and FTE; `ages` gives per sex how many
    are under 30 and how many 30–49 (the rest are 50 or older), fixed-term staff first."""
    rows: list[Row] = []
    number = 0
    for sex in ("woman", "man"):
        persons = [(form, s) for (form, s), n in HEADCOUNT[year].items() if s == sex for _ in range(n)]
        persons.sort(key=lambda p: (p[0] == "permanent", p[0]))  # temporary forms first
        count = len(persons)
        # FTE: permanent staff full time, fixed-term staff share the rest (at least 0,1 each).
        permanent = sum(1 for form, _ in persons if form == "permanent")
        fixed = count - permanent
        rest = FTE[year][sex] - permanent
        if fixed:
            fixed_fte = (rest / fixed).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
            perm_fte = Decimal(1)
            if fixed_fte <= 0 or fixed_fte > 1:
                # Not enough FTE for everybody full time: permanent staff part time.
                fixed_fte = Decimal("0.5")
                perm_fte = ((FTE[year][sex] - fixed * fixed_fte) / permanent).quantize(Decimal("0.001"))
        else:
            fixed_fte, perm_fte = Decimal(0), (FTE[year][sex] / permanent).quantize(Decimal("0.001"))
        for index, (form, _) in enumerate(persons):
            number += 1
            young, middle = ages[sex]
            age = AGES[0] if index < young else AGES[1] if index < young + middle else AGES[2]
            fte = perm_fte if form == "permanent" else fixed_fte
            rows.append(Row(f"L{year}-{number:03d}", form, sex, age, fte, Decimal(0)))
        # Make the sex's FTE sum exact: the last person takes the rounding difference.
        diff = FTE[year][sex] - sum(r.fte for r in rows if r.sex == sex)
        rows[-1].fte += diff
    return rows


def _fill_sick(rows: list[Row], year: int, women_factor: Decimal) -> None:
    """Worked hours per person (FTE × 1 700, men's reduced by other leave through
    `women_factor`), then sick hours per (age, sex) cell fitted to the seed's margins."""
    for r in rows:
        factor = women_factor if r.sex == "woman" else Decimal(1)
        r.worked_hours = (r.fte * FULL_YEAR_HOURS * factor).quantize(Decimal("0.01"))
    cells = {(a, s): [r for r in rows if r.age_group == a and r.sex == s] for a in AGES for s in ("woman", "man")}
    worked = {k: sum((r.worked_hours for r in v), Decimal(0)) for k, v in cells.items()}
    age_sick = {
        a: SICK_BY_AGE[year][i] / 100 * sum(worked[(a, s)] for s in ("woman", "man")) for i, a in enumerate(AGES)
    }
    total = sum(age_sick.values())
    sex_target = {s: SICK_BY_SEX[year][s] / 100 * sum(worked[(a, s)] for a in AGES) for s in ("woman", "man")}
    scale = total / sum(sex_target.values())
    sex_sick = {s: v * scale for s, v in sex_target.items()}
    # Iterative proportional fitting of the 3 × 2 table to the two margins.
    table = {k: worked[k] * total / sum(worked.values()) for k in cells}
    for _ in range(200):
        for a in AGES:
            row_sum = sum(table[(a, s)] for s in ("woman", "man"))
            for s in ("woman", "man"):
                table[(a, s)] = table[(a, s)] * age_sick[a] / row_sum if row_sum else Decimal(0)
        for s in ("woman", "man"):
            col_sum = sum(table[(a, s)] for a in AGES)
            for a in AGES:
                table[(a, s)] = table[(a, s)] * sex_sick[s] / col_sum if col_sum else Decimal(0)
    for key, members in cells.items():
        remaining = table[key].quantize(Decimal("0.01"))
        for i, r in enumerate(members):
            if i == len(members) - 1:
                r.sick_hours = remaining
            else:
                r.sick_hours = (table[key] * r.worked_hours / worked[key]).quantize(Decimal("0.01"))
                remaining -= r.sick_hours
    # Long-term sick leave: carried by the people with the most sick hours.
    long_total = (LONG_SHARE[year] / 100 * sum(r.sick_hours for r in rows)).quantize(Decimal("0.01"))
    for r in sorted(rows, key=lambda r: (-r.sick_hours, r.person_key)):
        if long_total <= 0:
            break
        r.long_sick_hours = min(r.sick_hours, long_total)
        long_total -= r.long_sick_hours


def aggregates(rows: list[Row]) -> dict[str, object]:
    """The seed's figures computed from rows (what the tests and the search compare)."""
    worked = sum((r.worked_hours for r in rows), Decimal(0))
    sick = sum((r.sick_hours for r in rows), Decimal(0))

    def share(selected: list[Row]) -> Decimal:
        return pct(
            sum((r.sick_hours for r in selected), Decimal(0)), sum((r.worked_hours for r in selected), Decimal(0))
        )

    return {
        "headcount": {k: sum(1 for r in rows if (r.form, r.sex) == k) for k in {(r.form, r.sex) for r in rows}},
        "persons": len({r.person_key for r in rows}),
        "fte": {s: sum((r.fte for r in rows if r.sex == s), Decimal(0)) for s in ("woman", "man")},
        "by_age": tuple(share([r for r in rows if r.age_group == a]) for a in AGES),
        "by_sex": {s: share([r for r in rows if r.sex == s]) for s in ("woman", "man")},
        "total": pct(sick, worked),
        "long_share": pct(sum((r.long_sick_hours for r in rows), Decimal(0)), sick),
    }


def _matches(rows: list[Row], year: int) -> bool:
    agg = aggregates(rows)
    return (
        agg["by_age"] == SICK_BY_AGE[year]
        and agg["by_sex"] == SICK_BY_SEX[year]
        and agg["total"] == SICK_TOTAL[year]
        and agg["long_share"] == LONG_SHARE[year]
    )


def _feasible(rows: list[Row], year: int) -> bool:
    """A quick check before the fitting: do the age shares give the seed's total, and can the
    shares by sex be scaled to that total without leaving their rounding interval?"""
    worked = {a: sum((r.worked_hours for r in rows if r.age_group == a), Decimal(0)) for a in AGES}
    if not all(worked.values()):
        return False
    whole = sum(worked.values())
    total = sum(SICK_BY_AGE[year][i] * worked[a] for i, a in enumerate(AGES)) / whole
    if total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) != SICK_TOTAL[year]:
        return False
    by_sex = {s: sum((r.worked_hours for r in rows if r.sex == s), Decimal(0)) for s in ("woman", "man")}
    scale = total * whole / sum(SICK_BY_SEX[year][s] * w for s, w in by_sex.items())
    return all(
        (SICK_BY_SEX[year][s] * scale).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) == SICK_BY_SEX[year][s]
        for s in by_sex
    )


def _candidates(year: int):
    """Age splits and worked-hours factors in a fixed order (closest to 1,00 first)."""
    counts = {s: sum(n for (_, sx), n in HEADCOUNT[year].items() if sx == s) for s in ("woman", "man")}
    for step in range(0, 61):
        for factor in sorted({Decimal(1) + Decimal(step) / 100, Decimal(1) - Decimal(step) / 100}, reverse=True):
            for young_w in range(1, 5):
                for young_m in range(1, 5):
                    for mid_w in range(2, counts["woman"] - young_w):
                        for mid_m in range(2, counts["man"] - young_m):
                            old = counts["woman"] + counts["man"] - young_w - young_m - mid_w - mid_m
                            # Every age group at least MIN_GROUP people, so none is suppressed.
                            if min(young_w + young_m, mid_w + mid_m, old) >= MIN_GROUP:
                                yield factor, {"woman": (young_w, mid_w), "man": (young_m, mid_m)}


def generate(year: int) -> list[Row]:
    """The year's rows: the first age split and worked-hours factor whose aggregates reproduce
    all of the seed's shares."""
    for factor, ages in _candidates(year):
        rows = _people(year, ages)
        for r in rows:
            r.worked_hours = (r.fte * FULL_YEAR_HOURS * (factor if r.sex == "woman" else 1)).quantize(Decimal("0.01"))
        if not _feasible(rows, year):
            continue
        _fill_sick(rows, year, factor)
        if _matches(rows, year):
            return rows
    raise ValueError(f"no staff rows reproduce seed 002 for {year}")


def to_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.person_key,
                FORM_LABELS[r.form],
                SEX_LABELS[r.sex],
                r.age_group,
                *(_comma(v) for v in (r.fte, r.worked_hours, r.sick_hours, r.long_sick_hours)),
            ]
        )
    return out.getvalue()


def _comma(value: Decimal) -> str:
    return format(value, "f").replace(".", ",")


def csv_path(year: int) -> Path:
    return DATA / f"lystkom_staff_{year}.csv"


def write_files() -> list[Path]:
    """Regenerate the staff files, by hand: `python manage.py shell -c "from
    samverkan.performance.demo import write_files; write_files()"`."""
    paths = []
    for year in YEARS:
        path = csv_path(year)
        path.write_text(to_csv(generate(year)), encoding="utf-8")
        paths.append(path)
    return paths
