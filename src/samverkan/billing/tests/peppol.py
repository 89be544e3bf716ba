"""Runs the official EN 16931 and Peppol BIS 3.0 Schematron rules (compiled XSLT) offline.

The artefacts live outside the package (../shared/reference/peppol relative to the
repository, or ``SAMVERKAN_PEPPOL_RULES``); a missing directory is an error, not a skip,
so the Peppol tests cannot pass without having run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"
REPO_ROOT = Path(__file__).resolve().parents[4]
RULES_DIR = Path(os.environ.get("SAMVERKAN_PEPPOL_RULES", REPO_ROOT.parent / "shared" / "reference" / "peppol"))
STYLESHEETS = {"cen": "EN16931-UBL-validation.xslt", "peppol": "PEPPOL-EN16931-UBL.xslt"}


@dataclass(frozen=True)
class Finding:
    ruleset: str
    rule_id: str
    flag: str
    text: str


class PeppolValidator:
    def __init__(self, rules_dir: Path = RULES_DIR) -> None:
        from saxonche import PySaxonProcessor

        missing = [name for name in STYLESHEETS.values() if not (rules_dir / name).is_file()]
        if missing:
            raise FileNotFoundError(
                f"Peppol rule stylesheets not found in {rules_dir}: {missing} (set SAMVERKAN_PEPPOL_RULES)"
            )
        self._processor = PySaxonProcessor(license=False)
        compiler = self._processor.new_xslt30_processor()
        self._executables = {
            ruleset: compiler.compile_stylesheet(stylesheet_file=str(rules_dir / name))
            for ruleset, name in STYLESHEETS.items()
        }

    def findings(self, xml: bytes) -> list[Finding]:
        node = self._processor.parse_xml(xml_text=xml.decode("utf-8"))
        result: list[Finding] = []
        for ruleset, executable in self._executables.items():
            report = executable.transform_to_string(xdm_node=node)
            tree = etree.fromstring(report.encode("utf-8"))
            for failed in tree.iter(f"{{{SVRL}}}failed-assert"):
                text = "".join(failed.itertext()).strip()
                result.append(Finding(ruleset, failed.get("id", ""), failed.get("flag", ""), " ".join(text.split())))
        return result

    def fatal(self, xml: bytes) -> list[Finding]:
        return [f for f in self.findings(xml) if f.flag == "fatal"]
