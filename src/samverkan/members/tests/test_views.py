from datetime import date

import pytest
from django.urls import reverse

from samverkan.core.models import AuditEvent
from samverkan.members.models import Member
from samverkan.testing import assert_roles

READERS = {"admin", "agent", "economist", "board", "member_contact"}


def test_member_list_roles(world):
    assert_roles(world, "get", reverse("members:member-list"), allowed=READERS)


def test_member_list_shows_only_own_federation(world):
    page = world.client("admin").get(reverse("members:member-list")).content.decode()
    assert "Lycksele kommun" in page and "Storuman kommun" in page
    assert "Ludvika kommun" not in page


def test_member_contact_sees_only_its_member(world):
    client = world.client("member_contact")
    page = client.get(reverse("members:member-list")).content.decode()
    assert "Lycksele kommun" in page and "Storuman kommun" not in page
    assert client.get(reverse("members:member-detail", args=[world.other_member.pk])).status_code == 404


def test_foreign_member_is_404_for_admin(world):
    response = world.client("admin").get(reverse("members:member-detail", args=[world.foreign_member.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["member-create", "population-import"])
def test_write_pages_refuse_readers(world, name):
    allowed = {"admin"} if name == "member-create" else {"admin", "economist"}
    assert_roles(world, "get", reverse(f"members:{name}"), allowed=allowed)


def test_create_member_through_the_page_is_audited(world):
    response = world.client("admin").post(
        reverse("members:member-create"),
        {
            "name": "Dorotea kommun",
            "kommunkod": "2425",
            "orgnr": "2120002429",
            "joined": "2025-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()
    member = Member.objects.get(kommunkod="2425")
    assert member.orgnr == "212000-2429"
    assert member.periods.get().start == date(2025, 1, 1)
    event = AuditEvent.objects.get(object_type="members.Member", object_id=str(member.pk))
    assert event.actor == world.users["admin"] and event.after["name"] == "Dorotea kommun"


def test_create_member_rejects_bad_codes(world):
    response = world.client("admin").post(
        reverse("members:member-create"),
        {
            "name": "Påhittad",
            "kommunkod": "9999",
            "orgnr": "2120002420",
            "joined": "2025-01-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "9999 är inte en kommunkod" in page
    assert "inget giltigt organisationsnummer" in page
    assert not Member.objects.filter(name="Påhittad").exists()


def test_member_detail_lists_handovers_and_departments(world):
    page = world.client("board").get(reverse("members:member-detail", args=[world.member.pk])).content.decode()
    assert "Kundtjänst" in page and "Socialförvaltningen" in page and "2481-SOC" in page


def test_leave_ends_period_and_handovers(world):
    url = reverse("members:member-leave", args=[world.other_member.pk])
    assert world.client("admin").post(url, {"end": "2025-06-30"}).status_code == 302
    world.other_member.refresh_from_db()
    assert world.other_member.periods.get().end == date(2025, 6, 30)
    assert world.other_member.handovers.get().end == date(2025, 6, 30)


def test_service_participants_page(world):
    page = world.client("economist").get(reverse("members:services"), {"on": "2019-06-01"}).content.decode()
    assert "Lycksele kommun" not in page  # membership started 2020
    page = world.client("economist").get(reverse("members:services"), {"on": "2024-06-01"}).content.decode()
    assert "Lycksele kommun" in page and "Storuman kommun" in page


def test_population_import_page_reports_errors_and_imports(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samverkan.members.models import MemberFigure

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    url = reverse("members:population-import")
    client = world.client("economist")
    bad = SimpleUploadedFile("scb.csv", "region;2024\n2481 Lycksele;11980\n9999 X;5\n".encode("latin-1"))
    response = client.post(url, {"file": bad}, follow=True)
    assert response.status_code == 200 and "Arbetet misslyckades" in response.content.decode()
    assert "rad 3: fältet kommunkod: &#x27;9999&#x27; finns inte" in response.content.decode()
    assert not MemberFigure.objects.filter(reference_date=date(2024, 11, 1)).exists()
    good = SimpleUploadedFile("scb.csv", "Folkmängd 1 november\nregion;2024\n2481 Lycksele;11980\n".encode("latin-1"))
    response = client.post(url, {"file": good}, follow=True)
    assert "1 nya, 0 ändrade, 0 oförändrade" in response.content.decode()
    assert MemberFigure.objects.get(member=world.member, reference_date=date(2024, 11, 1)).value == 11980
    assert world.client("board").post(url, {"file": good}).status_code == 403


def test_member_page_shows_history_of_member_and_its_parts(world):
    from samverkan.members import services

    admin = world.users["admin"]
    services.department_update(department=world.department, acting_user=admin, data={"invoice_reference": "NY-REF"})
    services.member_update(member=world.member, acting_user=admin, data={"city": "Lycksele"})
    services.member_update(member=world.other_member, acting_user=admin, data={"city": "Storuman"})
    page = world.client("admin").get(reverse("members:member-detail", args=[world.member.pk])).content.decode()
    history = page[page.index("Ändringshistorik") :]
    assert "<strong>t-admin</strong> ändrade Socialförvaltningen (Lycksele kommun)" in history  # a sentence
    assert "<strong>t-admin</strong> ändrade Lycksele kommun" in history and "Ort: Lycksele" in history
    assert "Storuman" not in history


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("member-edit", {"admin"}),
        ("member-leave", {"admin"}),
        ("handover-create", {"admin"}),
        ("department-create", {"admin"}),
        ("contact-create", {"admin"}),
        ("figure-create", {"admin", "economist"}),
    ],
)
def test_member_write_pages_roles_and_other_federation(world, name, allowed):
    assert_roles(world, "get", reverse(f"members:{name}", args=[world.member.pk]), allowed=allowed)
    # The admin of another federation gets 404, not a form for a member it cannot see.
    assert world.client("outsider").get(reverse(f"members:{name}", args=[world.member.pk])).status_code == 404
    assert world.client("admin").get(reverse(f"members:{name}", args=[world.foreign_member.pk])).status_code == 404


def test_department_edit_is_scoped(world):
    url = reverse("members:department-edit", args=[world.department.pk])
    assert_roles(world, "get", url, allowed={"admin"})
    assert world.client("outsider").get(url).status_code == 404
    response = world.client("admin").post(
        url, {"name": "Socialtjänsten", "code": "SOC", "invoice_reference": "R-1", "active": "on"}
    )
    assert response.status_code == 302
    world.department.refresh_from_db()
    assert (world.department.name, world.department.invoice_reference) == ("Socialtjänsten", "R-1")


def test_handover_page_refuses_overlap_with_message(world):
    url = reverse("members:handover-create", args=[world.member.pk])
    response = world.client("admin").post(url, {"service": world.service.pk, "start": "2024-01-01", "extent": "full"})
    assert response.status_code == 200 and "redan överlämnat" in response.content.decode()
    assert world.member.handovers.count() == 1


def test_department_edit_refuses_a_duplicate_name(world):
    url = reverse("members:department-edit", args=[world.department.pk])
    response = world.client("admin").post(
        url, {"name": "Kommunstyrelseförvaltningen", "code": "SOC", "invoice_reference": "R-1", "active": "on"}
    )
    assert response.status_code == 200
    world.department.refresh_from_db()
    assert world.department.name == "Socialförvaltningen"
