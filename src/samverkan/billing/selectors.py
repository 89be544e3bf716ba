"""Reads of billing, scoped by the asking user; plus the reconciliation every run must pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.billing.models import (
    BillingProfile,
    DocumentKind,
    FrequencyRule,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    ManualLine,
    ManualLineStatus,
    RunStatus,
    SourceType,
)
from samverkan.billing.policies import APPROVE_MANUAL_LINES, VIEW_DRAFT_INVOICES, VIEW_INVOICES, VIEW_RUNS
from samverkan.catalogue.models import CatalogueItem
from samverkan.core.permissions import has_capability, scope
from samverkan.core.todos import DANGER, WARNING, MemberLink, Todo
from samverkan.domain.billing_frequency import Frequency, Span, billing_span
from samverkan.domain.invoicing_gaps import RunCount, count_drops, not_invoiced
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


# --- The start page and the member's page (core.todos)


def _run_counts(user: Any, since_year: int) -> list[tuple[InvoiceRun, RunCount | None]]:
    """The federation's recent runs with their invoice counts: one grouped query."""
    runs = runs_for(user).filter(issue_date__year__gte=since_year).select_related(None)
    result = []
    for run in runs.only("pk", "period", "timing", "status", "issue_date"):
        try:
            period = parse_period(run.period)
        except ValueError:
            result.append((run, None))
            continue
        result.append((run, RunCount(run.pk, period, Timing(run.timing), run.invoice_count)))
    return result


def todo_cards(user: Any) -> list[Todo]:
    """Periods not invoiced, runs waiting for approval or issue, a run that made fewer invoices than
    the one before it, manual lines waiting for someone to approve them."""
    if not has_capability(user, VIEW_RUNS):
        return []
    today = timezone.localdate()
    runs = _run_counts(user, today.year - 2)
    run_list = reverse("billing:run-list")
    cards = []
    federation = user.federation
    if federation is not None:
        issued = [(rc.period, rc.timing) for run, rc in runs if rc and run.status == RunStatus.ISSUED]
        for frequency, span in not_invoiced(frequencies_for(federation).in_use(), issued, today):
            cards.append(
                Todo(
                    _("Ej fakturerat: %(period)s") % {"period": span.label_sv()},
                    None,
                    DANGER,
                    run_list,
                    _("Perioden har slutat men ingen utfärdad körning har fakturerat det som faktureras %(f)s.")
                    % {"f": frequency.label_sv()},
                    order=10,
                )
            )
    for latest, previous in count_drops(rc for _run, rc in runs if rc):
        cards.append(
            Todo(
                _("Färre fakturor än förra körningen"),
                previous.invoices - latest.invoices,
                WARNING,
                reverse("billing:run-detail", args=[latest.key]),
                _("%(latest)s gav %(n)s fakturor, %(previous)s gav %(m)s. Saknas en medlem eller en pool?")
                % {"latest": latest.period, "n": latest.invoices, "previous": previous.period, "m": previous.invoices},
                order=20,
            )
        )
    waiting = [run for run, _rc in runs if run.status in (RunStatus.PREVIEW, RunStatus.APPROVED)]
    cards.append(
        Todo(
            _("Fakturakörningar att slutföra"),
            len(waiting),
            WARNING,
            reverse("billing:run-detail", args=[waiting[-1].pk]) if len(waiting) == 1 else run_list,
            _("Körningar som är förhandsgranskade eller godkända men inte utfärdade."),
            order=30,
        )
    )
    if has_capability(user, APPROVE_MANUAL_LINES):
        pending = scope(user, ManualLine.objects.filter(status=ManualLineStatus.PENDING), member=None, department=None)
        cards.append(
            Todo(
                _("Manuella rader att attestera"),
                pending.exclude(created_by=user).count(),
                WARNING,
                f"{reverse('billing:manual-lines')}?status={ManualLineStatus.PENDING}",
                _("Rader som en kollega har lagt in och som faktureras först när någon annan har attesterat dem."),
                order=40,
            )
        )
    return cards


def member_link_items(user: Any, member: Any) -> list[MemberLink]:
    if not has_capability(user, VIEW_INVOICES):
        return []
    count = invoices_for(user).filter(member=member, kind=DocumentKind.INVOICE).count()
    url = f"{reverse('billing:invoice-list')}?medlem={member.pk}"
    return [MemberLink(label=_("Fakturor"), count=count, url=url, order=10)]


# --- What Approve and Issue will do, named on the run's page before anyone confirms


