"""`samverkan allocate`: no database, exact sums, clear errors with line numbers."""

import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FEES = "member,population,users\nDorotea,2490,300\nLycksele,11980,1500\nStoruman,5790,700\n"


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "nyckel.csv"
    path.write_text(FEES, encoding="utf-8")
    return str(path)


def run(*args):
    out = StringIO()
    call_command("allocate", *args, stdout=out)
    return out.getvalue()


def test_json_output_in_input_order_amounts_as_strings(key_file):
    rows = json.loads(run(key_file, "--total", "1 000 000", "--key", "population", "--format", "json"))
    assert [r["member"] for r in rows] == ["Dorotea", "Lycksele", "Storuman"]
    assert all(isinstance(r["amount"], str) for r in rows)
    assert sum(int(r["amount"]) for r in rows) == 1000000
    # 1 000 000 × 2490/20260 = 122 902.27…
    assert rows[0] == {"member": "Dorotea", "amount": "122902"}


def test_mix_key_and_ore_unit(key_file):
    rows = json.loads(
        run(key_file, "--total", "100", "--key", "equal:50,users:50", "--unit", "ore", "--format", "json")
    )
    assert sum(Decimal(r["amount"]) for r in rows) == 100
    assert all(len(r["amount"].split(".")[1]) == 2 for r in rows)


def test_csv_and_table_output(key_file):
    assert run(key_file, "--total", "3", "--key", "equal", "--format", "csv") == (
        "member,amount\nDorotea,1\nLycksele,1\nStoruman,1\n"
    )
    table = run(key_file, "--total", "1166000", "--key", "population")
    assert "Summa" in table and "1 166 000" in table and table.startswith("Nyckel: Invånare")


def test_semicolon_file_with_swedish_numbers(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("\ufeffmember;population\nA;1 000\nB;3 000\n", encoding="utf-8")
    rows = json.loads(run(str(path), "--total", "4", "--key", "population", "--format", "json"))
    assert rows == [{"member": "A", "amount": "1"}, {"member": "B", "amount": "3"}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("population\n1\n", "rad 1: kolumnen 'member' saknas"),
        ("member,population\nA,1\nB,abc\n", "rad 3: population: «abc» är inte ett tal"),
        ("member,population\nA,1\nA,2\n", "rad 3: medlemmen 'A' förekommer redan"),
        ("member,population\nA,1,2\n", "rad 2: 3 fält, rubriken har 2"),
        ("member,population\nA,\n", "rad 2: population: värde saknas"),
        ("member,population\nA,-5\n", "rad 2: population: negativt värde"),
        ("member,population\n,5\n", "rad 2: medlem saknas"),
        ("member,population\n", "rad 1: filen har inga medlemsrader"),
        ("", "rad 1: filen är tom"),
    ],
)
def test_bad_file_gives_line_and_reason(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run(str(path), "--total", "100", "--key", "population")


def test_other_errors(key_file, tmp_path):
    with pytest.raises(CommandError, match="unknown key variable 'area'"):
        run(key_file, "--total", "100", "--key", "area")
    with pytest.raises(CommandError, match="--total"):
        run(key_file, "--total", "hundra", "--key", "equal")
    with pytest.raises(CommandError, match="whole multiple"):
        run(key_file, "--total", "100.50", "--key", "equal")
    with pytest.raises(CommandError, match="filen finns inte"):
        run(str(tmp_path / "saknas.csv"), "--total", "1", "--key", "equal")
    latin1 = tmp_path / "latin1.csv"  # what Swedish Excel writes is read (domain.textfiles)
    latin1.write_bytes("member,population\nA,1\nÅsele,2\n".encode("latin-1"))
    assert "Åsele" in run(str(latin1), "--total", "1", "--key", "equal")
    late = tmp_path / "late.csv"  # UTF-8 judged from the start, another encoding further down
    late.write_bytes(
        ("member,population\n" + "".join(f"M{i},1\n" for i in range(1000)) + "Åsele,2\n").encode("latin-1")
    )
    with pytest.raises(CommandError, match="rad 1002: filen är inte UTF-8"):
        run(str(late), "--total", "1", "--key", "equal")


def test_console_script_without_database(key_file, tmp_path):
    """The real `samverkan` entry point, with a database location that does not exist."""
    env = {"SAMVERKAN_HOME": str(tmp_path / "home"), "DATABASE_URL": f"sqlite:///{tmp_path}/none/x.sqlite3", "PATH": ""}
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "samverkan.cli",
            "allocate",
            key_file,
            "--total",
            "10",
            "--key",
            "equal",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert [r["amount"] for r in json.loads(ok.stdout)] == ["4", "3", "3"]
    bad = subprocess.run(
        [sys.executable, "-m", "samverkan.cli", "allocate", key_file, "--total", "10", "--key", "x"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 1 and "unknown key variable 'x'" in bad.stderr


def test_seed_000_fee_table_from_the_shipped_example_file():
    """Lystkom 2025: the adopted table as weights over its own sum reproduces it to the krona."""
    from pathlib import Path

    import samverkan.allocation

    example = Path(samverkan.allocation.__file__).parent / "data" / "lystkom_2025.csv"
    rows = json.loads(run(str(example), "--total", "1166000", "--key", "fee_2025", "--format", "json"))
    assert rows == [
        {"member": "Dorotea", "amount": "95122"},
        {"member": "Lycksele", "amount": "482634"},
        {"member": "Storuman", "amount": "226554"},
        {"member": "Vilhelmina", "amount": "252020"},
        {"member": "Åsele", "amount": "109670"},
    ]
    telephony = json.loads(run(str(example), "--total", "5581000", "--key", "telephony_2025", "--format", "json"))
    assert telephony[0] == {"member": "Dorotea", "amount": "470000"}
