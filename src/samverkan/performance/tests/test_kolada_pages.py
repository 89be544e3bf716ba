"""The Kolada page and API: who reads, who fetches, and the fetch's messages."""

from __future__ import annotations

from pathlib import Path

from samverkan.performance.importers import kolada
from samverkan.performance.models import KoladaFigure
from samverkan.testing import assert_roles

DATA = Path(__file__).parent / "data"
READERS = {"admin", "economist", "board", "secretary"}
FETCHERS = {"admin", "economist"}


def _recorded(monkeypatch):
    def fake(url, timeout):
        name = "kolada_kpi_N00002.json" if "/v2/kpi/" in url else "kolada_N00002_2023.json"
        return (DATA / name).read_bytes()

    monkeypatch.setattr(kolada, "_get", fake)


def test_page_roles_and_figures(world, monkeypatch):
    _recorded(monkeypatch)
    kolada.refresh(acting_user=world.users["admin"], federation=world.federation, kpi="N00002", year=2023)
    assert_roles(world, "get", "/mal/kolada/", READERS)
    page = world.client("board").get("/mal/kolada/").content.decode()
    assert "Lycksele kommun" in page and "51,3" in page and "Hämtat från Kolada" in page
    assert "Exempelnyckeltal för medlemskommunerna, andel (%) (N00002), 2023" in page  # the KPI's title
    assert "Hämta från Kolada" not in page  # no fetch form for the board
    assert "Hämta från Kolada" in world.client("economist").get("/mal/kolada/").content.decode()
    # another federation's admin sees none of it
    assert "Lycksele" not in world.client("outsider").get("/mal/kolada/").content.decode()


def test_fetch_by_post(world, monkeypatch):
    _recorded(monkeypatch)
    for role in ("board", "secretary"):
        assert world.client(role).post("/mal/kolada/", {"kpi": "N00002", "year": 2023}).status_code == 403
    assert not KoladaFigure.objects.exists()
    response = world.client("economist").post("/mal/kolada/", {"kpi": "N00002", "year": 2023}, follow=True)
    assert "2 värden hämtades från Kolada" in response.content.decode()
    monkeypatch.setattr(kolada, "_get", lambda url, timeout: b"{bad")
    response = world.client("economist").post("/mal/kolada/", {"kpi": "N00002", "year": 2023}, follow=True)
    page = response.content.decode()
    assert "inte kunde läsas" in page and "51,3" in page
    assert KoladaFigure.objects.count() == 2


def test_api(world, monkeypatch):
    _recorded(monkeypatch)
    assert_roles(world, "get", "/api/v1/performance/kolada/", READERS, api=True)
    for role in ("board", "secretary", "member_contact"):
        response = world.api(role).post("/api/v1/performance/kolada/", {"kpi": "N00002", "year": 2023}, format="json")
        assert response.status_code in (403, 404), role
    response = world.api("admin").post("/api/v1/performance/kolada/", {"kpi": "N00002", "year": 2023}, format="json")
    assert response.status_code == 201
    assert response.json()[0]["rows"][0]["value"] is not None
    assert response.json()[0]["title"].startswith("Exempelnyckeltal")
    assert world.api("outsider").get("/api/v1/performance/kolada/").json() == []
    monkeypatch.setattr(kolada, "_get", lambda url, timeout: b"[]")
    response = world.api("admin").post("/api/v1/performance/kolada/", {"kpi": "N00002", "year": 2023}, format="json")
    assert response.status_code == 400
    bad = world.api("admin").post("/api/v1/performance/kolada/", {"kpi": "../x", "year": 99999}, format="json")
    assert bad.status_code == 400
