"""`samverkan finance import-sie` and `samverkan finance report`: every kind and format, errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from .test_followup_usecase import make_books

FED = ("--year", "2023", "--federation", "testforbund")


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("finance", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def books(world):
    make_books(world)
    return world


def test_followup_json(books):
    out, _ = run("report", "followup", *FED, "--period", "T1", "--format", "json")
    data = json.loads(out)
    assert data["period"] == "T1"
    assert data["total"] == {"budget": "57000.00", "outcome": "85300.00", "deviation": "-28300.00"}


@pytest.mark.parametrize("kind", ["operating", "followup", "investments"])
def test_followup_kinds_as_table(books, kind):
    out, _ = run("report", kind, *FED)
    assert "TOTALT" in out and "tkr" in out


@pytest.mark.parametrize(("fmt", "magic"), [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_files(books, tmp_path, fmt, magic):
    target = tmp_path / f"rapport.{fmt}"
    _, err = run("report", "operating", *FED, "--format", fmt, "-o", str(target))
    assert target.read_bytes().startswith(magic)
    assert str(target) in err


def test_table_to_file_and_as_user(books, tmp_path):
    target = tmp_path / "rapport.txt"
    run("report", "investments", *FED, "-o", str(target), "--user", "t-board")
    assert "Ej angivet projekt" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["income", "balance", "cashflow", "balance-requirement"])
def test_statement_kinds_reach_the_statements(books, kind):
    # the hand-built books have no opening balances; the statement runs (or refuses) in one line
    try:
        out, _ = run("report", kind, *FED, "--format", "json")
    except CommandError as exc:
        assert "\n" not in str(exc)
    else:
        assert json.loads(out)["year"] == 2023


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "followup", "--year", "2023"), "ange --federation, det finns flera förbund: annat, testforbund"),
        (("report", "followup", "--year", "2023", "--federation", "nej"), "okänt förbund: nej"),
        (("report", "followup", *FED, "--period", "T5"), "Okänd period"),
        (("report", "resultat", *FED), "okänd rapport: resultat"),
        (("report", "followup", *FED, "--format", "xlsx"), "kräver -o"),
        (("report", "followup", *FED, "--format", "csv"), "okänt format"),
        (("report", "followup", "--year", "23", "--federation", "testforbund"), "fyra siffror"),
        (("report", "income", *FED, "--period", "T1"), "--period gäller"),
        (("report", "followup", "--year", "2021", "--federation", "testforbund"), "ingen huvudbok"),
        (("report", "followup", *FED, "--user", "nobody"), "finns inte"),
        (("report", "followup", *FED, "--user", "t-orderer"), "behörighet"),
        (("import-sie", "/nonexistent/file.se", "--federation", "testforbund"), "filen kan inte läsas"),
    ],
)
def test_errors_are_one_line(books, args, message):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert message in str(exc.value) and "\n" not in str(exc.value)


SIE = (
    "#FLAGGA 0\r\n#PROGRAM Test 1\r\n#FORMAT PC8\r\n#GEN 20240115\r\n#SIETYP 4\r\n#FNAMN Testförbundet\r\n"
    "#ORGNR 222000-0018\r\n#RAR 0 20230101 20231231\r\n#KONTO 1930 Bank\r\n#KONTO 3010 Intäkter\r\n"
    "#DIM 1 Verksamhet\r\n#OBJEKT 1 81141 IT\r\n"
    '#VER A 1 20230115 "Faktura"\r\n{\r\n#TRANS 1930 {} 100.00\r\n#TRANS 3010 {1 81141} -100.00\r\n}\r\n'
)


def test_import_sie_prints_summary_then_follow_up_reads_it(world, tmp_path):
    path = tmp_path / "bok.se"
    path.write_bytes(SIE.encode("cp437"))
    out, _ = run("import-sie", str(path), "--federation", "testforbund")
    assert out.strip()
    out, _ = run("report", "followup", *FED, "--format", "json")
    assert json.loads(out)["total"]["outcome"] == "100.00"


def test_import_sie_bad_file_is_one_line(world, tmp_path):
    path = tmp_path / "bad.se"
    path.write_bytes(b"#FLAGGA 0\r\n#RAR 0 2023 x\r\n")
    with pytest.raises(CommandError) as exc:
        run("import-sie", str(path), "--federation", "testforbund")
    assert "\n" not in str(exc.value)
