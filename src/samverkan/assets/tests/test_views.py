from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.assets.models import Asset
from samverkan.testing import assert_roles

READERS = {"admin", "agent", "economist", "member_contact", "orderer"}
WRITERS = {"admin", "agent"}
REPORTS = {"admin", "agent", "economist", "member_contact"}


def test_page_roles(world, make_asset):
    asset = make_asset()
    assert_roles(world, "get", reverse("assets:asset-list"), allowed=READERS)
    assert_roles(world, "get", reverse("assets:asset-detail", args=[asset.pk]), allowed=READERS)
    for name in ("assets:asset-create", "assets:asset-import"):
        assert_roles(world, "get", reverse(name), allowed=WRITERS)
    assert_roles(world, "get", reverse("assets:asset-edit", args=[asset.pk]), allowed=WRITERS)
    for name in ("assets:register", "assets:depreciation"):
        assert_roles(world, "get", reverse(name), allowed=REPORTS)


def test_other_member_asset_is_404(world, make_asset):
    other = make_asset(member=world.other_member, department=None)
    assert world.client("orderer").get(reverse("assets:asset-detail", args=[other.pk])).status_code == 404
    assert world.client("member_contact").get(reverse("assets:asset-detail", args=[other.pk])).status_code == 404
    assert world.client("outsider").get(reverse("assets:asset-detail", args=[other.pk])).status_code == 404
    assert world.api("member_contact").get(f"/api/v1/assets/assets/{other.pk}/").status_code == 404


def test_create_return_dispose_through_pages(world):
    client = world.client("agent")
    response = client.post(
        reverse("assets:asset-create"),
        {
            "inventory_number": "PC-9",
            "asset_type": "pc",
            "purchase_date": "2023-02-01",
            "purchase_value": "9600",
            "depreciation_years": 4,
            "member": world.member.pk,
            "department": world.department.pk,
        },
    )
    asset = Asset.objects.get(inventory_number="PC-9")
    assert response.status_code == 302 and asset.status == "in_stock"
    client.post(reverse("assets:asset-status", args=[asset.pk]), {"status": "in_use", "on": "2023-02-02"})
    client.post(
        reverse("assets:asset-status", args=[asset.pk]), {"status": "disposed", "reason": "Stulen", "on": "2024-03-31"}
    )
    asset.refresh_from_db()
    assert asset.status == "disposed" and asset.disposed_on == date(2024, 3, 31)
    page = client.get(reverse("assets:asset-detail", args=[asset.pk])).content.decode()
    assert "Stulen" in page
    assert (
        world.client("economist")
        .post(reverse("assets:asset-status", args=[asset.pk]), {"status": "in_use"})
        .status_code
        == 403
    )


def test_register_report_and_csv(world, make_asset):
    make_asset(purchase_value=Decimal("12000.00"))
    client = world.client("member_contact")
    response = client.get(reverse("assets:register"), {"medlem": world.member.pk, "datum": "2023-12-31"})
    assert response.context["totals"]["book_value"] == Decimal("9000.00")
    csv_text = client.get(
        reverse("assets:register"), {"medlem": world.member.pk, "datum": "2023-12-31", "format": "csv"}
    ).content.decode()
    assert "9000.00" in csv_text
    # a member contact cannot pick another member
    other = client.get(reverse("assets:register"), {"medlem": world.other_member.pk})
    assert other.context["member"] == world.member


def test_import_page_reports_line_errors(world, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    bad = "inventarienummer;typ;anskaffningsdatum;anskaffningsvärde;avskrivningstid\nA;pc;2023-01-01;100;9\n"
    response = world.client("admin").post(
        reverse("assets:asset-import"), {"file": SimpleUploadedFile("r.csv", bad.encode())}, follow=True
    )
    assert response.status_code == 200 and "Rad 2" in response.content.decode()
    assert not Asset.objects.exists()


def test_import_page_runs_a_job_and_shows_its_result(world, settings, tmp_path, django_capture_on_commit_callbacks):
    """The upload is kept for the job, the job imports it, the page shows the counts; the file is
    removed once the work has committed."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    good = "inventarienummer;typ;anskaffningsdatum;anskaffningsvärde;avskrivningstid\nA;pc;2023-01-01;100;3\n"
    client = world.client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assets:asset-import"), {"file": SimpleUploadedFile("r.csv", good.encode())})
    assert response.status_code == 302 and "?jobb=" in response.url
    page = client.get(response.url).content.decode()
    assert "Importen är klar: 1 nya" in page and Asset.objects.count() == 1
    assert not list((tmp_path / "jobb").iterdir())
    assert world.client("economist").get(response.url).status_code == 403  # not an importer


def test_api(world, make_asset):
    asset = make_asset()
    assert_roles(world, "get", "/api/v1/assets/assets/", allowed=READERS, api=True)
    assert_roles(world, "get", "/api/v1/assets/reports/depreciation/?year=2023", allowed=REPORTS, api=True)
    api = world.api("agent")
    created = api.post(
        "/api/v1/assets/assets/",
        {
            "inventory_number": "TAB-1",
            "asset_type": "tablet",
            "purchase_date": "2023-05-01",
            "purchase_value": "6000.00",
            "depreciation_years": 3,
            "member": world.member.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert world.api("economist").post("/api/v1/assets/assets/", {}, format="json").status_code == 403
    value = api.get(f"/api/v1/assets/assets/{asset.pk}/book-value/?on=2023-12-31").json()
    assert value["book_value"] == "9000.00"
    sched = api.get(f"/api/v1/assets/assets/{asset.pk}/schedule/").json()
    assert [row["amount"] for row in sched] == ["3000.00"] * 4
    status = api.post(f"/api/v1/assets/assets/{asset.pk}/status/", {"status": "returned"}, format="json")
    assert status.status_code == 400
    status = api.post(
        f"/api/v1/assets/assets/{asset.pk}/status/", {"status": "returned", "reason": "Återbruk"}, format="json"
    )
    assert status.json()["status"] == "returned"
    assert [e["action"] for e in api.get(f"/api/v1/assets/assets/{asset.pk}/history/").json()] == ["created", "status"]
    register = (
        world.api("member_contact")
        .get(f"/api/v1/assets/reports/register/?member={world.member.pk}&on=2023-12-31")
        .json()
    )
    # only the tablet (6 000 kr, 8 of 36 months gone); the PC was returned to stock
    assert register["totals"]["book_value"] == "4666.67"


def test_orderer_gets_no_links_to_reports_it_may_not_open(world):
    page = world.client("orderer").get(reverse("assets:asset-list")).content.decode()
    assert reverse("assets:register") not in page and reverse("assets:depreciation") not in page
    page = world.client("member_contact").get(reverse("assets:asset-list")).content.decode()
    assert reverse("assets:register") in page
