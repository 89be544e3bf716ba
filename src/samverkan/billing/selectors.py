"""Reads of billing, scoped by the asking user; plus the reconciliation every run must pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404

from samverkan.billing.models import (
    BillingProfile,
    FrequencyRule,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    ManualLine,
    SourceType,
)
from samverkan.billing.policies import VIEW_DRAFT_INVOICES
from samverkan.catalogue.models import CatalogueItem
from samverkan.core.permissions import has_capability, scope
from samverkan.domain.billing_frequency import Frequency, Span, billing_span
from samverkan.domain.periods import Timing, parse_period


def profile_for(federation: Any) -> BillingProfile:
    """The federation's billing settings; a federation that never changed them gets the defaults."""
    profile, _created = BillingProfile.objects.get_or_create(federation=federation)
    return profile


def runs_for(user: Any) -> QuerySet[InvoiceRun]:
    return (
        scope(user, InvoiceRun.objects.all(), member=None, department=None)
        .annotate(invoice_count=Count("invoices", distinct=True))
        .order_by("-issue_date", "-pk")
    )


def run_get(user: Any, pk: int) -> InvoiceRun:
    return get_object_or_404(scope(user, InvoiceRun.objects.all(), member=None, department=None), pk=pk)


def invoices_for(user: Any) -> QuerySet[Invoice]:
    """Staff see the federation's invoices, a member contact its member's (drafts only for billers)."""
    qs = scope(user, Invoice.objects.select_related("member", "run", "credits"), member="member", department=None)
    if not has_capability(user, VIEW_DRAFT_INVOICES):
        qs = qs.filter(issued=True)
    return qs


def invoice_get(user: Any, pk: int) -> Invoice:
    return get_object_or_404(invoices_for(user), pk=pk)


def invoice_lines(invoice: Invoice) -> QuerySet[InvoiceLine]:
    """Lines grouped by service (catalogue item), then in the order they were gathered."""
    return invoice.lines.select_related("item").order_by("item__name", "description", "pk")


def run_member_summary(run: InvoiceRun) -> list[dict[str, Any]]:
    return list(
        run.invoices.values("member__name", "member_id")
        .annotate(invoices=Count("id"), net=Sum("net"), vat=Sum("vat"), total=Sum("total"))
        .order_by("member__name")
    )


# --- Invoicing frequency per service or activity (domain/billing_frequency.py)


@dataclass(frozen=True)
class Frequencies:
    """A federation's frequency rules: a service's own rule, else its activity's, else the default."""

    default: Frequency
    items: dict[int, Frequency] = field(default_factory=dict)
    activities: dict[str, Frequency] = field(default_factory=dict)

    def for_activity(self, activity: str) -> Frequency:
        return self.activities.get(activity, self.default)

    def for_item(self, item_id: int, activity: str) -> Frequency:
        return self.items.get(item_id) or self.for_activity(activity)

    def in_use(self) -> set[Frequency]:
        return {self.default, *self.items.values(), *self.activities.values()}


def frequencies_for(federation: Any) -> Frequencies:
    """Not scoped by user: the invoice run works on the whole federation."""
    rules = FrequencyRule.objects.filter(federation=federation)
    return Frequencies(
        default=Frequency(profile_for(federation).default_frequency),
        items={r.item_id: Frequency(r.frequency) for r in rules if r.item_id is not None},
        activities={r.activity: Frequency(r.frequency) for r in rules if r.activity},
    )


def item_exceptions(federation: Any, frequencies: Frequencies) -> dict[int, Frequency]:
    """The catalogue items billed at another frequency than the default, with theirs."""
    if not frequencies.items and not frequencies.activities:
        return {}
    items = CatalogueItem.objects.filter(federation=federation).values_list("pk", "activity")
    resolved = {pk: frequencies.for_item(pk, activity) for pk, activity in items}
    return {pk: f for pk, f in resolved.items() if f != frequencies.default}


def frequency_rules_for(user: Any) -> QuerySet[FrequencyRule]:
    return scope(user, FrequencyRule.objects.select_related("item"), member=None, department=None)


@dataclass(frozen=True)
class RunFrequency:
    """What a run bills of one frequency: the span of months (None: nothing of it this run)."""

    frequency: Frequency
    label: str
    span: Span | None
    default: bool
    rules: tuple[str, ...]


def run_frequencies(run: InvoiceRun) -> list[RunFrequency]:
    """For the run page: each frequency in use and which months of it this run bills."""
    frequencies = frequencies_for(run.federation)
    period, timing = parse_period(run.period), Timing(run.timing)
    names: dict[Frequency, list[str]] = {}
    for rule in FrequencyRule.objects.filter(federation=run.federation).select_related("item"):
        names.setdefault(Frequency(rule.frequency), []).append(rule.item.name if rule.item else rule.activity)
    return [
        RunFrequency(
            frequency=f,
            label=f.label_sv(),
            span=billing_span(period, f, timing),
            default=f == frequencies.default,
            rules=tuple(sorted(names.get(f, []))),
        )
        for f in Frequency
        if f in frequencies.in_use()
    ]


# --- Manual invoice lines (approved by someone else before a run picks them up)


def manual_lines_for(user: Any) -> QuerySet[ManualLine]:
    """Annotated with the run that billed each line, if any (``billed_run``) and its status."""
    billed = InvoiceLine.objects.filter(source_type=SourceType.MANUAL, source_id=OuterRef("pk"))
    return (
        scope(user, ManualLine.objects.all(), member=None, department=None)
        .select_related("member", "department", "created_by", "approved_by")
        .annotate(
            invoiced=Exists(billed),
            billed_run=Subquery(billed.values("run_id")[:1]),
            billed_invoice=Subquery(billed.values("invoice_id")[:1]),
        )
    )


def manual_line_get(user: Any, pk: int) -> ManualLine:
    return get_object_or_404(manual_lines_for(user), pk=pk)
