"""Gathering billable lines into a run: set-based where volume lives, exact everywhere.

Each source finds what is billable; ``lines.py`` builds the line (or, for orders, the SQL
that writes it).

Sources and their "never twice" keys (``InvoiceLine.source_key`` is unique in the database):

* delivered orders with a one-off/hour/item price — ``order:<id>``, one INSERT … SELECT;
  the price is the version valid on the delivery date; net = quantity × price half-up to
  the öre in integer öre arithmetic (quantity in 1/10 000 units), identical on SQLite and
  PostgreSQL and to ``domain.invoice_math.line_net``;
* subscriptions — ``sub:<id>:<first month>:<last month>``, per run period and price segment,
  pro rata by ``domain.periods`` (rule chosen on the run). Months already covered by an
  earlier line of the same subscription are skipped, so changing cadence (monthly → quarterly)
  cannot bill a month twice;
* hours on tickets (``portal.selectors.billable_time``) priced by the catalogue's hourly
  item whose owner team is the ticket's team — ``hours:<member>:<department>:<team>:<window>``;
* approved allocation runs (``allocation``): the cumulative share of the latest approved run
  of a pool up to the end of the period, minus what was already billed for that pool and
  member — ``alloc:<pool>:<member>:<period>``. A later final run (true-up) is therefore billed
  as its difference. Allocation lines are outside the scope of VAT (code ``O``);
* approved manual lines (``ManualLine``) — ``manual:<id>``, by the first run whose span
  reaches the end of the line's period (in advance: its start).

Frequencies (``domain.billing_frequency``): each source is gathered once per frequency in use,
for that frequency's span of months (``Due``); a frequency with no span in this run is skipped
and billed by the run that closes its period. Time on tickets is linked entry by entry
(``BilledTimeEntry``), so time reported after its period's run is billed by the next run,
with its own dates in the line's text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat

from samverkan.allocation.models import AllocationLine, AllocationRun, RunKind
from samverkan.allocation.models import RunStatus as AllocationStatus
from samverkan.billing import lines, sql
from samverkan.billing.models import (
    BilledTimeEntry,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    ManualLine,
    ManualLineStatus,
    SourceType,
)
from samverkan.billing.selectors import Frequencies
from samverkan.catalogue.models import (
    RECURRING_MONTHS,
    CatalogueItem,
    Order,
    OrderStatus,
    PriceUnit,
    PriceVersion,
    Subscription,
)
from samverkan.domain.billing_frequency import Frequency, Span, billing_span
from samverkan.domain.invoice_math import VAT_OUTSIDE, billed_quantity, round_ore
from samverkan.domain.periods import (
    Period,
    ProrataRule,
    Timing,
    months_in_span,
    one_off_cutoff,
    overlap,
    prorata_factor,
)
from samverkan.portal.models import TimeEntry

# Units billed once, on delivery of an order; the recurring ones are billed as subscriptions.
ON_DELIVERY = tuple(unit for unit in PriceUnit if unit not in RECURRING_MONTHS)


def _t(model: Any) -> str:
    return str(model._meta.db_table)


@dataclass(frozen=True)
class Due:
    """What a run bills of one frequency: recurring charges for ``span``, the rest up to ``cutoff``.

    ``window_start``: the first day of ticket time that belongs to this run; time dated before it
    and not yet billed was reported after its own run and is billed now as late time.
    """

    frequency: Frequency
    span: Span
    cutoff: date
    window_start: date


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def dues(period: Period, timing: Timing, frequencies: Iterable[Frequency]) -> dict[Frequency, Due]:
    """Each frequency billed by a run for ``period`` (see ``domain.billing_frequency``)."""
    result = {}
    for frequency in sorted(set(frequencies), key=lambda f: f.months):
        span = billing_span(period, frequency, timing)
        if span is None:
            continue
        cutoff = one_off_cutoff(span, timing)  # type: ignore[arg-type]  # a span has a period's start and end
        if timing is Timing.ARREARS:
            result[frequency] = Due(frequency, span, cutoff, span.start)
        else:
            length = sum(1 for _month in span.months())
            result[frequency] = Due(frequency, span, cutoff, _months_before(span.start, length))
    return result


def item_filter(
    frequency: Frequency, frequencies: Frequencies, exceptions: dict[int, Frequency]
) -> tuple[list[int] | None, list[int]] | None:
    """(only these items or None for all, except these) for a frequency's gathering; None: no item has it."""
    if frequency == frequencies.default:
        return None, sorted(exceptions)
    only = sorted(pk for pk, f in exceptions.items() if f == frequency)
    return (only, []) if only else None


