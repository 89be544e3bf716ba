"""Every invoice line is made here, whichever source bills it.

A line's amount is always ``domain.invoice_math.line_net(quantity, unit_price)``, so what the
invoice prints (quantity × price) reproduces it; a catalogue item's line takes its unit,
revenue account and activity from the item and its price and VAT code from the price version
valid when it was delivered. The set-based order path writes the same columns in SQL
(``insert_select``), computing the net with ``sql.half_up``, which the tests hold equal to
``line_net``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from samverkan.billing import sql
from samverkan.billing.models import Invoice, InvoiceLine, InvoiceRun, SourceType
from samverkan.catalogue.models import UNIT_CODES, CatalogueItem, PriceUnit, PriceVersion
from samverkan.domain.invoice_math import QUANTITY_DECIMALS, Line, line_net, vat_code


def new_line(
    *,
    source_type: SourceType,
    source_id: int | None,
    source_key: str,
    member_id: int,
    description: str,
    quantity: Decimal,
    unit_price: Decimal,
    vat: str,
    revenue_account: str,
    activity: str = "",
    item_id: int | None = None,
    unit_code: str = UNIT_CODES[PriceUnit.ONE_OFF],
    invoice_reference: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    order_number: str = "",
    run: InvoiceRun | None = None,
    invoice: Invoice | None = None,
) -> InvoiceLine:
    return InvoiceLine(
        run=run,
        invoice=invoice,
        member_id=member_id,
        invoice_reference=invoice_reference,
        source_type=source_type,
        source_id=source_id,
        source_key=source_key,
        item_id=item_id,
        description=description,
        quantity=quantity,
        unit_code=unit_code,
        unit_price=unit_price,
        net=line_net(quantity, unit_price),
        vat_code=vat,
        revenue_account=revenue_account,
        activity=activity,
        period_start=period_start,
        period_end=period_end,
        order_number=order_number,
    )


def item_line(*, item: CatalogueItem, price: PriceVersion, **source: Any) -> InvoiceLine:
    """A line of a catalogue item: unit, account and activity from the item, price and VAT from ``price``."""
    return new_line(
        item_id=item.pk,
        unit_code=UNIT_CODES[PriceUnit(item.price_unit)],
        unit_price=price.unit_price,
        vat=price.vat_code,
        revenue_account=item.revenue_account,
        activity=item.activity,
        **source,
    )


def amount_line(*, amount: Decimal, **source: Any) -> InvoiceLine:
    """A line for an amount that is no catalogue item (an allocation share): one unit, or minus one."""
    return new_line(quantity=Decimal(1 if amount > 0 else -1), unit_price=abs(amount), **source)


def as_domain_line(line: InvoiceLine) -> Line:
    return Line(line.quantity, line.unit_price, vat_code(line.vat_code), line.description)


def credit_key(line_id: int) -> str:
    """The source key of a line's credit: unique, so each line is credited at most once."""
    return f"{SourceType.CREDIT}:{line_id}"


def credit_line(original: InvoiceLine, credit: Line, *, invoice: Invoice) -> InvoiceLine:
    """The credit of ``original`` as ``domain.invoice_math.credit_lines`` computed it."""
    return new_line(
        invoice=invoice,
        member_id=invoice.member_id,
        invoice_reference=original.invoice_reference,
        source_type=SourceType.CREDIT,
        source_id=original.pk,
        source_key=credit_key(original.pk),
        item_id=original.item_id,
        description=original.description,
        quantity=credit.quantity,
        unit_code=original.unit_code,
        unit_price=original.unit_price,
        vat=original.vat_code,
        revenue_account=original.revenue_account,
        activity=original.activity,
        period_start=original.period_start,
        period_end=original.period_end,
        order_number=original.order_number,
    )


def save_new(lines: Iterable[InvoiceLine]) -> int:
    """Insert the lines whose source key was never billed; returns how many."""
    lines = list(lines)
    billed = set(
        InvoiceLine.objects.filter(source_key__in=[ln.source_key for ln in lines]).values_list("source_key", flat=True)
    )
    fresh = [ln for ln in lines if ln.source_key not in billed]
    InvoiceLine.objects.bulk_create(fresh, batch_size=2000)
    return len(fresh)


def unit_code_sql(price_unit: str) -> str:
    """SQL twin of ``item_line``'s unit: the UN/ECE code of the item's price unit column."""
    cases = " ".join(f"WHEN '{unit.value}' THEN '{code}'" for unit, code in UNIT_CODES.items())
    return f"CASE {price_unit} {cases} END"


def net_sql(quantity: str, unit_price: str) -> str:
    """SQL twin of ``line_net`` in integer öre: the quantity (4 decimals) in 1/10 000 units, half-up."""
    units = f"CAST(ROUND({quantity} * {10**QUANTITY_DECIMALS}) AS BIGINT)"
    return sql.half_up(f"{units} * {unit_price}", 10**QUANTITY_DECIMALS)


def insert_select(columns: Mapping[str, str], from_sql: str) -> str:
    """``INSERT INTO`` the lines table ``SELECT`` one SQL expression per column, for set-based sources.

    Every column of the model must be given (a new field fails here, not in production).
    """
    expected = {f.column for f in InvoiceLine._meta.concrete_fields if not f.primary_key}
    if set(columns) != expected:
        raise ValueError(f"line columns differ from the model: {sorted(set(columns) ^ expected)}")
    names, values = ", ".join(columns), ", ".join(columns.values())
    return f"INSERT INTO {InvoiceLine._meta.db_table} ({names}) SELECT {values} {from_sql}"
