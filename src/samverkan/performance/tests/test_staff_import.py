"""Staff import: all or nothing, line-numbered errors, no payroll id stored, a year replaced."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from samverkan.core.models import AuditEvent
from samverkan.domain.errors import DomainError
from samverkan.performance.importers.staff import MAX_ROWS, StaffFileError, read_staff_file
from samverkan.performance.models import Employment, StaffImport
from samverkan.performance.services.staff import staff_import

HEADER = (
    "Anställningsnummer;Anställningsform;Kön;Åldersgrupp;Årsarbetare;"
    "Arbetade timmar;Sjukfrånvaro timmar;Varav långtid timmar\n"
)


def csv_of(lines):
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def people(count, *, sex="Kvinna", age="30–49 år", sick="20", start=0):
    return [f"{1000 + start + i};Tillsvidareanställd;{sex};{age};1,0;1000;{sick};0" for i in range(count)]


def test_rows_are_read_and_the_payroll_id_is_hashed():
    rows = read_staff_file(csv_of(people(2)), year=2023, salt=b"s")
    assert len(rows) == 2 and all(len(r.person) == 64 and "1000" not in r.person for r in rows)
    assert rows[0].form == "permanent" and rows[0].age_group == "30-49" and rows[0].fte == Decimal("1.0")
    other = read_staff_file(csv_of(people(2)), year=2023, salt=b"t")
    assert rows[0].person != other[0].person


def test_birth_year_gives_the_age_group():
    data = (
        "nyckel,anställningsform,kön,födelseår,årsarbetare,arbetade timmar,sjukfrånvaro timmar\n"
        "x,Vikariat,Man,1999,0.5,800,0\n"
    )
    (row,) = read_staff_file(data.encode(), year=2023, salt=b"s")
    assert (row.age_group, row.form, row.sex, row.long_sick_hours) == ("-29", "substitute", "man", 0)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("9;Konsult;Kvinna;30–49 år;1;1000;0;0", "rad 4: anställningsform: okänd"),
        ("9;Tillsvidareanställd;X;30–49 år;1;1000;0;0", "rad 4: kön: okänt"),
        ("9;Tillsvidareanställd;Man;12–14 år;1;1000;0;0", "rad 4: åldersgrupp"),
        ("9;Tillsvidareanställd;Man;30–49 år;abc;1000;0;0", "rad 4: årsarbetare:"),
        ("9;Tillsvidareanställd;Man;30–49 år;1;1000;2000;0", "rad 4: sjukfrånvaro timmar: fler sjuktimmar"),
        ("9;Tillsvidareanställd;Man;30–49 år;1;1000;10;20", "rad 4: varav långtid timmar"),
        ("1000;Tillsvidareanställd;Man;30–49 år;1;1000;0;0", "rad 4: anställningsnummer: samma person"),
        (";Tillsvidareanställd;Man;30–49 år;1;1000;0;0", "rad 4: anställningsnummer: värde saknas"),
    ],
)
def test_errors_name_line_and_field(line, message):
    with pytest.raises(StaffFileError) as exc:
        read_staff_file(csv_of([*people(2), line]), year=2023, salt=b"s")
    assert str(exc.value).startswith(message), str(exc.value)


def test_missing_columns_and_bounds():
    with pytest.raises(StaffFileError, match="rad 1: kolumner saknas: kön"):
        read_staff_file(
            "nyckel;anställningsform;åldersgrupp;årsarbetare;arbetade timmar;sjukfrånvaro timmar\n".encode(),
            year=2023,
            salt=b"s",
        )
    with pytest.raises(StaffFileError, match="fler än"):
        read_staff_file(csv_of(people(MAX_ROWS + 1)), year=2023, salt=b"s")
    with pytest.raises(StaffFileError, match="rad 1: filen är tom"):
        read_staff_file(b"", year=2023, salt=b"s")


def test_xlsx_is_read():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(";"))
    sheet.append([77, "Visstidsanställd", "Man", "50-", 0.8, 1200, 12.5, 0])
    buffer = io.BytesIO()
    book.save(buffer)
    (row,) = read_staff_file(buffer.getvalue(), year=2023, salt=b"s")
    assert (row.form, row.age_group, row.fte, row.sick_hours) == ("fixed_term", "50-", Decimal("0.8"), Decimal("12.5"))


@pytest.mark.django_db
def test_import_replaces_the_year_and_is_audited(world):
    admin = world.users["admin"]
    staff_import(acting_user=admin, federation=world.federation, year=2023, data=csv_of(people(6)), source_name="a.csv")
    staff_import(acting_user=admin, federation=world.federation, year=2023, data=csv_of(people(5)), source_name="b.csv")
    assert StaffImport.objects.get().source_name == "b.csv"
    assert Employment.objects.count() == 5
    assert (
        not Employment.objects.filter(person_key__contains="100").exclude(person_key__regex=r"^[0-9a-f]{64}$").exists()
    )
    assert AuditEvent.objects.filter(action="performance.staff_import").count() == 2


@pytest.mark.django_db
def test_a_bad_line_writes_nothing(world):
    admin = world.users["admin"]
    staff_import(acting_user=admin, federation=world.federation, year=2023, data=csv_of(people(6)), source_name="a.csv")
    with pytest.raises(DomainError, match="rad 9"):
        bad = csv_of([*people(7), "x;Tillsvidareanställd;Man;-29;1;10;11;0"])
        staff_import(acting_user=admin, federation=world.federation, year=2023, data=bad, source_name="b.csv")
    assert StaffImport.objects.get().source_name == "a.csv" and Employment.objects.count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["board", "agent", "member_contact"])
def test_others_may_not_import(world, role):
    with pytest.raises(PermissionDenied):
        staff_import(
            acting_user=world.users[role],
            federation=world.federation,
            year=2023,
            data=csv_of(people(5)),
            source_name="a",
        )
    with pytest.raises(PermissionDenied):
        staff_import(
            acting_user=world.outsider, federation=world.federation, year=2023, data=csv_of(people(5)), source_name="a"
        )
