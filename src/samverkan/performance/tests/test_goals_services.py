from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samverkan.core.models import AuditEvent
from samverkan.performance.models import Employment, StaffImport
from samverkan.performance.selectors import goals as selectors
from samverkan.performance.selectors.indicators import indicator_value
from samverkan.performance.services import goals as services

D = Decimal


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def make_ticket(world):
    from samverkan.portal.models import Team
    from samverkan.portal.services.tickets import ticket_create

    team = Team.objects.create(federation=world.federation, code="it", name="IT-support", email="it@test.se")

    def make():
        return ticket_create(
            acting_user=world.users["orderer"],
            member=world.member,
            department=world.department,
            team=team,
            title="Skrivaren fungerar inte",
            description="Den blinkar rött.",
        )

    return make


@pytest.fixture
def setup(world):
    admin = world.users["admin"]
    area = services.area_create(acting_user=admin, federation=world.federation, name="Personal och kompetens")
    goal = services.goal_create(
        acting_user=admin,
        area=area,
        text="Ingen ska drabbas av arbetsrelaterad ohälsa.",
        first_year=2022,
        last_year=2024,
    )
    sick = services.indicator_create(
        acting_user=admin, goal=goal, name="Total sjukfrånvaro", source="sick_leave", unit="%"
    )
    services.target_set(acting_user=admin, indicator=sick, year=2023, direction="below", value=D(4))
    manual = services.indicator_create(acting_user=admin, goal=goal, name="NMI", source="manual", unit="NMI")
    services.target_set(acting_user=admin, indicator=manual, year=2023, direction="higher")
    return world, admin, area, goal, sick, manual


def staff(world, year: int, rows: list[tuple[str, str]]) -> None:
    imp, _ = StaffImport.objects.get_or_create(
        federation=world.federation, year=year, defaults={"source_name": "lon.csv", "imported_by": world.users["admin"]}
    )
    for n, (worked, sick) in enumerate(rows, start=imp.employments.count()):
        Employment.objects.create(
            staff_import=imp,
            person_key=f"p{n}",
            form="permanent",
            sex="woman",
            age_group="30-49",
            fte=D(1),
            worked_hours=D(worked),
            sick_hours=D(sick),
            long_sick_hours=D(0),
        )


def test_sick_leave_recomputes_but_the_assessment_keeps_its_values(setup):
    world, admin, _area, goal, sick, manual = setup
    staff(world, 2023, [("1000", "29")])
    services.manual_value_set(acting_user=admin, indicator=manual, year=2022, value=D("86.8"), source="OSA-enkät")
    services.manual_value_set(acting_user=admin, indicator=manual, year=2023, value=D("90.0"), source="OSA-enkät")
    assert indicator_value(sick, 2023) == D("2.9")
    row = selectors.goal_row(goal, 2023)
    assert [r.met for r in row.indicators] == [True, True] and row.proposed == "met"
    assessment = services.assessment_set(acting_user=admin, goal=goal, year=2023, fulfilment="met", comment="Bra")
    assert assessment.proposed == "met"
    assert assessment.values[0] == {
        "indicator": sick.pk,
        "name": "Total sjukfrånvaro",
        "value": "2.9",
        "previous": None,
        "target": "4",
        "direction": "below",
        "met": True,
    }

    staff(world, 2023, [("1000", "100")])  # more sick leave imported: 129 of 2000 hours
    assert indicator_value(sick, 2023) == D("6.5")
    assert selectors.goal_row(goal, 2023).proposed == "partly"
    assessment.refresh_from_db()
    assert assessment.values[0]["value"] == "2.9" and assessment.values[0]["met"] is True


