import io

from django.urls import reverse

from samverkan.telephony.models import Queue
from samverkan.testing import assert_roles

READERS = {"admin", "agent", "economist", "board", "member_contact"}


def test_api_roles(calls):
    assert_roles(calls, "get", reverse("telephony-api:queue-list"), allowed=READERS, api=True)
    assert_roles(calls, "get", reverse("telephony-api:service-level"), allowed=READERS, api=True)
    assert_roles(calls, "get", reverse("telephony-api:import-list"), allowed={"admin", "agent"}, api=True)


def test_service_level_json(calls):
    data = calls.api("economist").get(reverse("telephony-api:service-level"), {"per": "queue", "year": 2023}).json()
    lyc = next(row for row in data if row["label"] == "Växel Lycksele kommun")
    assert lyc["service_level"] == "0.5000" and lyc["previous_year_service_level"] == "0.5000"
    assert lyc["asa_seconds"] == "25.00" and lyc["convention"] == "answered"
    assert (lyc["abandonment_rate"], lyc["longest_wait_seconds"]) == ("0.3333", 50)
    assert lyc["occupancy"] is None  # no membership events in these logs: unknown, not 0
    assert calls.api("admin").get(reverse("telephony-api:service-level"), {"per": "x"}).status_code == 400
    assert calls.api("admin").get(reverse("telephony-api:service-level"), {"year": 99999}).status_code == 400
    bad = calls.api("admin").get(reverse("telephony-api:service-level"), {"year": "abc", "convention": "zz"})
    assert bad.status_code == 400 and set(bad.json()) == {"year", "convention"}
    foreign = Queue.objects.get(name="vaxel-lud")
    assert calls.api("admin").get(reverse("telephony-api:service-level"), {"queue": foreign.pk}).status_code == 404
    assert calls.api("admin").get(reverse("telephony-api:queue-detail", args=[foreign.pk])).status_code == 404


def test_erlang_endpoint(calls):
    url = reverse("telephony-api:erlang")
    data = (
        calls.api("agent")
        .get(url, {"calls": 100, "interval": 1800, "aht": 180, "target": 0.8, "within": 20, "shrinkage": 0.3})
        .json()
    )
    assert data["agents"] == 14 and data["agents_with_shrinkage"] == 20
    assert round(data["service_level"], 6) == 0.888350
    assert calls.api("agent").get(url, {"calls": 100}).status_code == 400
    huge = {"calls": 1_000_000, "interval": 60, "aht": 36_000, "target": 0.8, "within": 20}
    assert calls.api("agent").get(url, huge).status_code == 400  # > 100 000 agents: refused, not a crash
    erlang_a = (
        calls.api("agent")
        .get(url, {"calls": 100, "interval": 1800, "aht": 180, "target": 0.8, "within": 20, "patience": 120})
        .json()
    )
    assert erlang_a["model"] == "erlang_a" and erlang_a["agents"] <= 14 and erlang_a["abandon_probability"] > 0
    assert calls.api(None).get(url, {"calls": 100}).status_code in (401, 403)


def test_import_endpoint(calls, settings, tmp_path):
    """202 and the background job; its API URL tells done (the batch) or failed (the line)."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    client = calls.api("agent")
    upload = io.BytesIO(b"1688209200|n1|vaxel-lyc|NONE|ABANDON|1|1|12\n")
    upload.name = "n.log"
    response = client.post(reverse("telephony-api:import-list"), {"file": upload}, format="multipart")
    assert response.status_code == 202 and response["Location"] == response.json()["url"]
    job = client.get(response.json()["url"]).json()
    assert job["status"] == "done" and job["message"].startswith("1 nya samtal")
    assert client.get(reverse("telephony-api:import-list")).json()["results"][0]["records_created"] == 1
    upload.seek(0)
    again = client.post(reverse("telephony-api:import-list"), {"file": upload}, format="multipart")
    assert again.status_code == 202 and "redan importerad" in again.json()["message"]
    bad = io.BytesIO(b"nonsense\n")
    bad.name = "b.log"
    failed = client.post(reverse("telephony-api:import-list"), {"file": bad}, format="multipart").json()
    assert failed["status"] == "failed" and "Rad 1" in failed["error"] and "Inget importerades" in failed["error"]
    assert calls.api("economist").get(failed["url"]).status_code == 404  # not theirs to follow
    assert calls.api("economist").post(reverse("telephony-api:import-list"), {}).status_code == 403


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return [line.split(";") for line in body[1:].strip().split("\n")]


def test_calls_of_an_import_as_csv(calls):
    from samverkan.telephony.models import ImportBatch

    batch = ImportBatch.objects.get(federation=calls.federation, file_name="2023.log")
    url = reverse("telephony-api:import-calls", args=[batch.pk])
    assert_roles(calls, "get", url, allowed={"admin", "agent"}, api=True)
    rows = _csv(calls.api("agent").get(url))
    assert rows[0] == ["Kö", "Samtals-id", "In i kön", "Utfall", "Väntetid (s)", "Samtalstid (s)", "Agent"]
    # Swedish summer time: 1688198400 is 2023-07-01 10:00 local; a1 entered 10 s before it was answered
    assert rows[1] == ["vaxel-lyc", "a1", "2023-07-01 10:00:00", "Besvarat", "10", "90", "SIP/1"]
    assert ["vaxel-lyc", "a3", "2023-07-01 11:59:10", "Avbrutet av den som ringde", "50", "", ""] in rows
    assert len(rows) == 1 + 4
    foreign = ImportBatch.objects.get(federation=calls.other_federation)
    assert calls.api("admin").get(reverse("telephony-api:import-calls", args=[foreign.pk])).status_code == 404
    page = reverse("telephony:import-calls", args=[batch.pk])
    assert_roles(calls, "get", page, allowed={"admin", "agent"})
    assert _csv(calls.client("agent").get(page)) == rows
    assert calls.client("admin").get(reverse("telephony:import-calls", args=[foreign.pk])).status_code == 404
