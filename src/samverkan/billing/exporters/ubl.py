"""Peppol BIS Billing 3.0 UBL Invoice and CreditNote from plain dataclasses.

The document is built from ``Document`` (no Django), so the same function serves the CLI,
the API and the tests. Totals come from ``samverkan.domain.invoice_math`` — the exporter
never adds amounts itself, so the XML can only say what the ledger says.

Swedish seller details follow the national rules SE-R-001…013: VAT number ``SE`` + orgnr +
``01`` (14 characters), legal entity orgnr scheme 0007 (10 digits, Luhn), the tax
registration text exactly "Godkänd för F-skatt", and bankgiro as payment means code 30 with
branch ``SE:BANKGIRO``. Element order follows the UBL 2.1 schema.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lxml import etree

from samverkan.domain.invoice_math import (
    DocumentType,
    Line,
    Totals,
    VatCategory,
    VatCode,
    invoice_totals,
)

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
F_SKATT = "Godkänd för F-skatt"
SCHEME_SE_ORGNR = "0007"

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
_EXEMPTION_CODES = {VatCategory.OUTSIDE_SCOPE: "VATEX-EU-O"}


@dataclass(frozen=True)
class Address:
    street: str
    city: str
    postal_zone: str
    country: str = "SE"


@dataclass(frozen=True)
class Party:
    name: str
    orgnr: str
    address: Address
    vat_number: str = ""
    f_skatt: bool = False
    legal_form: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""

    @property
    def orgnr_digits(self) -> str:
        return self.orgnr.replace("-", "").strip()


@dataclass(frozen=True)
class Payment:
    bankgiro: str
    terms: str = "30 dagar netto"

    @property
    def account(self) -> str:
        return self.bankgiro.replace("-", "").strip()


@dataclass(frozen=True)
class DocumentLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat: VatCode
    unit_code: str = "C62"
    note: str = ""
    seller_item_id: str = ""
    period_start: date | None = None
    period_end: date | None = None
    accounting_cost: str = ""

    @property
    def line(self) -> Line:
        return Line(self.quantity, self.unit_price, self.vat, self.description)


@dataclass(frozen=True)
class Document:
    number: str
    issue_date: date
    seller: Party
    buyer: Party
    lines: Sequence[DocumentLine]
    document_type: DocumentType = DocumentType.INVOICE
    due_date: date | None = None
    buyer_reference: str = ""
    order_reference: str = ""
    payment: Payment | None = None
    note: str = ""
    period_start: date | None = None
    period_end: date | None = None
    original_number: str = ""
    original_issue_date: date | None = None
    currency: str = "SEK"
    round_to_krona: bool = False

    @property
    def totals(self) -> Totals:
        return invoice_totals((ln.line for ln in self.lines), round_to_krona=self.round_to_krona)

    @property
    def is_credit_note(self) -> bool:
        return self.document_type is DocumentType.CREDIT_NOTE


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Free text from users may hold characters XML 1.0 cannot carry; drop them rather than fail."""
    return _XML_INVALID.sub("", value)


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text if text not in ("-0",) else "0"


class _Builder:
    def __init__(self, root: etree._Element, currency: str) -> None:
        self.root = root
        self.currency = currency

    def cbc(self, parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{NS_CBC}}}{name}", attrs)
        if text is not None:
            element.text = _text(text)
        return element

    def cac(self, parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{NS_CAC}}}{name}")

    def money(self, parent: etree._Element, name: str, value: Decimal) -> etree._Element:
        return self.cbc(parent, name, _amount(value), currencyID=self.currency)


def _tax_category(b: _Builder, parent: etree._Element, name: str, vat: VatCode, *, with_reason: bool) -> None:
    category = b.cac(parent, name)
    b.cbc(category, "ID", vat.category.value)
    if vat.category is not VatCategory.OUTSIDE_SCOPE:  # BR-O-05/-09: no rate for O
        b.cbc(category, "Percent", _number(vat.rate))
    if with_reason and vat.category is not VatCategory.STANDARD:
        if vat.category in _EXEMPTION_CODES:
            b.cbc(category, "TaxExemptionReasonCode", _EXEMPTION_CODES[vat.category])
        b.cbc(category, "TaxExemptionReason", vat.exemption_reason or vat.label_sv)
    b.cbc(b.cac(category, "TaxScheme"), "ID", "VAT")


