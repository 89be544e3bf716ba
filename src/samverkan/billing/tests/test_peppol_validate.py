"""The shipped Peppol rules and `samverkan billing validate`: findings, exit codes, bounded input."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samverkan.billing.peppol import validate as peppol

EXAMPLE = Path(__file__).with_name("data") / "example-invoice-SE.xml"
SRC = Path(peppol.__file__).resolve().parents[3]


def broken_f_skatt() -> bytes:
    return EXAMPLE.read_bytes().replace("Godkänd för F-skatt".encode(), b"Innehar F-skatt")


def run_cli(path: Path) -> tuple[str, CommandError | None]:
    stdout = io.StringIO()
    try:
        call_command("billing", "validate", str(path), stdout=stdout, stderr=io.StringIO())
    except CommandError as exc:
        return stdout.getvalue(), exc
    return stdout.getvalue(), None


def test_rules_and_their_licences_ship_inside_the_package() -> None:
    assert peppol.RULES_DIR.is_relative_to(SRC / "samverkan")
    shipped = {p.name for p in peppol.RULES_DIR.iterdir()}
    assert set(peppol.RULE_SETS.values()) <= shipped
    assert {"LICENSE-EN16931-EUPL-1.2.txt", "LICENSE-SchXslt-MIT.txt", "README.md"} <= shipped


def test_findings_carry_rule_flag_location_and_text() -> None:
    [finding] = peppol.validate(broken_f_skatt())
    assert (finding.rule_id, finding.flag, finding.fatal, finding.rule_set) == (
        "SE-R-005",
        "fatal",
        True,
        "Peppol BIS 3.0",
    )
    assert finding.location == "/Invoice[1]/AccountingSupplierParty[1]/Party[1]/PartyTaxScheme[2]/CompanyID[1]"
    assert "Godkänd för F-skatt" in finding.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "inte giltig XML"),
        (b"Nummer;Belopp\nF1;100\n", "inte giltig XML"),
        (b"<order/>", "ingen UBL-faktura"),
        (b'<!DOCTYPE Invoice [<!ENTITY x "y">]><Invoice/>', "DOCTYPE"),
        (b"<" * (peppol.MAX_BYTES + 1), "större än 10 MB"),
    ],
    ids=["empty", "csv", "other-xml", "doctype", "oversize"],
)
def test_what_cannot_be_checked_is_refused_with_a_reason(content: bytes, message: str) -> None:
    with pytest.raises(peppol.UnreadableDocument, match=message):
        peppol.validate(content)


def test_cli_valid_file_exits_zero(tmp_path: Path) -> None:
    target = tmp_path / "faktura.xml"
    target.write_bytes(EXAMPLE.read_bytes())
    output, error = run_cli(target)
    assert error is None
    assert output == f"{target}: 0 fatala fel, 0 varningar enligt EN 16931 och Peppol BIS 3.0\n"


def test_cli_prints_each_finding_and_fails_on_a_fatal_one(tmp_path: Path) -> None:
    target = tmp_path / "faktura.xml"
    target.write_bytes(broken_f_skatt())
    output, error = run_cli(target)
    assert output.startswith(
        "SE-R-005 [fatalt fel, Peppol BIS 3.0] vid /Invoice[1]/AccountingSupplierParty[1]/Party[1]/"
        "PartyTaxScheme[2]/CompanyID[1]: For Swedish suppliers"
    )
    assert len(output.splitlines()) == 1
    assert error is not None and error.returncode == 1
    assert str(error) == f"{target}: 1 fatalt fel, 0 varningar enligt EN 16931 och Peppol BIS 3.0"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"%PDF-1.7 binary", "Filen är inte giltig XML"), (b" " * (peppol.MAX_BYTES + 1), "större än 10 MB")],
    ids=["pdf", "oversize"],
)
def test_cli_refuses_non_xml_and_oversize_files_in_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    target = tmp_path / "faktura.xml"
    target.write_bytes(content)
    output, error = run_cli(target)
    assert output == ""
    assert error is not None and message in str(error) and "\n" not in str(error)
    output, error = run_cli(tmp_path / "saknas.xml")
    assert error is not None and "saknas.xml" in str(error)


@pytest.mark.slow
def test_a_clone_without_shared_validates_from_the_command_line(tmp_path: Path) -> None:
    """The repository alone, no ../shared beside it, in a real process: exit codes, one-line errors."""
    clone = tmp_path / "samverkan" / "src"
    shutil.copytree(SRC / "samverkan", clone / "samverkan", ignore=shutil.ignore_patterns("__pycache__"))
    assert not (tmp_path / "shared").exists()
    (tmp_path / "ok.xml").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "note.txt").write_text("inte xml")
    env = {**os.environ, "PYTHONPATH": str(clone), "SAMVERKAN_HOME": str(tmp_path)}
    script = (
        "import samverkan; from samverkan.cli import main; "
        f"assert samverkan.__file__.startswith({str(clone)!r}), samverkan.__file__; "
        "main(['billing', 'validate', 'ok.xml']); main(['billing', 'validate', 'note.txt'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout == "ok.xml: 0 fatala fel, 0 varningar enligt EN 16931 och Peppol BIS 3.0\n", done.stderr
    [line] = done.stderr.splitlines()  # one line, no traceback
    assert done.returncode == 1 and line.startswith("CommandError: note.txt: Filen är inte giltig XML: ")
