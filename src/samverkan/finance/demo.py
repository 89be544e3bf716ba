"""Demo finance data: Lystkom's ledger 2022–2023 (seed 002) and GSN's first follow-up 2023 (seed 004).

The ledgers are the SIE 4E files in `finance/data/` (written by `finance.demo_ledger`, kept in
the repository) and are imported here through the ordinary import service, like a finance
system's export; the budgets come with them as #PBUDGET. What an economist enters by hand is
entered here through the services: the federations' report settings, the investment projects
with their appropriations, and GSN's year-end forecast at the first follow-up (T1). Every
report figure is then computed from the imported vouchers.
"""

from __future__ import annotations

from decimal import Decimal

from samverkan.core.actors import system_actor
from samverkan.finance.demo_ledger import (
    DATA,
    GSN_ACTIVITIES,
    GSN_APPROPRIATIONS,
    GSN_FORECASTS,
    GSN_PROJECTS,
    INVESTMENT_BUDGET_2023,
    PROJECT_CODES,
    PROJECT_YEARS,
    PROJECTS,
)
from samverkan.finance.models import DeviationConvention, LineGrouping, PrintUnit
from samverkan.finance.services import budgets, ledger, mapping
from samverkan.members.models import Federation

FILES = {"lystkom": ("lystkom_2022.se", "lystkom_2023.se"), "gsn": ("gsn_2023.se",)}


def import_files(federation: Federation) -> None:
    for name in FILES[federation.slug]:
        ledger.import_sie(
            acting_user=system_actor(), federation=federation, data=(DATA / name).read_bytes(), source_name=name
        )


def build_lystkom(lystkom: Federation) -> None:
    actor = system_actor()
    mapping.settings_update(
        acting_user=actor,
        federation=lystkom,
        data={
            "deviation_convention": DeviationConvention.BUDGET_MINUS_OUTCOME,  # seed 002: budget − utfall
            "print_unit": PrintUnit.THOUSANDS,
            "line_grouping": LineGrouping.DETAILED,
            "financial_goal_percent": Decimal("2.00"),
        },
    )
    import_files(lystkom)
    for code, name in PROJECTS.items():
        project = budgets.project_create(
            acting_user=actor,
            federation=lystkom,
            code=PROJECT_CODES[code],
            name=name,
            depreciation_years=PROJECT_YEARS[code],
        )
        budgets.appropriation_set(
            acting_user=actor, project=project, year=2023, budget=Decimal(INVESTMENT_BUDGET_2023[code])
        )


def build_gsn(gsn: Federation) -> None:
    actor = system_actor()
    mapping.settings_update(
        acting_user=actor,
        federation=gsn,
        data={
            # Seed 004 prints favourable deviations as positive, in mkr, income and costs only.
            "deviation_convention": DeviationConvention.OUTCOME_MINUS_BUDGET,
            "print_unit": PrintUnit.MILLIONS,
            "line_grouping": LineGrouping.GROSS,
        },
    )
    import_files(gsn)
    for code, name in GSN_PROJECTS.items():
        project = budgets.project_create(acting_user=actor, federation=gsn, code=code, name=name, depreciation_years=5)
        budget, carried, forecast = GSN_APPROPRIATIONS[code]
        budgets.appropriation_set(
            acting_user=actor,
            project=project,
            year=2023,
            budget=Decimal(budget),
            carried_over=Decimal(carried),
            forecast=Decimal(forecast),
            comment="Prognos vid första uppföljningen (januari–april).",
        )
    for act, lines in GSN_FORECASTS.items():
        for line, amount in lines.items():
            budgets.forecast_set(
                acting_user=actor,
                federation=gsn,
                year=2023,
                as_of_month=4,
                activity=GSN_ACTIVITIES[act][0],
                line=line,
                amount=Decimal(amount),
                comment="Helårsprognos vid första uppföljningen: enligt budget.",
            )


def build(stdout) -> None:
    build_lystkom(Federation.objects.get(slug="lystkom"))
    build_gsn(Federation.objects.get(slug="gsn"))
    stdout.write("ekonomi: Lystkom huvudbok 2022–2023 med budget, GSN januari–april 2023 med prognos")