ORDER_KEY_PREFIX = f"{SourceType.ORDER}:"


def order_key_sql(alias: str) -> str:
    """An order's line key (``order:<id>``) in SQL, its prefix a parameter: the one expression the lines
    are written with and looked up by (the unique ``source_key`` index finds them; ``line_source_idx``
    leaves order lines out)."""
    return f"%s || CAST({alias}.id AS VARCHAR(20))"


def _item_sql(alias: str, only: Collection[int] | None, skip: Collection[int]) -> tuple[str, list[Any]]:
    clause, params = "", []
    if only is not None:
        clause += f" AND {alias}.item_id IN ({', '.join(['%s'] * len(only))})"
        params += list(only)
    if skip:
        clause += f" AND {alias}.item_id NOT IN ({', '.join(['%s'] * len(skip))})"
        params += list(skip)
    return clause, params


def gather_orders(
    run: InvoiceRun,
    cutoff: date,
    period: Period,
    only: Collection[int] | None = None,
    skip: Collection[int] = (),
) -> tuple[int, int]:
    """Every delivered, unbilled order up to ``cutoff``; returns (lines billed, orders without a price).

    ``only``/``skip``: the catalogue items of one invoicing frequency (``item_filter``).

    One pass over the orders writes each priced candidate, with its invoice key, to a temporary
    table; the invoices it needs and the lines already joined to their invoices are then two
    INSERT … SELECT statements over that table — no per-line Python, no UPDATE of the new lines,
    and the orders, prices and billed lines are joined once, not once per statement.
    """
    line, order, item, price = _t(InvoiceLine), _t(Order), _t(CatalogueItem), _t(PriceVersion)

    # A temporary table, not a subquery: an INSERT into the lines table that also anti-joins the
    # lines table would rescan its own growing heap (quadratic on PostgreSQL).
    todo = "billing_run_todo"
    items_sql, items_params = _item_sql("o", only, skip)
    ref, scope = sql.reference_key("o"), sql.scope_key("p.vat_code")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a batch job: let the million-row hash joins stay in memory
            cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute(f"DROP TABLE IF EXISTS {todo}")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {todo} (id BIGINT NOT NULL, member_id BIGINT NOT NULL,
                invoice_reference VARCHAR(100) NOT NULL, ref VARCHAR(100) NOT NULL, scope VARCHAR(1),
                item_id BIGINT NOT NULL, quantity DECIMAL(14, 4) NOT NULL, unit_price BIGINT, vat_code VARCHAR(2),
                delivered_on DATE NOT NULL, number VARCHAR(40) NOT NULL)"""
        )
        # each candidate with the price version valid on its delivery date (none: NULL, not billed)
        cursor.execute(
            f"""INSERT INTO {todo} SELECT o.id, o.member_id, o.invoice_reference, {ref}, {scope}, o.item_id,
                    o.quantity, p.unit_price, p.vat_code, o.delivered_on, o.number
                FROM {order} o JOIN {item} i ON i.id = o.item_id
                LEFT JOIN {price} p ON p.item_id = o.item_id AND p.valid_from <= o.delivered_on
                    AND (p.valid_to IS NULL OR p.valid_to >= o.delivered_on)
                WHERE o.federation_id = %s AND o.status = %s AND o.delivered_on <= %s
                  AND i.price_unit IN ({", ".join(["%s"] * len(ON_DELIVERY))})
                  AND NOT EXISTS (SELECT 1 FROM {line} l WHERE l.source_key = {order_key_sql("o")})
                  {items_sql}
            """,  # noqa: S608
            [True, run.federation_id, OrderStatus.DELIVERED, cutoff, *ON_DELIVERY, ORDER_KEY_PREFIX, *items_params],
        )
        candidates_count = int(cursor.rowcount)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {todo}")

    keys = f"SELECT DISTINCT member_id, ref, scope FROM {todo} WHERE unit_price IS NOT NULL"  # noqa: S608
    sql.insert_invoices(run, keys, [], period)
    if connection.vendor == "postgresql":  # fresh invoice rows: give the planner their numbers for the join
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_t(Invoice)}")
    insert = lines.insert_select(
        {
            "run_id": "%s",
            "invoice_id": "inv.id",
            "member_id": "c.member_id",
            "invoice_reference": "c.invoice_reference",
            "source_type": "%s",
            "source_id": "c.id",
            "source_key": order_key_sql("c"),
            "item_id": "c.item_id",
            "description": "i.name",
            "quantity": "c.quantity",
            "unit_code": lines.unit_code_sql("i.price_unit"),
            "unit_price": "c.unit_price",
            "net": lines.net_sql("c.quantity", "c.unit_price"),
            "vat_code": "c.vat_code",
            "revenue_account": "i.revenue_account",
            "activity": "i.activity",
            "period_start": "c.delivered_on",
            "period_end": "c.delivered_on",
            "order_number": "c.number",
        },
        f"""FROM {todo} c
        JOIN {item} i ON i.id = c.item_id
        JOIN {_t(Invoice)} inv ON inv.run_id = %s AND inv.member_id = c.member_id AND inv.invoice_reference = c.ref
            AND inv.vat_scope = c.scope""",
    )
    with connection.cursor() as cursor:
        cursor.execute(insert, [run.pk, SourceType.ORDER, ORDER_KEY_PREFIX, run.pk])
        inserted = int(cursor.rowcount)
        cursor.execute(f"DROP TABLE {todo}")
        if connection.vendor == "postgresql" and inserted:  # the totals that follow aggregate the new lines:
            cursor.execute(f"ANALYZE {line} (run_id, invoice_id, vat_code)")  # what they filter and group by
    return inserted, candidates_count - inserted  # the rest had no valid price on delivery


def unpriced_orders(
    run: InvoiceRun, cutoff: date, only: Collection[int] | None = None, skip: Collection[int] = ()
) -> list[str]:
    """Delivered orders that could not be billed because no price was valid on delivery."""
    billed = InvoiceLine.objects.filter(
        source_key=Concat(Value(ORDER_KEY_PREFIX), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    )
    candidates = Order.objects.filter(
        ~Exists(billed),
        federation_id=run.federation_id,
        status=OrderStatus.DELIVERED,
        delivered_on__lte=cutoff,
        item__price_unit__in=ON_DELIVERY,
    )
    if only is not None:
        candidates = candidates.filter(item_id__in=only)
    if skip:
        candidates = candidates.exclude(item_id__in=skip)
    return [o.number for o in candidates[:50]]


def _month_key(month: Period) -> str:
    return f"{month.year:04d}-{month.index:02d}"


def _price_for(versions: list[PriceVersion], day: date) -> PriceVersion | None:
    for version in versions:
        if version.valid_from <= day and (version.valid_to is None or version.valid_to >= day):
            return version
    return None


def gather_subscriptions(
    run: InvoiceRun,
    period: Period | Span,
    rule: ProrataRule,
    only: Collection[int] | None = None,
    skip: Collection[int] = (),
) -> tuple[int, list[str]]:
    """Recurring charges for the months of ``period`` (a frequency's span) not billed before."""
    query = Subscription.objects.filter(federation_id=run.federation_id, start__lte=period.end).filter(
        Q(end__isnull=True) | Q(end__gte=period.start)
    )
    if only is not None:
        query = query.filter(item_id__in=only)
    if skip:
        query = query.exclude(item_id__in=skip)
    subs = list(query.select_related("item", "order"))
    if not subs:
        return 0, []
    versions: dict[int, list[PriceVersion]] = defaultdict(list)
    for version in PriceVersion.objects.filter(
        item_id__in={s.item_id for s in subs}, valid_from__lte=period.end
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start)):
        versions[version.item_id].append(version)
    covered: dict[int, set[str]] = defaultdict(set)
    earlier = InvoiceLine.objects.filter(
        source_type=SourceType.SUBSCRIPTION,
        source_id__in=[s.pk for s in subs],
        period_start__lte=period.end,
        period_end__gte=period.start,
    ).values_list("source_id", "period_start", "period_end")
    for source_id, start, end in earlier:
        for month in period.months():
            if start <= month.end and end >= month.start:
                covered[int(source_id)].add(_month_key(month))
    billable: list[InvoiceLine] = []
    warnings: list[str] = []
    for sub in subs:
        price_months = RECURRING_MONTHS.get(PriceUnit(sub.item.price_unit))
        if price_months is None:
            continue
        segments: list[tuple[PriceVersion, list[Period]]] = []
        for month in period.months():
            span = overlap(sub.start, sub.end, month)
            if span is None or _month_key(month) in covered[sub.pk]:
                continue
            version = _price_for(versions[sub.item_id], span[0])
            if version is None:
                warnings.append(f"Inget pris för {sub.item.name} {_month_key(month)} (abonnemang {sub.pk})")
                continue
            if segments and segments[-1][0].pk == version.pk and segments[-1][1][-1].next() == month:
                segments[-1][1].append(month)
            else:
                segments.append((version, [month]))
        for version, months in segments:
            factor = sum((prorata_factor(sub.start, sub.end, m, price_months, rule) for m in months), Fraction(0))
            quantity = billed_quantity(sub.quantity, factor)
            if quantity == 0:
                continue
            first = overlap(sub.start, sub.end, months[0])
            last = overlap(sub.start, sub.end, months[-1])
            assert first is not None and last is not None
            billable.append(
                lines.item_line(
                    item=sub.item,
                    price=version,
                    run=run,
                    member_id=sub.member_id,
                    invoice_reference=sub.invoice_reference,
                    source_type=SourceType.SUBSCRIPTION,
                    source_id=sub.pk,
                    source_key=f"sub:{sub.pk}:{_month_key(months[0])}:{_month_key(months[-1])}",
                    description=f"{sub.item.name}, {first[0]:%Y-%m-%d}–{last[1]:%Y-%m-%d}",
                    quantity=quantity,
                    period_start=first[0],
                    period_end=last[1],
                    order_number=sub.order.number if sub.order_id else "",
                )
            )
    return lines.save_new(billable), warnings


