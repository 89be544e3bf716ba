"""No apportionment runs for ever: every number, key weight and file is bounded at the edge.

Each family is fed to every entry point (API, calculator page, `samverkan allocate`) and must be
refused quickly with a message naming the field (and the line), never hang or answer 500.
"""

import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from samverkan.allocation.importers.key_csv import MAX_ROWS

HUGE_WEIGHTS = ["1e999999999", "1e-999999999", "9" * 30, "NaN", "Infinity", "-1", "1" * 900]
FAST = 2.0  # seconds; each case took minutes or never finished before


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def allocate(*args):
    out = StringIO()
    call_command("allocate", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "nyckel.csv"
    path.write_text("member,population\nA,100\nB,300\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("weight", HUGE_WEIGHTS, ids=range(len(HUGE_WEIGHTS)))
def test_cli_refuses_extreme_key_weights_quickly(key_file, weight):
    with Timer() as timer, pytest.raises(CommandError, match="weight"):
        allocate(key_file, "--total", "1000", "--key", f"equal:{weight},population:50")
    assert timer.seconds < FAST


@pytest.mark.parametrize("total", ["1e999999999", "-1e999999999", "1e-999999999", "9" * 30, "NaN", "1,234.5"])
def test_cli_refuses_extreme_totals_quickly(key_file, total):
    with Timer() as timer, pytest.raises(CommandError, match=r"^--total: "):
        allocate(key_file, f"--total={total}", "--key", "population")
    assert timer.seconds < FAST


@pytest.mark.parametrize("weight", HUGE_WEIGHTS, ids=range(len(HUGE_WEIGHTS)))
def test_api_refuses_extreme_key_weights_quickly(world, weight):
    api, url = world.api("economist"), reverse("allocation-api:calculate")
    payload = {"total": "1000", "key": "equal:1,population:1", "rows": [{"member": "A", "population": 1}]}
    assert api.post(url, payload, format="json").status_code == 200  # the first request imports and warms up
    with Timer() as timer:
        response = api.post(url, {**payload, "key": f"equal:{weight},population:1"}, format="json")
    assert response.status_code == 400 and "weight" in response.json()[0]
    assert timer.seconds < FAST


@pytest.mark.parametrize("weight", ["1e999999999", "1e-999999999"])
def test_calculator_page_refuses_extreme_key_weights_quickly(world, weight):
    upload = SimpleUploadedFile("k.csv", b"member;population\nA;1\nB;3\n")
    client = world.client("economist")
    client.get(reverse("allocation:calculator"))  # the first request imports and warms up
    with Timer() as timer:
        response = client.post(
            reverse("allocation:calculator"),
            {"file": upload, "total": "100", "key": f"equal:{weight},population:1", "unit": "krona"},
        )
    assert response.status_code == 200 and "Förstår inte" in response.content.decode()  # said in Swedish
    assert timer.seconds < FAST


def test_calculator_page_refuses_a_huge_total_and_states_the_file_limit(world):
    page = world.client("economist").get(reverse("allocation:calculator")).content.decode()
    assert "Högst 2,0\u00a0MB." in page
    upload = SimpleUploadedFile("k.csv", b"member;population\nA;1\n")
    response = world.client("economist").post(
        reverse("allocation:calculator"), {"file": upload, "total": "1e999999999", "key": "equal", "unit": "krona"}
    )
    assert "får inte skrivas med exponent" in response.content.decode()


def test_a_hundred_thousand_rows_are_refused_at_the_row_limit_quickly(tmp_path):
    """`member in list` made 100 000 rows take 52 s; the table now stops at MAX_ROWS."""
    path = tmp_path / "big.csv"
    path.write_text("member,population\n" + "".join(f"M{i},{i}\n" for i in range(100_000)), encoding="utf-8")
    with Timer() as timer, pytest.raises(CommandError, match=f"rad {MAX_ROWS + 2}: högst {MAX_ROWS} medlemsrader"):
        allocate(str(path), "--total", "1000", "--key", "population")
    assert timer.seconds < FAST


def test_a_duplicate_after_the_maximum_number_of_members_is_found_in_linear_time(tmp_path):
    path = tmp_path / "dup.csv"
    rows = "".join(f"M{i},{i + 1}\n" for i in range(MAX_ROWS - 1))
    path.write_text(f"member,population\n{rows}M5,1\n", encoding="utf-8")
    with Timer() as timer, pytest.raises(CommandError, match=f"rad {MAX_ROWS + 1}: medlemmen 'M5' förekommer redan"):
        allocate(str(path), "--total", "1000", "--key", "population")
    assert timer.seconds < FAST


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"member,population\rA,1\rB,x\r", "rad 3: population: «x» är inte ett tal"),  # CR-only line endings
        (b"member,population\nA," + b"1" * 200_000 + b"\n", "rad 2: ett fält är för långt"),
        (b'member,population\nA,"1\n', "rad 2"),  # truncated inside quotes
        (b"\xef\xbb\xbfmember,population\r\nA,1\r\n", None),  # BOM and CRLF are read
    ],
)
def test_line_endings_and_oversize_fields_answer_with_the_line(tmp_path, content, message):
    path = tmp_path / "k.csv"
    path.write_bytes(content)
    if message is None:
        assert "A" in allocate(str(path), "--total", "10", "--key", "population")
        return
    with pytest.raises(CommandError, match=message):
        allocate(str(path), "--total", "10", "--key", "population")


def test_calculator_page_reads_cr_only_files_and_names_the_line(world):
    upload = SimpleUploadedFile("k.csv", b"member;population\rA;1\rB;" + b"9" * 200_000 + b"\r")
    response = world.client("economist").post(
        reverse("allocation:calculator"), {"file": upload, "total": "100", "key": "population", "unit": "krona"}
    )
    assert response.status_code == 200 and "rad 3: ett fält är för långt" in response.content.decode()
