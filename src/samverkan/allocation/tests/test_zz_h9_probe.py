from django.urls import reverse

def test_probe_calc(world):
    api = world.api("economist")
    api.raise_request_exception = False
    url = reverse("allocation-api:calculate")
    bodies = [
        {"total": "1e999999999", "key": "equal", "rows": [{"member": "a"}, {"member": "b"}]},
        {"total": "NaN", "key": "equal", "rows": [{"member": "a"}, {"member": "b"}]},
        {"total": "Infinity", "key": "equal", "rows": [{"member": "a"}]},
        {"total": "100", "key": "pop", "rows": [{"member": "a", "pop": "1e999999999"}, {"member": "b", "pop": "1"}]},
        {"total": "100", "key": "pop", "rows": [{"member": "a", "pop": "NaN"}, {"member": "b", "pop": "1"}]},
        {"total": "100", "key": "pop", "rows": [{"member": "a", "pop": "-1"}, {"member": "b", "pop": "1"}]},
        {"total": "100", "key": "pop", "rows": [{"member": "a", "pop": [1]}, {"member": "b", "pop": {"x": 1}}]},
        {"total": "100", "key": "pop*" * 500, "rows": [{"member": "a", "pop": "1"}]},
        {"total": "100", "key": "0.5*pop+0.5*x", "rows": [{"member": "a", "pop": "1", "x": "0"}]},
        {"total": "-100", "key": "equal", "rows": [{"member": "a"}]},
        {"total": "100", "key": "equal", "rows": [{"member": "a" * 10000}]},
        {"total": "100", "key": "equal", "rows": [{"member": 5}, {"member": None}]},
        {"total": "1" * 5000, "key": "equal", "rows": [{"member": "a"}]},
    ]
    for b in bodies:
        r = api.post(url, b, format="json")
        print("calc", str(b)[:80], r.status_code, r.content[:100])
    url = reverse("allocation-api:business-case")
    base = {"name": "x", "components": [{"name": "a", "amount": "100"}], "years": 5, "users": 10, "first_year": 2025}
    for ch in ({"interest_rate": "999.99"}, {"years": 50, "interest_rate": "999.99"}, {"per_user": "9999999999.99", "users": 100000000},
               {"components": [{"name": "a", "amount": "9999999999999.99"}], "interest_rate": "999.99", "years": 50}):
        r = api.post(url, {**base, **ch}, format="json")
        print("bc", ch, r.status_code, r.content[:100])