def _party(b: _Builder, parent: etree._Element, role: str, party: Party, *, seller: bool, outside_scope: bool) -> None:
    node = b.cac(b.cac(parent, role), "Party")
    b.cbc(node, "EndpointID", party.orgnr_digits, schemeID=SCHEME_SE_ORGNR)
    b.cbc(b.cac(node, "PartyName"), "Name", party.name)
    address = b.cac(node, "PostalAddress")
    b.cbc(address, "StreetName", party.address.street)
    b.cbc(address, "CityName", party.address.city)
    b.cbc(address, "PostalZone", party.address.postal_zone)
    b.cbc(b.cac(address, "Country"), "IdentificationCode", party.address.country)
    if party.vat_number and not outside_scope:  # BR-O-02: no VAT identifiers on an O invoice
        scheme = b.cac(node, "PartyTaxScheme")
        b.cbc(scheme, "CompanyID", party.vat_number)
        b.cbc(b.cac(scheme, "TaxScheme"), "ID", "VAT")
    if seller and party.f_skatt:
        scheme = b.cac(node, "PartyTaxScheme")
        b.cbc(scheme, "CompanyID", F_SKATT)
        b.cbc(b.cac(scheme, "TaxScheme"), "ID", "TAX")
    legal = b.cac(node, "PartyLegalEntity")
    b.cbc(legal, "RegistrationName", party.name)
    b.cbc(legal, "CompanyID", party.orgnr_digits, schemeID=SCHEME_SE_ORGNR)
    if seller and party.legal_form:
        b.cbc(legal, "CompanyLegalForm", party.legal_form)
    if party.contact_name or party.contact_email or party.contact_phone:
        contact = b.cac(node, "Contact")
        if party.contact_name:
            b.cbc(contact, "Name", party.contact_name)
        if party.contact_phone:
            b.cbc(contact, "Telephone", party.contact_phone)
        if party.contact_email:
            b.cbc(contact, "ElectronicMail", party.contact_email)


def _period(b: _Builder, parent: etree._Element, start: date | None, end: date | None) -> None:
    if start is None and end is None:
        return
    node = b.cac(parent, "InvoicePeriod")
    if start is not None:
        b.cbc(node, "StartDate", start.isoformat())
    if end is not None:
        b.cbc(node, "EndDate", end.isoformat())


