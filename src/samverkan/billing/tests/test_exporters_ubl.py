"""Generated UBL is checked against the official CEN EN 16931 and Peppol BIS 3.0 rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from samverkan.billing.exporters import ubl
from samverkan.billing.peppol.validate import fatal, validate
from samverkan.domain.invoice_math import VAT_6, VAT_12, VAT_25, VAT_EXEMPT, VAT_OUTSIDE, DocumentType, VatCode

D = Decimal
NS = {"cbc": ubl.NS_CBC, "cac": ubl.NS_CAC}

SELLER = ubl.Party(
    "Kommunalförbundet Lystkom",
    "222000-1776",
    ubl.Address("Torget 1", "Lycksele", "92181"),
    vat_number="SE222000177601",
    f_skatt=True,
    legal_form="Kommunalförbund, säte Lycksele",
    contact_email="ekonomi@lystkom.se",
)
BUYER = ubl.Party("Storumans kommun", "212000-2551", ubl.Address("Blå vägen 242", "Storuman", "92381"))
PAYMENT = ubl.Payment("5050-1055")


def invoice(lines: list[ubl.DocumentLine], **overrides: object) -> ubl.Document:
    fields: dict[str, object] = {
        "number": "2025-00001",
        "issue_date": date(2025, 4, 1),
        "seller": SELLER,
        "buyer": BUYER,
        "lines": lines,
        "due_date": date(2025, 5, 1),
        "buyer_reference": "STO-IT-4711",
        "order_reference": "B-2025-0017",
        "payment": PAYMENT,
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 3, 31),
    }
    fields.update(overrides)
    return ubl.Document(**fields)  # type: ignore[arg-type]


MIXED = [
    ubl.DocumentLine("SITHS-kort (e-tjänstekort)", D(3), D("350.00"), VAT_25, "H87", seller_item_id="SITHS"),
    ubl.DocumentLine(
        "Mobil som tjänst",
        D("2.6786"),
        D("199.00"),
        VAT_25,
        "MON",
        period_start=date(2025, 2, 14),
        period_end=date(2025, 3, 31),
    ),
    ubl.DocumentLine("IT-support, timmar", D("7.5"), D("725.00"), VAT_25, "HUR", note="Ärende 2025-1234"),
    ubl.DocumentLine("Kurslitteratur", D(2), D("10.10"), VAT_6),
    ubl.DocumentLine("Konferenslunch", D(1), D("99.99"), VAT_12),
    ubl.DocumentLine("Utbildning (momsfri)", D(1), D("1500.00"), VAT_EXEMPT),
]


def test_reference_example_passes() -> None:
    assert fatal(validate((Path(__file__).with_name("data") / "example-invoice-SE.xml").read_bytes())) == []


def test_invoice_with_several_vat_categories_passes_both_rule_sets() -> None:
    xml = ubl.to_bytes(invoice(MIXED))
    assert validate(xml) == []  # not even warnings
    tree = etree.fromstring(xml)
    assert tree.findtext("cbc:CustomizationID", namespaces=NS) == ubl.CUSTOMIZATION_ID
    assert tree.findtext("cbc:BuyerReference", namespaces=NS) == "STO-IT-4711"
    assert tree.findtext("cac:OrderReference/cbc:ID", namespaces=NS) == "B-2025-0017"
    seller = tree.find("cac:AccountingSupplierParty/cac:Party", NS)
    assert seller is not None
    assert seller.findtext("cac:PartyLegalEntity/cbc:CompanyID", namespaces=NS) == "2220001776"
    assert seller.find("cac:PartyLegalEntity/cbc:CompanyID", NS).get("schemeID") == "0007"  # type: ignore[union-attr]
    assert seller.find("cbc:EndpointID", NS).get("schemeID") == "0007"  # type: ignore[union-attr]
    schemes = {
        s.findtext("cac:TaxScheme/cbc:ID", namespaces=NS): s.findtext("cbc:CompanyID", namespaces=NS)
        for s in seller.findall("cac:PartyTaxScheme", NS)
    }
    assert schemes == {"VAT": "SE222000177601", "TAX": "Godkänd för F-skatt"}
    assert tree.findtext("cac:PaymentMeans/cbc:PaymentMeansCode", namespaces=NS) == "30"
    assert tree.findtext("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", namespaces=NS) == "50501055"
    branch = "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
    assert tree.findtext(branch, namespaces=NS) == "SE:BANKGIRO"
    categories = [c.text for c in tree.findall("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID", NS)]
    assert categories == ["S", "S", "S", "E"]
    # 3×350 + 2.6786×199 (533.04) + 7.5×725 (5437.50) = 7020.54 at 25 % -> 1755.135 -> 1755.14
    assert tree.findtext("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", namespaces=NS) == "1755.14"
    assert tree.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == "10409.08"


def test_credit_note_references_original_and_passes() -> None:
    credit = invoice(
        MIXED[:1],
        number="2025-K00001",
        document_type=DocumentType.CREDIT_NOTE,
        original_number="2025-00001",
        original_issue_date=date(2025, 4, 1),
        note="Kreditering av felaktigt antal SITHS-kort",
    )
    xml = ubl.to_bytes(credit)
    assert validate(xml) == []
    tree = etree.fromstring(xml)
    assert tree.tag == f"{{{ubl.NS_CREDIT_NOTE}}}CreditNote"
    assert tree.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    assert tree.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS) == "2025-00001"
    assert tree.findtext("cac:CreditNoteLine/cbc:CreditedQuantity", namespaces=NS) == "3"


def test_outside_scope_invoice_passes_without_vat_identifiers() -> None:
    doc = invoice([ubl.DocumentLine("Medlemsavgift 2025, kvartal 1", D(1), D("72875.00"), VAT_OUTSIDE)])
    xml = ubl.to_bytes(doc)
    assert fatal(validate(xml)) == []
    tree = etree.fromstring(xml)
    assert tree.findtext("cac:TaxTotal/cbc:TaxAmount", namespaces=NS) == "0.00"
    tax_ids = [e.text for e in tree.findall(".//cac:PartyTaxScheme/cac:TaxScheme/cbc:ID", NS)]
    assert tax_ids == ["TAX"]  # F-skatt stays, VAT number goes (BR-O-02)


def test_rounding_to_whole_krona_passes() -> None:
    doc = invoice([ubl.DocumentLine("Tillbehör", D(1), D("10.30"), VAT_25)], round_to_krona=True)
    xml = ubl.to_bytes(doc)
    assert fatal(validate(xml)) == []
    assert etree.fromstring(xml).findtext("cac:LegalMonetaryTotal/cbc:PayableRoundingAmount", namespaces=NS) == "0.12"


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [
        (lambda x: x.replace(b">10409.08</cbc:PayableAmount>", b">10409.09</cbc:PayableAmount>"), "BR-CO-16"),
        (lambda x: x.replace("Godkänd för F-skatt".encode(), b"Innehar F-skatt"), "SE-R-005"),
        (
            lambda x: x.replace(b"<cbc:ProfileID>" + ubl.PROFILE_ID.encode() + b"</cbc:ProfileID>", b""),
            "PEPPOL-EN16931-R001",
        ),
        (lambda x: x.replace(b">1755.14</cbc:TaxAmount>", b">1755.13</cbc:TaxAmount>", 1), "BR-CO-14"),
        (lambda x: x.replace(b">2220001776</cbc:CompanyID>", b">2220001777</cbc:CompanyID>"), "SE-R-013"),
    ],
)
def test_validator_catches_a_broken_invoice(mutate: object, rule: str) -> None:
    good = ubl.to_bytes(invoice(MIXED))
    broken = mutate(good)  # type: ignore[operator]
    assert broken != good
    assert rule in {f.rule_id for f in fatal(validate(broken))}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lines": []}, "at least one line"),
        ({"buyer_reference": "", "order_reference": ""}, "reference"),
        ({"document_type": DocumentType.CREDIT_NOTE}, "credit note"),
        ({"lines": [ubl.DocumentLine("Rabatt", D(1), D(-5), VAT_25)]}, "negative"),
        ({"lines": [ubl.DocumentLine("\x08 ", D(1), D(5), VAT_25)]}, "item name"),
    ],
)
def test_documents_peppol_would_reject_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fields = dict(overrides)
        ubl.to_bytes(invoice(fields.pop("lines", MIXED), **fields))  # type: ignore[arg-type]


def test_write_to_file(tmp_path: Path) -> None:
    target = tmp_path / "faktura.xml"
    ubl.write(invoice(MIXED), str(target))
    assert etree.parse(str(target)).getroot().findtext("cbc:ID", namespaces=NS) == "2025-00001"


line_strategy = st.builds(
    ubl.DocumentLine,
    description=st.text(st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=40).filter(str.strip),
    quantity=st.decimals(min_value=D("-50"), max_value=D("500"), places=4).filter(lambda q: q != 0),
    unit_price=st.decimals(min_value=D("0"), max_value=D("99999"), places=2),
    vat=st.sampled_from([VAT_25, VAT_12, VAT_6, VAT_EXEMPT]),
    unit_code=st.sampled_from(["C62", "H87", "MON", "HUR", "ANN"]),
)


@settings(max_examples=25, deadline=None)
@given(st.lists(line_strategy, min_size=1, max_size=12))
def test_any_computed_invoice_passes(lines: list[ubl.DocumentLine]) -> None:
    assert fatal(validate(ubl.to_bytes(invoice(lines)))) == []


def test_vat_code_labels_reach_exemption_reason() -> None:
    xml = ubl.to_bytes(invoice([ubl.DocumentLine("x", D(1), D(1), VatCode("E", VAT_EXEMPT.category, D(0)))]))
    assert b"TaxExemptionReason" in xml
