"""The annual report: sections in seed 002's order, fields filled from the statements (so text and
tables agree), adoption and publication, who may read and edit, the page and the PDF."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samverkan.core.models import AuditEvent
from samverkan.domain.narrative import Figure
from samverkan.finance.tests.test_statements_selectors import make_year
from samverkan.finance.tests.test_statements_usecases import (
    CLOSING_2022,
    OPENING_2022,
    OPENING_2023,
    VOUCHERS_2023,
)
from samverkan.finance.usecases.statements import statement_report
from samverkan.governance.models import Body, BodyKind, Office, Seat
from samverkan.performance.models import Assessment, Fulfilment, Goal, GoalArea
from samverkan.performance.selectors import annual as selectors
from samverkan.performance.services import annual as services
from samverkan.testing import assert_roles

NBSP = "\u00a0"
READERS = {"admin", "economist", "board", "secretary"}
EDITORS = {"admin", "economist"}


@pytest.fixture
def ledger(world):
    user = world.users["economist"]
    make_year(world.federation, user, 2022, opening=OPENING_2022, closing=CLOSING_2022)
    return make_year(world.federation, user, 2023, opening=OPENING_2023, vouchers=VOUCHERS_2023)


@pytest.fixture
def report(world):
    return services.report_create(acting_user=world.users["economist"], federation=world.federation, year=2023)


@pytest.fixture
def board_body(world):
    body = Body.objects.create(federation=world.federation, name="Direktionen", kind=BodyKind.BOARD)
    Seat.objects.create(body=body, person_name="Anna Ordförande", office=Office.CHAIR, start=date(2023, 1, 1))
    Seat.objects.create(body=body, person_name="Bo Ledamot", start=date(2023, 1, 1))
    Seat.objects.create(body=body, person_name="Cecilia Ersättare", kind="substitute", start=date(2023, 1, 1))
    return body


def _set(report, key, text, world):
    section = report.sections.get(key=key)
    return services.section_update(acting_user=world.users["economist"], section=section, text=text)


def test_create_makes_the_default_sections_in_seed_order(world, report):
    keys = list(report.sections.order_by("position").values_list("key", flat=True))
    assert keys == [key for key, _title in services.DEFAULT_SECTIONS]
    assert keys[:2] == ["introduction", "year_in_brief"]
    assert keys.index("governance") < keys.index("staff") < keys.index("financial_analysis")
    assert AuditEvent.objects.filter(object_type="performance.AnnualReport").exists()
    with pytest.raises(ValidationError):
        services.report_create(acting_user=world.users["admin"], federation=world.federation, year=2023)
    with pytest.raises(ValidationError):
        services.report_create(acting_user=world.users["admin"], federation=world.federation, year="tjugo")


def test_the_roles_that_may_not_write_are_refused(world, report):
    section = report.sections.first()
    for role in ("board", "secretary", "member_contact", "agent", "orderer"):
        with pytest.raises(PermissionDenied):
            services.section_update(acting_user=world.users[role], section=section, text="x")
        with pytest.raises(PermissionDenied):
            services.report_create(acting_user=world.users[role], federation=world.federation, year=2024)


def test_unknown_field_is_refused_on_save_naming_it(world, report):
    with pytest.raises(ValidationError) as error:
        _set(report, "introduction", "Överskott med {resultat}.", world)
    assert "{resultat}" in str(error.value)


def test_text_and_statement_agree(world, ledger, report):
    _set(
        report, "introduction", "Lystkom redovisar ett överskott med {result}, {surplus_ratio} av omsättningen.", world
    )
    document = selectors.assemble(world.users["board"], report)
    intro = document.parts[0]
    result = statement_report(user=world.users["economist"], federation=world.federation, kind="income", year=2023)
    amount = next(line.amount for line in result.lines if line.key == "result")
    assert intro.paragraphs == [
        f"Lystkom redovisar ett överskott med {Figure(amount, step=selectors.THOUSAND).text()}, "
        f"{document.figures['surplus_ratio'].text()} av omsättningen."
    ]
    assert f"1{NBSP}376{NBSP}000{NBSP}kr" in intro.paragraphs[0]
    assert not document.warnings


def test_document_order_organisation_goals_signatures(world, ledger, report, board_body):
    area = GoalArea.objects.create(federation=world.federation, name="Uppdrag", position=1)
    goal = Goal.objects.create(area=area, text="Kundtjänst svarar inom 30 sekunder", first_year=2022, last_year=2024)
    Assessment.objects.create(goal=goal, year=2023, fulfilment=Fulfilment.MET, assessed_by=world.users["economist"])
    document = selectors.assemble(world.users["admin"], report)
    keys = [part.key for part in document.parts]
    assert keys.index("governance") < keys.index("organisation") < keys.index("goals") < keys.index("staff")
    assert keys.index("financial_analysis") < keys.index("statements") < keys.index("notes")
    goals = next(part for part in document.parts if part.key == "goals")
    assert goals.summary == "1 mål: 1 uppfyllt"
    assert [seat.person_name for seat in document.signatures] == ["Anna Ordförande", "Bo Ledamot"]


def test_without_a_ledger_the_report_still_renders_and_says_why(world, report):
    _set(report, "introduction", "Resultat {result}.", world)
    document = selectors.assemble(world.users["admin"], report)
    assert document.warnings and "huvudbok" in document.warnings[0]
    assert "{result}" in document.parts[0].error


def test_adopt_freezes_and_publish_needs_adoption(world, report):
    editor = world.users["admin"]
    with pytest.raises(ValidationError):
        services.publish(acting_user=editor, report=report)
    with pytest.raises(ValidationError):
        services.adopt(acting_user=editor, report=report, adopted_on=date(2023, 6, 1))
    services.adopt(acting_user=editor, report=report, adopted_on=date(2024, 3, 1))
    services.publish(acting_user=editor, report=report)
    report.refresh_from_db()
    assert report.published and report.adopted_on == date(2024, 3, 1)
    with pytest.raises(ValidationError):
        _set(report, "introduction", "Ändrad efteråt.", world)


def test_page_roles_and_publication(world, report):
    url = reverse("performance:annual_detail", args=[report.pk])
    assert_roles(world, "get", url, allowed=READERS)
    services.adopt(acting_user=world.users["admin"], report=report, adopted_on=date(2024, 3, 1))
    services.publish(acting_user=world.users["admin"], report=report)
    assert_roles(world, "get", url, allowed=READERS | {"member_contact"})
    assert world.client("member_contact").get(reverse("performance:annual_list")).context["reports"].count() == 1


def test_other_federation_gets_404(world, report):
    client = world.client(None)
    client.force_login(world.outsider)
    assert client.get(reverse("performance:annual_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("performance:annual_detail", args=[10**12])).status_code == 404


def test_edit_pages(world, report):
    section = report.sections.get(key="introduction")
    url = reverse("performance:annual_section_edit", args=[report.pk, section.pk])
    assert_roles(world, "get", url, allowed=EDITORS)
    client = world.client("economist")
    response = client.post(url, {"title": "Inledning", "text": "Fel {okant}."})
    assert response.status_code == 200 and "{okant}" in response.content.decode()
    response = client.post(url, {"title": "Inledning", "text": "Förbundet bildades 2019."})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.text == "Förbundet bildades 2019."
    create = reverse("performance:annual_create")
    assert client.post(create, {"year": 2024}).status_code == 302
    adopt = reverse("performance:annual_adopt", args=[report.pk])
    assert client.post(adopt, {"adopted_on": "2024-03-01"}).status_code == 302
    assert world.client("board").post(reverse("performance:annual_publish", args=[report.pk])).status_code == 403
    assert client.post(reverse("performance:annual_publish", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.published


def test_web_page_is_one_page_with_contents_and_figures(world, ledger, report, board_body):
    _set(report, "introduction", "Överskott med {result}.", world)
    html = world.client("board").get(reverse("performance:annual_detail", args=[report.pk])).content.decode()
    assert html.count("<h1") == 1
    assert "Innehållsförteckning" in html and 'href="#avsnitt-introduction"' in html
    assert f"Överskott med 1{NBSP}376{NBSP}000{NBSP}kr." in html
    assert "Resultaträkning" in html and "Balanskravsutredning" in html and "Anna Ordförande" in html
    assert "Ändra avsnittet" not in html  # the board reads, does not edit


def test_api_create_read_edit_adopt_publish(world, ledger):
    base = reverse("performance-api:annual_report_list")
    assert_roles(world, "get", base, allowed=READERS | {"member_contact"}, api=True)
    api = world.api("economist")
    created = api.post(base, {"year": 2023}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert world.api("board").post(base, {"year": 2024}, format="json").status_code == 403
    assert api.post(base, {"year": 99999}, format="json").status_code == 400
    detail = reverse("performance-api:annual_report_detail", args=[pk])
    assert world.api("member_contact").get(detail).status_code == 403
    data = api.get(detail).json()
    intro = data["parts"][0]
    url = reverse("performance-api:annual_report_section", args=[pk, intro["section_id"]])
    assert api.patch(url, {"text": "{okant}"}, format="json").status_code == 400
    assert world.api("board").patch(url, {"text": "x"}, format="json").status_code == 403
    assert api.patch(url, {"text": "Överskott {result}."}, format="json").status_code == 200
    data = world.api("board").get(detail).json()
    assert data["parts"][0]["paragraphs"] == [f"Överskott {data['figures']['result']}."]
    assert data["figures"]["result"] == f"1{NBSP}376{NBSP}000{NBSP}kr"
    adopt = reverse("performance-api:annual_report_adopt", args=[pk])
    publish = reverse("performance-api:annual_report_publish", args=[pk])
    assert api.post(publish, {}, format="json").status_code == 400
    assert api.post(adopt, {"adopted_on": "2024-03-01"}, format="json").status_code == 200
    assert api.post(publish, {"published": True}, format="json").status_code == 200
    assert world.api("member_contact").get(detail).status_code == 200
    outsider = world.api(None)
    outsider.force_authenticate(world.outsider)
    assert outsider.get(detail).status_code == 404
    assert api.get(reverse("performance-api:annual_report_detail", args=[2**70])).status_code == 404


def test_cli_writes_the_pdf_html(world, report, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = tmp_path / "arsredovisning.html"
    stdout = StringIO()
    call_command(
        "annual_report",
        year=2023,
        federation="testforbund",
        output=str(out),
        html=True,
        stdout=stdout,
        stderr=StringIO(),
    )
    assert '<html lang="sv">' in out.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="ingen årsredovisning"):
        call_command("annual_report", year=2020, federation="testforbund", output=str(out))
    with pytest.raises(CommandError):
        call_command("annual_report", year=2023, federation="finns-inte", output=str(out))


def test_member_contact_reads_the_published_report_with_its_statements(world, ledger, report):
    _set(report, "introduction", "Överskott med {result}.", world)
    services.adopt(acting_user=world.users["admin"], report=report, adopted_on=date(2024, 3, 1))
    services.publish(acting_user=world.users["admin"], report=report)
    html = world.client("member_contact").get(reverse("performance:annual_detail", args=[report.pk])).content.decode()
    assert f"Överskott med 1{NBSP}376{NBSP}000{NBSP}kr." in html
    assert "Resultaträkning" in html and "Ändra avsnittet" not in html