def gather_hours(run: InvoiceRun, due: dict[Frequency, Due], frequencies: Frequencies) -> tuple[int, list[str]]:
    """Billable ticket time not billed yet, up to each team's cutoff, priced by the team's hourly item.

    One line per member × department × team for the run's window (``Due.window_start`` to the
    cutoff), and one per member × department × team and month for older time no run has billed
    (reported after its period's run). Each entry is linked to its line (``BilledTimeEntry``,
    unique per entry), so nothing is billed twice and nothing is lost.
    """
    if not due:
        return 0, []
    hourly = {
        item.owner_team: item
        for item in CatalogueItem.objects.filter(
            federation_id=run.federation_id, price_unit=PriceUnit.HOUR, active=True
        )
        if item.owner_team
    }
    versions: dict[int, list[PriceVersion]] = defaultdict(list)
    for version in PriceVersion.objects.filter(item__in=hourly.values()):
        versions[version.item_id].append(version)
    entries = (
        TimeEntry.objects.filter(
            ticket__federation_id=run.federation_id, billable=True, day__lte=max(d.cutoff for d in due.values())
        )
        .filter(~Exists(BilledTimeEntry.objects.filter(time_entry_id=OuterRef("pk"))))
        .order_by("day", "pk")
        .values_list(
            "pk",
            "day",
            "minutes",
            "ticket__member_id",
            "ticket__member__name",
            "ticket__department_id",
            "ticket__department__name",
            "ticket__department__invoice_reference",
            "ticket__team__code",
        )
    )
    groups: dict[tuple[Any, ...], list[tuple[int, date, int]]] = defaultdict(list)
    meta: dict[tuple[Any, ...], tuple[str, str, str, CatalogueItem | None, Due]] = {}
    default_due = due.get(frequencies.default)
    for pk, day, minutes, member_id, member_name, department_id, department_name, reference, team in entries:
        item = hourly.get(team)
        window = due.get(frequencies.for_item(item.pk, item.activity)) if item else default_due
        if window is None or day > window.cutoff or (item is None and day < window.window_start):
            continue  # not this run's frequency, or unpriced time already reported by its own run
        bucket = f"{day:%Y-%m}" if day < window.window_start else ""
        key = (member_id, department_id, team, bucket)
        groups[key].append((pk, day, minutes))
        meta[key] = (member_name, department_name or "", reference or "", item, window)
    pending: list[tuple[InvoiceLine, list[int]]] = []
    warnings = []
    for key, rows in groups.items():
        member_id, department_id, team, bucket = key
        member_name, department_name, reference, item, window = meta[key]
        minutes = sum(row[2] for row in rows)
        first, last = (rows[0][1], rows[-1][1]) if bucket else (window.window_start, window.cutoff)
        version = _price_for(versions[item.pk], last) if item else None
        if item is None or version is None:
            warnings.append(f"Inget timpris för team {team} ({member_name}, {minutes} min)")
            continue
        text = f"{item.name}, {department_name or member_name} {first:%Y-%m-%d}–{last:%Y-%m-%d}"
        line = lines.item_line(
            item=item,
            price=version,
            run=run,
            member_id=member_id,
            invoice_reference=reference,
            source_type=SourceType.HOURS,
            source_id=department_id,
            source_key=f"hours:r{run.pk}:{member_id}:{department_id or 0}:{team}:{first}:{last}"[:80],
            description=f"{text} (tid rapporterad efter fakturering)" if bucket else text,
            quantity=billed_quantity(Decimal(minutes), Fraction(1, 60)),  # hours, 4 decimals
            period_start=first,
            period_end=last,
        )
        pending.append((line, [row[0] for row in rows]))
    saved = lines.save_new(line for line, _entries in pending)
    ids = dict(
        InvoiceLine.objects.filter(run=run, source_key__in=[line.source_key for line, _e in pending]).values_list(
            "source_key", "pk"
        )
    )
    BilledTimeEntry.objects.bulk_create(
        BilledTimeEntry(time_entry_id=entry, line_id=ids[line.source_key])
        for line, linked in pending
        if line.source_key in ids
        for entry in linked
    )
    return saved, warnings


