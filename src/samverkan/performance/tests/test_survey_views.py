"""The yearly customer survey: entered, imported, NKI per area for three years, NMI apart."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.core.models import AuditEvent
from samverkan.domain.errors import DomainError
from samverkan.performance.models import SurveyResult
from samverkan.performance.selectors.survey import NMI_AREA
from samverkan.performance.services.staff import survey_import, survey_result_set
from samverkan.testing import assert_roles

pytestmark = pytest.mark.django_db
SEED = "område;år;fråga;värde;svarande\n" + "".join(
    f"Lystkom {area};{year};;{value};\n"
    for area, values in (("kundtjänst", ("7,5", "7,4", "7,3")), ("IT", ("6,6", "6,9", "6,4")))
    for year, value in zip((2023, 2022, 2021), values, strict=True)
)


def test_seed_table_is_reproduced_and_nmi_kept_apart(world):
    assert survey_import(acting_user=world.users["economist"], federation=world.federation, data=SEED.encode()) == 6
    for label, value in (("Kundtjänst, enkät 1", "90.0"), ("IT, enkät 1", "87.2")):
        survey_result_set(
            acting_user=world.users["admin"],
            federation=world.federation,
            area=NMI_AREA,
            year=2023,
            question=label,
            value=Decimal(value),
        )
    body = world.api("board").get(reverse("performance-api:survey"), {"year": 2023}).json()
    assert body["years"] == [2023, 2022, 2021]
    assert [(r["area"], [float(v) for v in r["values"]]) for r in body["rows"]] == [
        ("Lystkom IT", [6.6, 6.9, 6.4]),
        ("Lystkom kundtjänst", [7.5, 7.4, 7.3]),
    ]
    assert [n["label"] for n in body["nmi"]] == ["IT, enkät 1", "Kundtjänst, enkät 1"]
    page = world.client("secretary").get(reverse("performance:survey"), {"ar": 2023}).content.decode()
    assert "Kundundersökning (nyckelpersoner i medlemskommunerna)" in page and "Enkät efter ärende" in page
    assert "7,5" in page and "90,0" in page
    assert AuditEvent.objects.filter(action="performance.survey_result_set").count() == 8


def test_import_error_has_line_and_writes_nothing(world):
    bad = SEED + "Lystkom IT;20x3;;6,6;\n"
    with pytest.raises(DomainError, match="rad 8: år"):
        survey_import(acting_user=world.users["admin"], federation=world.federation, data=bad.encode())
    with pytest.raises(DomainError, match="rad 2: värde"):
        survey_import(
            acting_user=world.users["admin"],
            federation=world.federation,
            data=b"omr\xc3\xa5de;\xc3\xa5r;v\xc3\xa4rde\nIT;2023;11\n",
        )
    assert not SurveyResult.objects.exists()


def test_roles(world):
    url = reverse("performance:survey")
    assert_roles(world, "get", url, allowed={"admin", "economist", "board", "secretary"})
    assert_roles(
        world,
        "get",
        reverse("performance-api:survey") + "?year=2023",
        allowed={"admin", "economist", "board", "secretary"},
        api=True,
    )
    assert_roles(world, "get", reverse("performance:survey_result"), allowed={"admin", "economist"})
    data = {"area": "IT", "year": 2023, "value": "6,6"}
    assert_roles(
        world, "post", reverse("performance-api:survey_result"), allowed={"admin", "economist"}, api=True, data=data
    )


def test_form_page_sets_a_value(world):
    response = world.client("admin").post(
        reverse("performance:survey_result"), {"area": "IT", "year": 2023, "question": "Bemötande", "value": "6,2"}
    )
    assert response.status_code == 302
    assert SurveyResult.objects.get().question == "bemötande"
    response = world.client("admin").post(
        reverse("performance:survey_result"), {"area": "IT", "year": 2023, "value": "12"}
    )
    assert response.status_code == 200 and SurveyResult.objects.count() == 1
    upload = SimpleUploadedFile("s.csv", SEED.encode())
    assert world.client("economist").post(reverse("performance:survey_import"), {"file": upload}).status_code == 302