def test_ticket_volume_and_sla_recompute(world, make_ticket):
    admin = world.users["admin"]
    area = services.area_create(acting_user=admin, federation=world.federation, name="Uppdrag")
    goal = services.goal_create(acting_user=admin, area=area, text="God service", first_year=2020, last_year=2030)
    volume = services.indicator_create(acting_user=admin, goal=goal, name="Ärenden", source="ticket_volume")
    sla = services.indicator_create(acting_user=admin, goal=goal, name="SLA", source="sla", unit="%")
    year = timezone.localdate().year
    assert indicator_value(volume, year) == 0 and indicator_value(sla, year) is None
    services.target_set(acting_user=admin, indicator=volume, year=year, direction="at_most", value=D(1))
    services.assessment_set(acting_user=admin, goal=goal, year=year, fulfilment="met")
    first = make_ticket()
    make_ticket()
    type(first).objects.filter(pk=first.pk).update(resolution_breached=False)
    assert indicator_value(volume, year) == 2
    assert indicator_value(sla, year) == D("100.0")
    assert selectors.goal_row(goal, year).indicators[0].met is False
    assert goal.assessments.get().values[0]["value"] == "0"


def test_manual_value_with_document_and_audit(setup):
    world, admin, _area, _goal, sick, manual = setup
    doc = SimpleUploadedFile("osa.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    row = services.manual_value_set(
        acting_user=admin, indicator=manual, year=2023, value=D("88.3"), source="OSA-enkät hösten", document=doc
    )
    assert row.document.name.endswith("osa.pdf") and indicator_value(manual, 2023) == D("88.3")
    assert AuditEvent.objects.filter(object_type="performance.ManualValue", federation=world.federation).exists()
    with pytest.raises(ValidationError):
        services.manual_value_set(acting_user=admin, indicator=sick, year=2023, value=D(1), source="x")
    with pytest.raises(ValidationError):
        services.manual_value_set(acting_user=admin, indicator=manual, year=2023, value=D(1), source=" ")


def test_validation_errors(setup):
    world, admin, area, goal, sick, _manual = setup
    with pytest.raises(ValidationError):
        services.target_set(acting_user=admin, indicator=sick, year=2023, direction="at_least", value=None)
    with pytest.raises(ValidationError):
        services.goal_create(acting_user=admin, area=area, text="x", first_year=2024, last_year=2022)
    with pytest.raises(ValidationError):
        services.area_create(acting_user=admin, federation=world.federation, name="Personal och kompetens")
    with pytest.raises(ValidationError):
        services.assessment_set(acting_user=admin, goal=goal, year=2030, fulfilment="met")
    with pytest.raises(ValidationError):
        services.assessment_set(acting_user=admin, goal=goal, year=2023, fulfilment="maybe")
    with pytest.raises(ValidationError):
        services.indicator_update(acting_user=admin, indicator=sick, data={"parameters": {"queue": "1; drop"}})
    with pytest.raises(ValidationError):
        services.area_delete(acting_user=admin, area=area)  # has goals


def test_refused_roles_and_federations(setup):
    world, _admin, area, goal, _sick, _manual = setup
    for role in ("board", "secretary", "member_contact", "orderer", "agent"):
        with pytest.raises(PermissionDenied):
            services.goal_create(acting_user=world.users[role], area=area, text="x", first_year=2023, last_year=2023)
    with pytest.raises(PermissionDenied):
        services.assessment_set(acting_user=world.outsider, goal=goal, year=2023, fulfilment="met")
    services.goal_create(acting_user=world.users["economist"], area=area, text="x", first_year=2023, last_year=2023)


def test_summary_text(setup):
    world, admin, _area, goal, _sick, _manual = setup
    services.assessment_set(acting_user=admin, goal=goal, year=2023, fulfilment="not_assessable")
    blocks = selectors.goal_table(world.users["board"], year=2023)
    assert selectors.summary_text(selectors.summary(blocks)) == "1 mål: 1 kan inte bedömas"
    assert selectors.goal_table(world.outsider, year=2023) == []