def gather_manual(run: InvoiceRun, due: dict[Frequency, Due], frequencies: Frequencies, timing: Timing) -> int:
    """Approved manual lines not billed yet whose period this run reaches (in arrears: its end)."""
    billed = InvoiceLine.objects.filter(source_type=SourceType.MANUAL, source_id=OuterRef("pk"))
    candidates = (
        ManualLine.objects.filter(federation_id=run.federation_id, status=ManualLineStatus.APPROVED)
        .filter(~Exists(billed))
        .select_related("department")
        .order_by("pk")
    )
    billable = []
    for manual in candidates:
        window = due.get(frequencies.for_activity(manual.activity))
        reached = manual.period_end if timing is Timing.ARREARS else manual.period_start
        if window is None or reached > window.span.end:
            continue
        billable.append(
            lines.new_line(
                run=run,
                source_type=SourceType.MANUAL,
                source_id=manual.pk,
                source_key=f"{SourceType.MANUAL}:{manual.pk}",
                member_id=manual.member_id,
                invoice_reference=manual.department.invoice_reference if manual.department else "",
                description=manual.description,
                quantity=manual.quantity,
                unit_price=manual.unit_price,
                vat=manual.vat_code,
                revenue_account=manual.revenue_account,
                activity=manual.activity,
                period_start=manual.period_start,
                period_end=manual.period_end,
            )
        )
    return lines.save_new(billable)


