import pytest

from samverkan.portal.models import Team


@pytest.mark.parametrize("changes", [
    {"purchase_value": "1e30"}, {"purchase_value": "-5"}, {"purchase_value": "99999999999999999999"},
    {"subscription_id": 2**70}, {"depreciation_years": 7}, {"inventory_number": "A\x00"},
    {"purchase_date": "0001-01-01"}, {"purchase_date": "9999-12-31"},
])
def test_probe_asset(world, changes):
    body = {"inventory_number": "X1", "asset_type": "pc", "description": "d", "serial_number": "s",
            "purchase_date": "2024-01-01", "purchase_value": "1000.00", "depreciation_years": 4,
            "member": world.member.pk, "holder_name": "h"}
    body.update(changes)
    api = world.api("agent")
    api.raise_request_exception = False
    r = api.post("/api/v1/assets/assets/", body, format="json")
    print(changes, r.status_code, r.content[:200])
    assert r.status_code < 500
    if r.status_code == 201:
        for path in ("", "schedule/?frequency=monthly", "book-value/?on=9999-12-31", "book-value/?on=0001-01-01"):
            r2 = api.get(f"/api/v1/assets/assets/{r.json()['id']}/{path}")
            print(path, r2.status_code)
            assert r2.status_code < 500
        r3 = api.get("/api/v1/assets/reports/depreciation/?year=2200")
        assert r3.status_code < 500
        r3 = api.get(f"/api/v1/assets/reports/register/?member={world.member.pk}&on=0001-01-01")
        assert r3.status_code < 500

def test_probe_portal(world):
    team = Team.objects.create(federation=world.federation, code="it", name="IT-support", email="it@test.se")
    api = world.api("agent")
    api.raise_request_exception = False
    r = api.post("/api/v1/portal/tickets/", {"title": "t", "team": team.pk, "member": world.member.pk}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    for body in ({"minutes": 5000}, {"minutes": 2**70}, {"minutes": 5, "day": "0001-01-01"}, {"minutes": 5, "note": "a"*5000}):
        r = api.post(f"/api/v1/portal/tickets/{pk}/time/", body, format="json")
        print(body if len(str(body))<100 else "long", r.status_code, r.content[:150])
        assert r.status_code < 500
    for body in ({"assignee": 2**70}, {"assignee": world.users["orderer"].pk}):
        r = api.post(f"/api/v1/portal/tickets/{pk}/assign/", body, format="json")
        print(body, r.status_code, r.content[:150]); assert r.status_code < 500
    for body in ({"score": 11}, {"score": 5, "comment": "x\x00"}):
        r = api.post(f"/api/v1/portal/tickets/{pk}/survey/", body, format="json")
        print(body, r.status_code, r.content[:150]); assert r.status_code < 500
    r = api.get("/api/v1/portal/billable-time/?start=0001-01-01&end=9999-12-31"); print(r.status_code); assert r.status_code < 500
    r = api.get("/api/v1/portal/statistics/?year=1900"); print(r.status_code); assert r.status_code < 500
    r = api.get("/api/v1/portal/statistics/?year=2200"); print(r.status_code); assert r.status_code < 500
