"""The one text decoder and CSV reader every importer uses."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.textfiles import (
    FileTooLarge,
    TextFileError,
    check_size,
    decode,
    head,
    open_text,
    read_csv,
)

# Text a spreadsheet cell may hold: letters of every script, digits, punctuation, spaces.
cells = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@given(st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=5))
def test_csv_written_in_any_encoding_and_line_ending_reads_back(table):
    import csv

    for line_end in ("\n", "\r\n", "\r"):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator=line_end, quoting=csv.QUOTE_ALL).writerows(table)
        text = buffer.getvalue()
        for codec in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
            rows = [cells for _line, cells in read_csv(decode(text.encode(codec)), ";")]
            assert rows == table
            stream = open_text(io.BytesIO(text.encode(codec)))
            assert [cells for _line, cells in read_csv(stream.read(), ";")] == table


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04rest", "filen är en ZIP-fil (t.ex. XLSX eller ODS), inte en textfil: spara den som CSV"),
        (b"\xd0\xcf\x11\xe0rest", "filen är en äldre Office-fil (t.ex. XLS), inte en textfil: spara den som CSV"),
        (b"%PDF-1.4", "filen är en PDF, inte en textfil: spara den som CSV"),
        (b"a\nb\nc\x00d", "rad 3: filen innehåller NUL-tecken och ser ut att vara binär"),
        (
            "a\nÅ\n".encode() + "Å".encode("latin-1"),
            "rad 3: filen blandar UTF-8 med en annan teckenkodning: spara den som UTF-8",
        ),
        (b"a\n\x81", "rad 2: filen är inte kodad som UTF-8 eller Windows-1252/Latin-1: spara den som UTF-8"),
        (b"\xff\xfea\x00\n\x00b", "rad 2: filen är inte kodad som UTF-16: spara den som UTF-8"),
    ],
)
def test_what_is_not_text_is_named(data, message):
    with pytest.raises(TextFileError) as info:
        decode(data)
    assert str(info.value) == message


def test_latin_1_and_windows_1252_are_read():
    assert decode("Åsele 2²€".encode("cp1252")) == "Åsele 2²€"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('a;b\n"c;d', "rad 2: ett citerat fält tar aldrig slut (är filen avkortad?)"),
        ('a;b\n"c",d;e', "rad 2: text efter ett avslutande citattecken"),
        ("a;b\nc;" + "x" * 200_000, "rad 2: ett fält är längre än 10\u00a0000 tecken"),
        ("a;b\nc;" + "x" * 11_000, "rad 2: fält 2 är längre än 10\u00a0000 tecken"),
        ("a\n\n\nb\nc\n", "rad 5: filen har fler än 2 rader"),
    ],
)
def test_csv_problems_name_the_line(text, message):
    with pytest.raises(TextFileError) as info:
        list(read_csv(text, ";", max_rows=2))
    assert str(info.value).startswith(message)


def test_a_field_error_can_name_its_column():
    with pytest.raises(TextFileError) as info:
        list(read_csv("a;b\nc;" + "x" * 20, ";", max_field=10))
    assert info.value.naming(["namn", "värde"]) == "rad 2: fältet värde: är längre än 10 tecken"


def test_lines_are_numbered_from_the_start_line_with_quoted_line_breaks():
    text = 'titel\r\nh1;h2\r"a\nb";1\n\nc;2\n'
    assert head(text, 2) == ["titel", "h1;h2"]
    assert list(read_csv(text, ";", start_line=2)) == [(2, ["h1", "h2"]), (3, ["a\nb", "1"]), (5, []), (6, ["c", "2"])]


def test_size_limit():
    check_size(10, 10)
    with pytest.raises(FileTooLarge, match="filen är 2,5 MB; högst 1 MB tas emot"):
        check_size(5 * 1024 * 1024 // 2, 1024 * 1024)