def build(document: Document) -> etree._Element:
    """The UBL tree; raises ``ValueError`` for documents Peppol would reject in ways we can foresee."""
    _check(document)
    credit = document.is_credit_note
    root_ns = NS_CREDIT_NOTE if credit else NS_INVOICE
    root = etree.Element(
        f"{{{root_ns}}}{'CreditNote' if credit else 'Invoice'}", nsmap={None: root_ns, "cac": NS_CAC, "cbc": NS_CBC}
    )
    b = _Builder(root, document.currency)
    totals = document.totals
    outside_scope = any(s.category is VatCategory.OUTSIDE_SCOPE for s in totals.subtotals)

    b.cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    b.cbc(root, "ProfileID", PROFILE_ID)
    b.cbc(root, "ID", document.number)
    b.cbc(root, "IssueDate", document.issue_date.isoformat())
    if document.due_date is not None and not credit:
        b.cbc(root, "DueDate", document.due_date.isoformat())
    b.cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", document.document_type.value)
    if document.note:
        b.cbc(root, "Note", document.note)
    b.cbc(root, "DocumentCurrencyCode", document.currency)
    if document.buyer_reference:
        b.cbc(root, "BuyerReference", document.buyer_reference)
    _period(b, root, document.period_start, document.period_end)
    if document.order_reference:
        b.cbc(b.cac(root, "OrderReference"), "ID", document.order_reference)
    if document.original_number:
        ref = b.cac(b.cac(root, "BillingReference"), "InvoiceDocumentReference")
        b.cbc(ref, "ID", document.original_number)
        if document.original_issue_date is not None:
            b.cbc(ref, "IssueDate", document.original_issue_date.isoformat())
    _party(b, root, "AccountingSupplierParty", document.seller, seller=True, outside_scope=outside_scope)
    _party(b, root, "AccountingCustomerParty", document.buyer, seller=False, outside_scope=outside_scope)
    if document.payment is not None:
        means = b.cac(root, "PaymentMeans")
        b.cbc(means, "PaymentMeansCode", "30")
        if credit and document.due_date is not None:
            b.cbc(means, "PaymentDueDate", document.due_date.isoformat())
        b.cbc(means, "PaymentID", document.number)
        account = b.cac(means, "PayeeFinancialAccount")
        b.cbc(account, "ID", document.payment.account)
        b.cbc(b.cac(account, "FinancialInstitutionBranch"), "ID", "SE:BANKGIRO")
        if document.payment.terms:
            b.cbc(b.cac(root, "PaymentTerms"), "Note", document.payment.terms)

    tax_total = b.cac(root, "TaxTotal")
    b.money(tax_total, "TaxAmount", totals.tax_total)
    for subtotal in totals.subtotals:
        node = b.cac(tax_total, "TaxSubtotal")
        b.money(node, "TaxableAmount", subtotal.taxable)
        b.money(node, "TaxAmount", subtotal.tax)
        code = VatCode(subtotal.category.value, subtotal.category, subtotal.rate, subtotal.exemption_reason)
        _tax_category(b, node, "TaxCategory", code, with_reason=True)

    monetary = b.cac(root, "LegalMonetaryTotal")
    b.money(monetary, "LineExtensionAmount", totals.line_extension)
    b.money(monetary, "TaxExclusiveAmount", totals.tax_exclusive)
    b.money(monetary, "TaxInclusiveAmount", totals.tax_inclusive)
    if totals.rounding:
        b.money(monetary, "PayableRoundingAmount", totals.rounding)
    b.money(monetary, "PayableAmount", totals.payable)

    for number, line in enumerate(document.lines, start=1):
        node = b.cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        b.cbc(node, "ID", str(number))
        if line.note:
            b.cbc(node, "Note", line.note)
        b.cbc(
            node, "CreditedQuantity" if credit else "InvoicedQuantity", _number(line.quantity), unitCode=line.unit_code
        )
        b.money(node, "LineExtensionAmount", line.line.net)
        if line.accounting_cost:
            b.cbc(node, "AccountingCost", line.accounting_cost)
        _period(b, node, line.period_start, line.period_end)
        item = b.cac(node, "Item")
        b.cbc(item, "Name", line.description[:200])
        if line.seller_item_id:
            b.cbc(b.cac(item, "SellersItemIdentification"), "ID", line.seller_item_id)
        _tax_category(b, item, "ClassifiedTaxCategory", line.vat, with_reason=False)
        b.money(b.cac(node, "Price"), "PriceAmount", line.unit_price)
    return root


def _check(document: Document) -> None:
    if not document.lines:
        raise ValueError("a Peppol document needs at least one line (BR-16)")
    if not (document.buyer_reference or document.order_reference):
        raise ValueError("buyer reference or order reference is required (PEPPOL-EN16931-R003)")
    if document.is_credit_note and not document.original_number:
        raise ValueError("a credit note must reference the invoice it corrects")
    for line in document.lines:
        if not _text(line.description).strip():
            raise ValueError("every line needs an item name (BR-25)")
        if line.unit_price < 0:
            raise ValueError("item net price must not be negative (BR-27); use a negative quantity")


def to_bytes(document: Document) -> bytes:
    return bytes(etree.tostring(build(document), xml_declaration=True, encoding="UTF-8", pretty_print=True))


def write(document: Document, path: str) -> None:
    with open(path, "wb") as handle:
        handle.write(to_bytes(document))
