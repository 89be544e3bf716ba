"""SCB population import: the formats SCB hands out, all-or-nothing, idempotent, and the CLI."""

import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent
from samverkan.members import services
from samverkan.members.importers.scb_population import ParseError, parse
from samverkan.members.models import FigureKind, MemberFigure

SAMPLE = Path(__file__).parent / "data" / "scb_folkmangd_1nov.csv"
ROOT = Path(__file__).resolve().parents[4]


def values(rows):
    return {(r.kommunkod, r.reference_date): r.value for r in rows}


def test_sample_file_semicolon_title_line_and_first_november():
    rows = parse(SAMPLE.read_bytes())
    got = values(rows)
    assert got[("2481", date(2023, 11, 1))] == 12015
    assert got[("2481", date(2024, 11, 1))] == 11980
    assert got[("2085", date(2024, 11, 1))] == 25800
    assert len(rows) == 12  # 6 municipalities × 2 years; Riket and the county are skipped
    assert {r.kommunkod for r in rows} == {"2481", "2421", "2462", "2463", "2425", "2085"}
    asele = next(r for r in rows if r.kommunkod == "2463")
    assert asele.name == "Åsele" and asele.line == 9


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_encodings_and_delimiters(encoding, delimiter):
    text = (
        "Folkmängd efter region och år\n"
        f'"region"{delimiter}"2024"\n'
        f'"2463 Åsele"{delimiter}2760\n'
        f'"2462 Vilhelmina"{delimiter}"6 550"\n'
    )
    rows = parse(text.encode(encoding))
    # No "1 november" in the title: a year column means the year's last day.
    assert values(rows) == {("2463", date(2024, 12, 31)): 2760, ("2462", date(2024, 12, 31)): 6550}
    assert rows[0].name == "Åsele"


def test_title_with_region_in_prose_is_not_taken_for_the_header():
    text = (
        "Folkmängd efter region, kön och år, 1 november\n\nregion,kön,2024\n2481 Lycksele,män,6000\n"
        "2481 Lycksele,kvinnor,5980\n"
    )
    assert values(parse(text.encode())) == {("2481", date(2024, 11, 1)): 11980}


def test_totalt_rows_are_used_when_present():
    text = "region;kön;2024\n2481 Lycksele;totalt;11980\n2481 Lycksele;män;6000\n2481 Lycksele;kvinnor;5980\n"
    assert values(parse(text.encode())) == {("2481", date(2024, 12, 31)): 11980}


def test_month_columns_and_code_column():
    text = "kommunkod,kommun,2024M10,2024M11\n2481,Lycksele,11990,11980\n114,Upplands Väsby,48000,48100\n"
    got = values(parse(text.encode()))
    assert got[("2481", date(2024, 10, 31))] == 11990
    assert got[("2481", date(2024, 11, 30))] == 11980
    assert got[("0114", date(2024, 11, 30))] == 48100


def test_month_november_in_a_1_november_table():
    text = "Folkmängd 1 november\nregion;2024M11\n2481 Lycksele;11980\n"
    assert values(parse(text.encode())) == {("2481", date(2024, 11, 1)): 11980}


def test_reference_date_override_and_value_column():
    rows = parse(b"region;2024\n2481 Lycksele;11980\n", reference_date=date(2024, 11, 1))
    assert values(rows) == {("2481", date(2024, 11, 1)): 11980}
    rows = parse("kommun;Folkmängd\nLycksele;11980\nRiket;10000000\n".encode(), reference_date=date(2024, 11, 1))
    assert values(rows) == {("2481", date(2024, 11, 1)): 11980}
    with pytest.raises(ParseError, match="referensdatum passar bara en kolumn"):
        parse(SAMPLE.read_bytes(), reference_date=date(2024, 11, 1))
    with pytest.raises(ParseError, match="ingen kolumn med år"):
        parse("kommun;Folkmängd\nLycksele;11980\n".encode())


def test_every_bad_row_is_reported_with_line_field_and_reason():
    text = (
        "Folkmängd efter region och år\n"
        "region;2024\n"
        "2481 Lycksele;11980\n"
        "9999 Påhittad;100\n"
        "2421 Storuman;..\n"
        "Ingenstans;5\n"
        "2481 Lycksele;11981\n"
    )
    with pytest.raises(ParseError) as info:
        parse(text.encode())
    errors = info.value.errors
    assert errors[0] == "rad 4: fältet kommunkod: '9999' finns inte i SCB:s kommunlista"
    assert errors[1] == "rad 5: fältet 2024: '..' är inget antal invånare (SCB:s tecken för uppgift saknas)"
    assert errors[2].startswith("rad 6: fältet region: 'Ingenstans' saknar kommunkod")
    assert errors[3].startswith("rad 7: fältet region: kommun 2481 förekommer två gånger")
    assert len(errors) == 4


def test_no_header_and_no_rows():
    with pytest.raises(ParseError, match="ingen rubrikrad"):
        parse(b"a;b\n1;2\n")
    with pytest.raises(ParseError, match="inga kommunrader"):
        parse(b"region;2024\n00 Riket;1\n")