def _fraction_through(pool_start: date, pool_end: date, upto: date) -> Fraction:
    """Share of a pool period elapsed by ``upto`` (inclusive), in months: a quarter of a year is exactly 1/4."""
    if upto < pool_start:
        return Fraction(0)
    if upto >= pool_end:
        return Fraction(1)
    return months_in_span(pool_start, upto) / months_in_span(pool_start, pool_end)


def gather_allocations(run: InvoiceRun, period: Period | Span, account: str, activity: str = "") -> int:
    """Each member's share of the latest approved run of every pool overlapping ``period``, billed cumulatively.

    One query reads every share with what was already billed for its pool and member (under any
    earlier run of the pool: a true-up is billed as its difference); Python only does the exact
    arithmetic per share.
    """
    latest_run = (
        AllocationRun.objects.filter(pool_id=OuterRef("run__pool_id"), status=AllocationStatus.APPROVED)
        .exclude(kind=RunKind.SETTLEMENT)
        .order_by("-approved_at", "-pk")
        .values("pk")[:1]
    )
    same_pool_and_member = AllocationLine.objects.filter(
        run__pool_id=OuterRef(OuterRef("run__pool_id")), member_id=OuterRef(OuterRef("member_id"))
    ).values("pk")
    billed = (
        InvoiceLine.objects.filter(source_type=SourceType.ALLOCATION, source_id__in=same_pool_and_member)
        .order_by()
        .values("source_type")
        .annotate(total=Sum("net"))
        .values("total")
    )
    shares = (
        AllocationLine.objects.filter(
            run__pool__federation_id=run.federation_id,
            run__pool__period_start__lte=period.end,
            run__pool__period_end__gte=period.start,
            run_id=Subquery(latest_run),
        )
        .annotate(billed=Subquery(billed))
        .select_related("run__pool")
        .order_by("run__pool_id", "position")
    )
    billable, through = [], {}
    for share in shares:
        alloc_run, pool = share.run, share.run.pool
        if pool.pk not in through:
            through[pool.pk] = _fraction_through(pool.period_start, pool.period_end, period.end)
        amount = round_ore(Fraction(share.amount) * through[pool.pk]) - (share.billed or 0)
        if amount == 0:
            continue
        billable.append(
            lines.amount_line(
                amount=amount,
                run=run,
                member_id=share.member_id,
                source_type=SourceType.ALLOCATION,
                source_id=share.pk,
                source_key=f"alloc:{pool.pk}:{share.member_id}:{period}",
                description=f"{pool.name}, {period.label_sv()} ({alloc_run.get_kind_display().lower()})",
                vat=VAT_OUTSIDE.code,
                revenue_account=account,
                activity=activity,
                period_start=max(pool.period_start, period.start),
                period_end=min(pool.period_end, period.end),
            )
        )
    return lines.save_new(billable)
