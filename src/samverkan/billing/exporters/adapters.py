"""Models → the plain dataclasses the file writers take (UBL, SIE), and the PDF/XLSX renderers.

The writers never see a model, so they stay testable without a database; this module is
the only place that knows both sides.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from samverkan.billing import selectors
from samverkan.billing.exporters import sie, ubl
from samverkan.billing.models import Invoice, InvoiceRun, MemberBillingSetting
from samverkan.domain.invoice_math import VAT_CODES, DocumentType, VatCategory, vat_code
from samverkan.members.models import Federation, Member

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def seller_party(federation: Federation) -> ubl.Party:
    return ubl.Party(
        name=federation.name,
        orgnr=federation.orgnr,
        address=ubl.Address(
            federation.street or "-", federation.city or "-", federation.postal_code.replace(" ", "") or "-"
        ),
        vat_number=federation.vat_number,
        f_skatt=federation.f_skatt,
        legal_form=f"{federation.get_organisation_form_display()}, "
        f"säte {federation.host_municipality or federation.city}",
        contact_email=federation.email,
        contact_phone=federation.phone,
    )


def buyer_party(member: Member) -> ubl.Party:
    return ubl.Party(
        name=member.name,
        orgnr=member.orgnr,
        address=ubl.Address(member.street or "-", member.city or "-", member.postal_code.replace(" ", "") or "-"),
        contact_email=member.invoice_email,
    )


def buyer_reference(invoice: Invoice) -> str:
    if invoice.invoice_reference:
        return invoice.invoice_reference
    setting = MemberBillingSetting.objects.filter(member_id=invoice.member_id).first()
    return (setting.buyer_reference if setting else "") or invoice.member.kommunkod


def ubl_document(invoice: Invoice) -> ubl.Document:
    if not invoice.issued:
        raise ValueError("only issued invoices are exported")
    federation = invoice.federation
    profile = selectors.profile_for(federation)
    lines = [
        ubl.DocumentLine(
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat=vat_code(line.vat_code),
            unit_code=line.unit_code,
            note=f"Order {line.order_number}" if line.order_number else "",
            seller_item_id=line.item.code if line.item_id else "",
            period_start=line.period_start if line.period_start != line.period_end else None,
            period_end=line.period_end if line.period_start != line.period_end else None,
            accounting_cost=line.invoice_reference if line.invoice_reference != invoice.invoice_reference else "",
        )
        for line in selectors.invoice_lines(invoice)
    ]
    credit = invoice.is_credit_note
    return ubl.Document(
        number=str(invoice.number),
        issue_date=invoice.issue_date,
        seller=seller_party(federation),
        buyer=buyer_party(invoice.member),
        lines=lines,
        document_type=DocumentType.CREDIT_NOTE if credit else DocumentType.INVOICE,
        due_date=None if credit else invoice.due_date,
        buyer_reference=buyer_reference(invoice),
        order_reference=invoice.order_reference,
        payment=ubl.Payment(federation.bankgiro, f"{profile.payment_days} dagar netto")
        if federation.bankgiro
        else None,
        note=invoice.note,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        original_number=str(invoice.credits.number) if credit and invoice.credits else "",
        original_issue_date=invoice.credits.issue_date if credit and invoice.credits else None,
        round_to_krona=invoice.rounding != 0,
    )


def peppol_bytes(invoice: Invoice) -> bytes:
    return ubl.to_bytes(ubl_document(invoice))


def account_mapping(federation: Federation) -> sie.AccountMapping:
    """Revenue per ``account|activity`` as stored on each line (lines keep the mapping they were billed with)."""
    profile = selectors.profile_for(federation)
    return sie.AccountMapping(
        revenue=_LineRevenue(),
        receivable=profile.receivable_account,
        # one output-VAT account per standard rate of the domain's table: vat_account_25, _12, _6
        vat_output={
            vat.rate: getattr(profile, f"vat_account_{vat.code}")
            for vat in VAT_CODES.values()
            if vat.category is VatCategory.STANDARD
        },
        rounding=profile.rounding_account,
        activity_dimension=1,
        customer_dimension=None,
    )


class _LineRevenue(dict[str, tuple[str, str]]):
    """Revenue keys are ``"account|activity"``: the mapping was applied when the line was made."""

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and "|" in key

    def __getitem__(self, key: str) -> tuple[str, str]:
        account, _sep, activity = key.partition("|")
        return account, activity


def ledger_invoice(invoice: Invoice) -> sie.LedgerInvoice:
    return sie.LedgerInvoice(
        number=str(invoice.number or f"utkast-{invoice.pk}"),
        issue_date=invoice.issue_date,
        customer=invoice.member.name,
        customer_id=invoice.member.orgnr.replace("-", ""),
        lines=[
            sie.LedgerLine(net, vat_code(code), f"{account}|{activity}")
            for net, code, account, activity in invoice.lines.values_list(
                "net", "vat_code", "revenue_account", "activity"
            )
        ],
        document_type=DocumentType.CREDIT_NOTE if invoice.is_credit_note else DocumentType.INVOICE,
        round_to_krona=invoice.rounding != 0,
    )


def sie_file(federation: Federation, invoices: Iterable[Invoice], *, text: str, on: date) -> sie.SieFile:
    profile = selectors.profile_for(federation)
    ledger = [ledger_invoice(i) for i in invoices]
    vouchers = sie.vouchers_for_invoices(
        ledger,
        account_mapping(federation),
        series=profile.sie_series,
        per_run=profile.sie_per_run,
        run_text=text,
        run_date=on,
    )
    activities = sorted({obj for v in vouchers for t in v.transactions for dim, obj in t.objects if dim == 1})
    return sie.SieFile(
        company_name=federation.name,
        orgnr=federation.orgnr,
        year_start=date(on.year, 1, 1),
        year_end=date(on.year, 12, 31),
        vouchers=vouchers,
        dimensions={1: "Verksamhet"},
        objects={(1, a): str(profile.activity_names.get(a, a)) for a in activities},
        generated=timezone.localdate(),
        program="Samverkan",
    )


def sie_bytes_for_run(run: InvoiceRun) -> bytes:
    invoices = run.invoices.select_related("member").order_by("number", "pk")
    return sie.to_bytes(sie_file(run.federation, invoices, text=f"Fakturering {run.period}", on=run.issue_date))


def invoice_pdf(invoice: Invoice) -> bytes:
    from weasyprint import HTML

    document = ubl_document(invoice) if invoice.issued else None
    html = render_to_string(
        "billing/invoice_pdf.html",
        {
            "invoice": invoice,
            "lines": selectors.invoice_lines(invoice),
            "federation": invoice.federation,
            "buyer_reference": buyer_reference(invoice),
            "subtotals": document.totals.subtotals if document else (),
            "profile": selectors.profile_for(invoice.federation),
        },
    )
    return bytes(HTML(string=html).write_pdf())


def run_xlsx(run: InvoiceRun) -> bytes:
    """Summary per member (sheet 1) and every invoice (sheet 2), amounts as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Per medlem"
    sheet.append([f"Fakturering {run.period}", f"{run.federation.name}", f"status: {run.get_status_display()}"])
    sheet.append(["Medlem", "Antal fakturor", "Netto", "Moms", "Att betala"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    rows = selectors.run_member_summary(run)
    for row in rows:
        sheet.append([row["member__name"], row["invoices"], row["net"], row["vat"], row["total"]])
    sheet.append(
        [
            "Summa",
            sum(r["invoices"] for r in rows),
            *(sum((r[k] for r in rows), Decimal(0)) for k in ("net", "vat", "total")),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    detail = book.create_sheet("Fakturor")
    detail.append(["Fakturanummer", "Medlem", "Fakturareferens", "Fakturadatum", "Netto", "Moms", "Att betala"])
    for invoice in run.invoices.select_related("member").order_by("number", "pk"):
        detail.append(
            [
                invoice.number or "",
                invoice.member.name,
                invoice.invoice_reference,
                invoice.issue_date,
                invoice.net,
                invoice.vat,
                invoice.total,
            ]
        )
    for ws in (sheet, detail):
        for column in "CDEFG":
            for cell in ws[column][1:]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Download:
    """A file as the pages and the API hand it out: the same bytes, type and name from both."""

    data: bytes
    content_type: str
    filename: str

    def response(self) -> HttpResponse:
        response = HttpResponse(self.data, content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


def run_sie_download(run: InvoiceRun) -> Download:
    return Download(sie_bytes_for_run(run), "text/plain; charset=cp437", f"fakturering-{run.period}-{run.pk}.se")


def run_xlsx_download(run: InvoiceRun) -> Download:
    return Download(run_xlsx(run), XLSX, f"fakturering-{run.period}-{run.pk}.xlsx")


def invoice_pdf_download(invoice: Invoice) -> Download:
    return Download(invoice_pdf(invoice), "application/pdf", f"faktura-{invoice.number or invoice.pk}.pdf")


def invoice_peppol_download(invoice: Invoice) -> Download:
    return Download(peppol_bytes(invoice), "application/xml", f"faktura-{invoice.number}.xml")