def test_import_writes_members_figures_and_is_idempotent(world):
    economist = world.users["economist"]
    first = services.population_import(acting_user=economist, content=SAMPLE.read_bytes(), federation=world.federation)
    # Lycksele and Storuman are members of the test federation; 2023 Nov figures already exist for both.
    assert (first.created, first.updated, first.unchanged, first.skipped) == (2, 2, 0, 8)
    lycksele = MemberFigure.objects.get(
        member=world.member, kind=FigureKind.POPULATION, reference_date=date(2023, 11, 1)
    )
    assert (lycksele.value, lycksele.source) == (12015, "SCB")
    event = AuditEvent.objects.get(object_type="members.MemberFigure", object_id=str(lycksele.pk), action="update")
    assert (event.before["value"], event.after["value"], event.actor) == (12000, 12015, economist)
    audit_count = AuditEvent.objects.count()
    second = services.population_import(acting_user=economist, content=SAMPLE.read_bytes(), federation=world.federation)
    assert (second.changed, second.unchanged) == (0, 4)
    assert AuditEvent.objects.count() == audit_count
    # Without a federation every federation's members are matched (Ludvika is in the other one).
    everywhere = services.population_import(acting_user=system_actor(), content=SAMPLE.read_bytes())
    assert (everywhere.created, everywhere.unchanged) == (2, 4)


def test_bad_row_writes_nothing(world):
    content = SAMPLE.read_bytes().replace(b'"2421 Storuman";5820', b'"2421 Storuman";58x0')
    before = (MemberFigure.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ParseError, match="rad 7: fältet 2023"):
        services.population_import(acting_user=system_actor(), content=content, federation=world.federation)
    assert (MemberFigure.objects.count(), AuditEvent.objects.count()) == before


def test_failure_while_writing_rolls_everything_back(world, monkeypatch):
    original = services.model_create
    calls = []

    def fail_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(services, "model_create", fail_second)
    before = (MemberFigure.objects.count(), AuditEvent.objects.count())
    with pytest.raises(RuntimeError):
        services.population_import(acting_user=system_actor(), content=SAMPLE.read_bytes(), federation=world.federation)
    assert (MemberFigure.objects.count(), AuditEvent.objects.count()) == before


# --- CLI -----------------------------------------------------------------------------------


def test_cli_import_population(world, tmp_path):
    out = StringIO()
    call_command(
        "import", "--user", "t-economist", "population", str(SAMPLE), "--federation", "testforbund", stdout=out
    )
    assert "2 nya, 2 ändrade, 0 oförändrade; 8 kommuner utan medlemskap" in out.getvalue()
    assert AuditEvent.objects.filter(object_type="members.MemberFigure", actor=world.users["economist"]).count() == 4
    out = StringIO()
    call_command("import", "population", str(SAMPLE), "--federation", "testforbund", stdout=out)
    assert "0 nya, 0 ändrade, 4 oförändrade" in out.getvalue()
    single = tmp_path / "pop.csv"
    single.write_text("Folkmängd i Lappland\nkommun;2025\nLycksele;11950\nÅsele;2700\n", encoding="latin-1")
    out = StringIO()
    call_command("import", "population", str(single), "--reference-date", "2025-06-30", stdout=out)
    assert "1 nya, 0 ändrade, 0 oförändrade; 1 kommuner utan medlemskap" in out.getvalue()
    assert MemberFigure.objects.get(member=world.member, reference_date=date(2025, 6, 30)).value == 11950


def test_cli_errors_are_one_line(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("region;2024\n" + "".join(f"99{i:02d} X;1\n" for i in range(8)), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("import", "population", str(bad))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("bad.csv: 8 fel, inget importerat: rad 2: fältet kommunkod: '9900'")
    assert message.endswith("(och 3 fel till)")
    with pytest.raises(CommandError, match="kan inte läsa"):
        call_command("import", "population", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="förbundet 'nope' finns inte"):
        call_command("import", "population", str(SAMPLE), "--federation", "nope")
    with pytest.raises(CommandError, match="användaren 'nobody' finns inte"):
        call_command("import", "--user", "nobody", "population", str(SAMPLE))
    assert not MemberFigure.objects.filter(reference_date__year=2024).exists()


@pytest.mark.slow
def test_installed_console_script(tmp_path):
    """The real `samverkan` entry point, against its own SQLite file chosen by DATABASE_URL."""
    script = Path(sys.executable).parent / "samverkan"
    assert script.exists(), script
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "SAMVERKAN_HOME": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def run(*args):
        return subprocess.run([str(script), *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)

    assert run("migrate", "--verbosity", "0").returncode == 0
    setup = (
        "from datetime import date; from samverkan.members import services as s; "
        "from samverkan.core.actors import system_actor; system = system_actor(); "
        "f = s.federation_create(acting_user=system, slug='lystkom', name='Lystkom',"
        " organisation_form='kommunalforbund',"
        " orgnr='222000-0018'); "
        "s.member_create(acting_user=system, federation=f, joined=date(2019, 1, 1), name='Lycksele kommun',"
        " kommunkod='2481', orgnr='212000-2486')"
    )
    assert run("shell", "-c", setup).returncode == 0
    ok = run("import", "population", str(SAMPLE), "--federation", "lystkom")
    assert ok.returncode == 0, ok.stderr
    assert "2 nya, 0 ändrade, 0 oförändrade; 10 kommuner utan medlemskap" in ok.stdout
    again = run("import", "population", str(SAMPLE))
    assert again.returncode == 0 and "0 nya, 0 ändrade, 2 oförändrade" in again.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("region;2024\n2481 Lycksele;11980\n9999 X;1\n", encoding="utf-8")
    failed = run("import", "population", str(bad))
    assert failed.returncode != 0
    # Other modules' import-time warnings may precede it; the error itself is one line.
    lines = [line for line in failed.stderr.splitlines() if line.startswith("CommandError:")]
    assert len(lines) == 1, failed.stderr
    assert "rad 3: fältet kommunkod: '9999'" in lines[0] and "Traceback" not in failed.stderr
    assert run("import", "population", str(tmp_path / "missing.csv")).returncode != 0
    usage = run("import")
    assert usage.returncode != 0 and "population" in usage.stderr
