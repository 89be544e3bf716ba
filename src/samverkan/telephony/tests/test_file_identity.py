"""The identity that recognises a file sent again, computed by the set-based scan that reads the file once."""

import io

import pytest

from samverkan.telephony import services
from samverkan.telephony.importers.bulk import file_identity, scan_queue_log
from samverkan.telephony.models import ImportBatch

from .test_bulk_import import _import, _synthetic

TEXT = _synthetic(400)


def _identity(tmp_path, text: str, name: str = "queue_log") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode())
    with scan_queue_log(path) as scan:
        assert scan.clean
        return scan.identity


def _same_size_change(text: str) -> str:
    """One figure changed in the middle of the file: same size, same number of lines."""
    lines = text.splitlines(keepends=True)
    middle = len(lines) // 2
    at = next(i for i in range(middle, len(lines)) if "|COMPLETE" in lines[i])
    fields = lines[at].split("|")
    fields[6] = str((int(fields[6]) + 1) % 10) + fields[6][1:] if fields[6] else fields[6]
    lines[at] = "|".join(fields)
    return "".join(lines)


def test_the_same_bytes_give_the_same_identity(tmp_path):
    first = _identity(tmp_path, TEXT, "a")
    assert first == _identity(tmp_path, TEXT, "b")  # the name does not count
    assert len(first) == 64 and int(first, 16) >= 0
    assert first[:16] == f"{len(TEXT.encode()):016x}" and first[16:32] == f"{TEXT.count(chr(10)):016x}"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(_same_size_change, id="one figure, same size and line count"),
        pytest.param(lambda t: t + "\n", id="a blank line more"),
        pytest.param(
            lambda t: (
                t.splitlines(keepends=True)[1]
                + t.splitlines(keepends=True)[0]
                + "".join(t.splitlines(keepends=True)[2:])
            ),
            id="two lines swapped",
        ),
        pytest.param(lambda t: "".join(t.splitlines(keepends=True)[:-1]), id="the last line gone"),
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="CRLF line ends"),
    ],
)
def test_a_changed_file_gets_another_identity(tmp_path, change):
    changed = change(TEXT)
    assert changed != TEXT
    assert _identity(tmp_path, changed, "changed") != _identity(tmp_path, TEXT)


def test_identity_is_position_sensitive():
    assert file_identity(10, 2, 5) != file_identity(10, 2, 6) != file_identity(11, 2, 5)
    assert file_identity(10, 2, -1) == file_identity(10, 2, (1 << 128) - 1)  # the sum is taken mod 2**128


def test_the_fast_path_reads_the_file_once(world, monkeypatch):
    """No checksum pass before or after the scan; the identity decides a re-import, a changed file is imported."""
    monkeypatch.setattr(services, "_sha256", lambda file: pytest.fail("a second pass over the file"))
    batch, created = _import(world, TEXT, "bulk")
    assert created and len(batch.sha256) == 64
    again, created = _import(world, TEXT, "bulk", name="again.log")
    assert not created and again.pk == batch.pk
    changed, created = _import(world, _same_size_change(TEXT), "bulk", name="changed.log")
    assert created and changed.records_read == batch.records_read and changed.records_created == 0
    assert ImportBatch.objects.count() == 2


def test_streaming_imports_keep_sha256(world):
    """Files a streaming reader reads (here skip-bad-lines mode) are recognised by SHA-256 of their bytes."""
    import hashlib

    batch, created = _import(world, TEXT, "auto", skip_bad_lines=True)
    assert created and batch.sha256 == hashlib.sha256(TEXT.encode()).hexdigest()
    again, created = _import(world, TEXT, "reference", name="again.log")
    assert not created and again.pk == batch.pk
    file = io.BytesIO(TEXT.encode())
    assert services._sha256(file) == batch.sha256 and file.tell() == 0