def test_survey_nki_against_last_year_and_missing_sources(world):
    from samverkan.performance.models import SurveyArea, SurveyResult

    admin = world.users["admin"]
    area = services.area_create(acting_user=admin, federation=world.federation, name="Uppdrag")
    goal = services.goal_create(acting_user=admin, area=area, text="Bra service", first_year=2022, last_year=2024)
    survey_area = SurveyArea.objects.create(federation=world.federation, name="Kundtjänst")
    nki = services.indicator_create(
        acting_user=admin, goal=goal, name="NKI kundtjänst", source="nki_survey", parameters={"area": survey_area.pk}
    )
    services.target_set(acting_user=admin, indicator=nki, year=2023, direction="higher")
    SurveyResult.objects.create(area=survey_area, year=2022, value=D("7.4"))
    SurveyResult.objects.create(area=survey_area, year=2023, value=D("7.5"))
    row = selectors.goal_row(goal, 2023).indicators[0]
    assert (row.value, row.previous, row.met, row.target_text) == (D("7.5"), D("7.4"), True, "högre än föregående år")
    queue = services.indicator_create(
        acting_user=admin, goal=goal, name="Servicegrad", source="service_level", parameters={"queue": 999}
    )
    surplus = services.indicator_create(acting_user=admin, goal=goal, name="Överskott", source="surplus_ratio")
    tickets_nki = services.indicator_create(acting_user=admin, goal=goal, name="NKI ärenden", source="nki_tickets")
    assert indicator_value(queue, 2023) is None  # no such queue in the federation
    assert indicator_value(surplus, 2023) is None  # no ledger imported
    assert indicator_value(tickets_nki, 2023) is None  # no answers
    assert selectors.goal_row(goal, 2023).proposed == "partly"


LOG_2023 = """\
1688198400|a1|vaxel-lyc|NONE|ENTERQUEUE||0950123|1
1688198410|a1|vaxel-lyc|SIP/1|CONNECT|10|x|3
1688198500|a1|vaxel-lyc|SIP/1|COMPLETECALLER|10|90|1
1688202000|a2|vaxel-lyc|SIP/1|CONNECT|40|x|3
1688202100|a2|vaxel-lyc|SIP/1|COMPLETEAGENT|40|100|1
"""
LOG_MORE = """\
1688205600|a4|vaxel-lyc|SIP/1|CONNECT|5|x|3
1688205700|a4|vaxel-lyc|SIP/1|COMPLETEAGENT|5|100|1
"""


def test_service_level_recomputes_after_a_call_import(world):
    import io

    from samverkan.telephony import services as telephony
    from samverkan.telephony.models import Queue

    admin = world.users["admin"]
    queue = Queue.objects.create(
        federation=world.federation, name="vaxel-lyc", member=world.member, within_seconds=30, convention="answered"
    )

    def calls(text: str, name: str) -> None:
        telephony.call_records_import(
            acting_user=admin, federation=world.federation, file=io.BytesIO(text.encode()), file_name=name
        )

    calls(LOG_2023, "a.log")
    area = services.area_create(acting_user=admin, federation=world.federation, name="Uppdrag")
    goal = services.goal_create(acting_user=admin, area=area, text="Tillgänglighet", first_year=2023, last_year=2023)
    level = services.indicator_create(
        acting_user=admin,
        goal=goal,
        name="Kundtjänst inom 30 s",
        source="service_level",
        parameters={"queue": queue.pk},
    )
    services.target_set(acting_user=admin, indicator=level, year=2023, direction="at_least", value=D(60))
    assert indicator_value(level, 2023) == D("50.0")
    services.assessment_set(acting_user=admin, goal=goal, year=2023, fulfilment="not_met")
    calls(LOG_MORE, "b.log")
    assert indicator_value(level, 2023) == D("66.7")
    assert selectors.goal_row(goal, 2023).proposed == "met"
    assert goal.assessments.get().values[0]["value"] == "50.0"
