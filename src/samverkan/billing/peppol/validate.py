"""Checks a UBL invoice or credit note against the official EN 16931 and Peppol BIS 3.0 rules.

The rules are the published Schematron compiled to XSLT (``data/README.md``), run by Saxon-HE.
Compiling both stylesheets takes one or two seconds, so a process compiles them once, on first
use, and keeps them; a check then takes 10–30 ms for an ordinary invoice (about a second per
MB of XML). The input may be any file (``samverkan billing validate``), so it is bounded: at
most ``MAX_BYTES``, parsed by lxml without DTDs, entities or network, and it must be a UBL
Invoice or CreditNote — the rules match nothing in other XML and would report it as valid.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

MAX_BYTES = 10 * 1024 * 1024
RULES_DIR = Path(__file__).with_name("data")
RULE_SETS = {"EN 16931": "EN16931-UBL-validation.xslt", "Peppol BIS 3.0": "PEPPOL-EN16931-UBL.xslt"}
UBL_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote",
}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
FATAL = "fatal"

_SAXON = threading.Lock()
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
# Locations are XPaths with every step namespaced (Q{uri}Name or *:Name[namespace-uri()='uri']).
_NAMESPACED_STEP = re.compile(r"Q\{[^}]*\}|\*:([\w.-]+)\[namespace-uri\(\)='[^']*'\]")


class UnreadableDocument(ValueError):
    """The bytes are no UBL invoice or credit note the rules can be run on; the message says why."""


@dataclass(frozen=True)
class Finding:
    rule_id: str
    flag: str  # "fatal" or "warning", as the rule itself says
    location: str  # XPath of the element concerned, namespaces left out
    text: str  # the rule's own text (English, as published)
    rule_set: str  # "EN 16931" or "Peppol BIS 3.0"

    @property
    def fatal(self) -> bool:
        return self.flag == FATAL


def validate(xml: bytes) -> list[Finding]:
    """Findings of both rule sets, the CEN rules first; raises ``UnreadableDocument``."""
    text = _checked_text(xml)
    with _SAXON:  # Saxon's objects are shared by the process's threads: one check at a time
        reports = _compiled_rules().reports(text)
    return [finding for rule_set, report in reports.items() for finding in _findings(rule_set, report)]


def fatal(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.fatal]


def _checked_text(xml: bytes) -> str:
    if len(xml) > MAX_BYTES:
        raise UnreadableDocument(
            _("Filen är större än %(max)s MB; större filer kontrolleras inte.") % {"max": MAX_BYTES // 1024 // 1024}
        )
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocument(_("Filen är inte giltig XML: %(error)s") % {"error": exc.msg}) from None
    if root.getroottree().docinfo.doctype:
        raise UnreadableDocument(_("Filen har en DOCTYPE-deklaration, vilket en e-faktura inte får ha."))
    if root.tag not in UBL_ROOTS:
        raise UnreadableDocument(
            _("Filen är ingen UBL-faktura eller UBL-kreditfaktura (rotelementet är %(tag)s).")
            % {"tag": etree.QName(root).localname}
        )
    return str(etree.tostring(root, encoding="unicode"))


class _CompiledRules:
    """The processor and the compiled stylesheets of both rule sets, kept for the process."""

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor  # loads a native library: only when first needed

        self._processor = PySaxonProcessor(license=False)
        compiler = self._processor.new_xslt30_processor()
        self._executables: dict[str, Any] = {
            rule_set: compiler.compile_stylesheet(stylesheet_file=str(RULES_DIR / name))
            for rule_set, name in RULE_SETS.items()
        }

    def reports(self, text: str) -> dict[str, str]:
        """The SVRL report of each rule set."""
        node = self._processor.parse_xml(xml_text=text)
        return {
            rule_set: executable.transform_to_string(xdm_node=node)
            for rule_set, executable in self._executables.items()
        }


@cache
def _compiled_rules() -> _CompiledRules:
    return _CompiledRules()


def _findings(rule_set: str, report: str) -> list[Finding]:
    tree = etree.fromstring(report.encode("utf-8"))
    return [
        Finding(
            rule_id=failed.get("id", ""),
            flag=failed.get("flag", ""),
            location=_NAMESPACED_STEP.sub(lambda m: m.group(1) or "", failed.get("location", "")),
            text=" ".join("".join(failed.itertext()).split()),
            rule_set=rule_set,
        )
        for failed in tree.iter(f"{SVRL}failed-assert")
    ]