@dataclass(frozen=True)
class RunOutcome:
    """Count and total of a run's drafts and the numbers Issue would give them (if nobody issues first)."""

    count: int
    total: Any
    first_number: str
    last_number: str


def run_outcome(run: InvoiceRun) -> RunOutcome:
    from samverkan.billing.models import NumberSeries

    drafts = run.invoices.filter(issued=False).aggregate(count=Count("id"), total=Sum("total"))
    series = profile_for(run.federation).invoice_series
    year = run.issue_date.year
    last = (
        NumberSeries.objects.filter(federation=run.federation, series=series, year=year)
        .values_list("last", flat=True)
        .first()
        or 0
    )
    count = drafts["count"]
    return RunOutcome(
        count=count,
        total=drafts["total"] or 0,
        first_number=f"{series}{year}-{last + 1:05d}",
        last_number=f"{series}{year}-{last + count:05d}",
    )


# --- The preview against the previous run of the same kind


@dataclass(frozen=True)
class MemberChange:
    member: str
    invoices: int
    net: Any
    vat: Any
    total: Any
    previous: Any  # None: the member was not in the previous run

    @property
    def change(self) -> Any:
        return None if self.previous is None else self.total - self.previous


@dataclass(frozen=True)
class RunComparison:
    """A run's members with totals, against the latest issued run of the federation with the same timing."""

    previous: InvoiceRun | None
    rows: list[MemberChange]
    count: int
    net: Any
    vat: Any
    total: Any
    previous_total: Any
    warnings: list[str]

    @property
    def change(self) -> Any:
        return self.total - self.previous_total


def previous_run(run: InvoiceRun) -> InvoiceRun | None:
    earlier = Q(issue_date__lt=run.issue_date) | Q(issue_date=run.issue_date, pk__lt=run.pk)
    return (
        InvoiceRun.objects.filter(earlier, federation=run.federation, timing=run.timing, status=RunStatus.ISSUED)
        .order_by("-issue_date", "-pk")
        .first()
    )


def run_comparison(run: InvoiceRun) -> RunComparison:
    """Totals per member of this run and the previous one (one grouped query), plus what looks wrong:
    members gone since the previous run, a membership-fee (allocation) line gone, a total changed by more
    than the federation's ``change_warning_percent``."""
    previous = previous_run(run)
    runs = [run.pk] if previous is None else [run.pk, previous.pk]
    sums = (
        Invoice.objects.filter(run_id__in=runs)
        .values("run_id", "member_id", "member__name")
        .annotate(invoices=Count("id"), net=Sum("net"), vat=Sum("vat"), total=Sum("total"))
        .order_by("member__name")
    )
    now = {s["member_id"]: s for s in sums if s["run_id"] == run.pk}
    before = {s["member_id"]: s for s in sums if s["run_id"] != run.pk}
    rows = [
        MemberChange(
            s["member__name"],
            s["invoices"],
            s["net"],
            s["vat"],
            s["total"],
            before[m]["total"] if m in before else None,
        )
        for m, s in now.items()
    ]
    zero = Decimal(0)
    total = sum((r.total for r in rows), zero)
    previous_total = sum((s["total"] for s in before.values()), zero)
    warnings: list[str] = []
    if previous is not None:
        for m, s in before.items():
            if m not in now:
                warnings.append(
                    _("%(member)s fanns med i förra körningen (%(run)s) men saknas i denna.")
                    % {"member": s["member__name"], "run": previous.period}
                )
        fees = set(
            InvoiceLine.objects.filter(run_id__in=runs, source_type=SourceType.ALLOCATION)
            .values_list("run_id", "member_id")
            .distinct()
        )
        for m, s in now.items():
            if (previous.pk, m) in fees and (run.pk, m) not in fees:
                warnings.append(
                    _("%(member)s har ingen rad för medlemsavgift, men hade det i förra körningen (%(run)s).")
                    % {"member": s["member__name"], "run": previous.period}
                )
        limit = profile_for(run.federation).change_warning_percent
        if previous_total and abs(total - previous_total) * 100 > limit * abs(previous_total):
            warnings.append(
                _("Summan skiljer sig med mer än %(limit)s %% från förra körningen (%(run)s).")
                % {"limit": limit, "run": previous.period}
            )
    return RunComparison(
        previous=previous,
        rows=rows,
        count=sum(r.invoices for r in rows),
        net=sum((r.net for r in rows), zero),
        vat=sum((r.vat for r in rows), zero),
        total=total,
        previous_total=previous_total,
        warnings=warnings,
    )
