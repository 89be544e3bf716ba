import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from samverkan.telephony import synthetic

from .conftest import LOG_2023, stored_calls


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "queue_log"
    path.write_text(LOG_2023)
    return path


def test_service_level_json_without_database(log_file):
    # no `db` fixture: any database access would fail this test
    out, _ = run("telephony", "service-level", str(log_file), "--within", "30", "--by", "queue", "--format", "json")
    rows = json.loads(out)
    assert rows[0] == {
        "group": "vaxel-lyc",
        "offered": 3,
        "answered": 2,
        "abandoned": 1,
        "answered_within": 1,
        "service_level": "0.3333",
        "asa_seconds": "25.00",
    }
    out, _ = run("telephony", "service-level", str(log_file), "--within", "30", "--convention", "answered")
    assert "66,7 %" in out and "answered within T / answered" in out


def test_service_level_csv_and_by_hour(tmp_path):
    calls = list(synthetic.random_calls(seed=1, queues=["q"], start_epoch=1672574400, count=300))
    path = tmp_path / "calls.csv"
    path.write_text("".join(synthetic.csv_lines(calls)))
    out, _ = run("telephony", "service-level", str(path), "--within", "20", "--by", "hour", "--format", "json")
    assert sum(r["offered"] for r in json.loads(out)) == 300


def test_service_level_csv_with_column_mapping(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Samtal;Kö;Start;Väntetid;Utfall\na;vx;2023-05-02 09:00;12;besvarat\nb;vx;2023-05-02 09:05;45;besvarat\n"
    )
    out, _ = run(
        "telephony",
        "service-level",
        str(path),
        "--within",
        "20",
        "--format",
        "json",
        "--csv-delimiter",
        ";",
        "--csv-columns",
        "callid=Samtal,queue=Kö,entered=Start,wait=Väntetid,outcome=Utfall,talk=",
    )
    assert json.loads(out) == [
        {
            "group": "all",
            "offered": 2,
            "answered": 2,
            "abandoned": 0,
            "answered_within": 1,
            "service_level": "0.5000",
            "asa_seconds": "28.50",
        }
    ]
    with pytest.raises(CommandError, match="kolumnmappning"):
        run("telephony", "service-level", str(path), "--within", "20", "--csv-columns", "colour=Färg")


def test_service_level_errors(log_file, tmp_path):
    bad = tmp_path / "bad"
    bad.write_text(LOG_2023 + "oops\n")
    with pytest.raises(CommandError, match="rad 9"):
        run("telephony", "service-level", str(bad), "--within", "30")
    out, err = run("telephony", "service-level", str(bad), "--within", "30", "--skip-bad-lines", "--format", "json")
    assert "rad 9" in err and json.loads(out)[0]["offered"] == 4
    with pytest.raises(CommandError, match="finns inte"):
        run("telephony", "service-level", str(tmp_path / "missing"), "--within", "30")


def test_import_command(world, log_file):
    world.federation.slug = "lystkom"
    world.federation.save()
    out, _ = run("telephony", "import", str(log_file))
    assert "4 nya samtal" in out and len(stored_calls()) == 4
    out, _ = run("telephony", "import", str(log_file))
    assert "redan importerad" in out
    with pytest.raises(CommandError, match="okänt förbund"):
        run("telephony", "import", str(log_file), "--federation", "nope")


def test_staffing_erlang_json():
    out, _ = run(
        "staffing",
        "erlang",
        "--calls",
        "100",
        "--interval",
        "1800",
        "--aht",
        "180",
        "--target",
        "0.8",
        "--within",
        "20",
        "--shrinkage",
        "0.3",
        "--format",
        "json",
    )
    data = json.loads(out)  # the API's JSON (usecases.IntervalStaffing.as_dict)
    assert {k: round(v, 6) if isinstance(v, float) else v for k, v in data.items()} == {
        "model": "erlang_c",
        "traffic_erlangs": 10.0,
        "agents": 14,
        "agents_with_shrinkage": 20,
        "service_level": 0.88835,
        "waiting_probability": 0.174132,
        "asa_seconds": 7.835937,
        "occupancy": 0.714286,
        "abandon_probability": None,
    }
    with pytest.raises(CommandError):
        run("staffing", "erlang", "--calls", "100", "--aht", "180", "--target", "0")
    with pytest.raises(CommandError, match="inte ett tal"):
        run("staffing", "erlang", "--calls", "1", "--aht", "180", "--target", "x")


def test_staffing_erlang_a():
    out, _ = run(
        "staffing",
        "erlang",
        "--calls",
        "100",
        "--interval",
        "1800",
        "--aht",
        "180",
        "--target",
        "0.8",
        "--within",
        "20",
        "--patience",
        "120",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["model"] == "erlang_a" and data["agents"] <= 14 and data["service_level"] >= 0.8
    assert 0 < data["abandon_probability"] < 0.1


def test_staffing_plan(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("start,calls,aht\n2025-01-02T08:00,100,180\n2025-01-02T08:30,0,\n")
    out, _ = run("staffing", "plan", str(path), "--aht", "180", "--format", "json")
    rows = json.loads(out)
    assert [r["agents"] for r in rows] == [14, 0]
    out, _ = run("staffing", "plan", str(path), "--aht", "180")
    assert out.splitlines()[0].startswith("start,calls,agents")
    path.write_text("start,calls\n08:00,many\n")
    with pytest.raises(CommandError, match="rad 2"):
        run("staffing", "plan", str(path), "--aht", "180")
    path.write_text("begin,calls\n")
    with pytest.raises(CommandError, match="start och calls"):
        run("staffing", "plan", str(path))


def test_import_command_acts_as_the_system(world, log_file):
    from samverkan.telephony.models import ImportBatch

    world.federation.slug = "lystkom"
    world.federation.save()
    run("telephony", "import", str(log_file))
    assert ImportBatch.objects.get().imported_by.is_system


@pytest.mark.parametrize("value", ["1e999999999", "-1", "nan", "9" * 30, "604801", "x"])
def test_service_level_thresholds_are_bounded(log_file, value):
    for option in ("--within", "--short-abandon"):
        args = ["telephony", "service-level", str(log_file), "--within", "20", option, value]
        with pytest.raises(CommandError, match=f"^{option}: ") as info:
            run(*args)
        assert "\n" not in str(info.value)
