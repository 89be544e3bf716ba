"""Invoice runs: gather → preview → approve → issue; credit notes; gapless numbers.

* ``invoice_run_create`` gathers every billable line (``gather.py``), groups them into one
  draft invoice per member — per member and invoice reference where the member wants that,
  and outside-scope (O) lines on their own invoice (EN 16931 BR-O-11) — and computes totals
  with ``domain.invoice_math`` (VAT per category on the category sum).
* ``invoice_run_issue`` numbers the invoices from a locked ``NumberSeries`` row. Numbers are
  given only at issue, in a deterministic order, so a discarded preview leaves no gap and two
  concurrent issues queue on the lock instead of sharing numbers.
* ``check_run_dates`` refuses a period that is not due (in arrears: not ended; in advance:
  further ahead than the federation's ``advance_days``) and invoice dates too far ahead;
  ``reserve_numbers`` never gives a later number an earlier invoice date.
* Issued invoices are never changed; ``credit_note_create`` makes a new document (381) that
  references the original and credits some or all of its lines, each line at most once.

Runs of one federation are serialised by locking its ``BillingProfile`` row.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.billing import gather, selectors, sql
from samverkan.billing.lines import as_domain_line, credit_key, credit_line
from samverkan.billing.models import (
    BilledTimeEntry,
    BillingProfile,
    DocumentKind,
    FrequencyRule,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    ManualLine,
    ManualLineStatus,
    MemberBillingSetting,
    NumberSeries,
    RunStatus,
)
from samverkan.billing.peppol import verdicts
from samverkan.billing.peppol.issuing import require_peppol_valid
from samverkan.billing.policies import (
    APPROVE_MANUAL_LINES,
    APPROVE_RUN,
    CREATE_RUN,
    CREDIT_INVOICE,
    ISSUE_INVOICE,
    MANAGE_MANUAL_LINES,
    MANAGE_SETTINGS,
)
from samverkan.core.audit import audit_record, snapshot
from samverkan.core.jobs import Progress, no_progress
from samverkan.core.permissions import require, require_same_federation
from samverkan.core.services import model_create, model_delete, model_update
from samverkan.domain.invoice_math import CreditQuantityError, UnknownLineError, credit_lines, invoice_totals
from samverkan.domain.periods import Period, ProrataRule, Timing, parse_period
from samverkan.domain.periods import issue_date as default_issue_date
from samverkan.members.models import Federation


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _lock_federation(federation: Federation) -> BillingProfile:
    selectors.profile_for(federation)
    return BillingProfile.objects.select_for_update().get(federation=federation)


def _format_number(series: str, year: int, n: int) -> str:
    return f"{series}{year}-{n:05d}"


def reserve_numbers(federation: Federation, series: str, issue_date: date, count: int) -> int:
    """Reserve ``count`` consecutive numbers of a series for documents dated ``issue_date``; return the first.

    The series row (per series and year of ``issue_date``) is locked (``select_for_update``)
    until the caller's transaction ends, so concurrent issuers queue; as the numbers are used in
    the same transaction, a rollback gives them back and the series stays gapless. Dates follow
    the numbers: a date earlier than the last number's is refused.
    """
    year = issue_date.year
    NumberSeries.objects.get_or_create(federation=federation, series=series, year=year)
    row = NumberSeries.objects.select_for_update().get(federation=federation, series=series, year=year)
    if row.last_date is not None and issue_date < row.last_date:
        raise ValidationError(
            {
                "issue_date": _(
                    "Fakturadatumet %(date)s är tidigare än %(last_date)s, fakturadatumet för %(number)s som "
                    "redan är utfärdad. Numren ges i datumordning: välj fakturadatum %(last_date)s eller senare."
                )
                % {"date": issue_date, "last_date": row.last_date, "number": _format_number(series, year, row.last)}
            }
        )
    first = row.last + 1
    row.last += count
    row.last_date = issue_date
    row.save(update_fields=["last", "last_date"])
    return first


def allocate_numbers(federation: Federation, series: str, issue_date: date, count: int) -> list[str]:
    first = reserve_numbers(federation, series, issue_date, count)
    return [_format_number(series, issue_date.year, n) for n in range(first, first + count)]


FIRST_YEAR = 1900  # the earliest year a run may bill (dates across Samverkan lie in 1900–2200)


def check_run_dates(*, profile: BillingProfile, period: Period, timing: Timing, issue_date: date | None) -> None:
    """Refuse a run that would issue invoices before their time (the same rule for page, API and CLI).

    Nothing before ``FIRST_YEAR``; in arrears a period is billed once it has ended; in advance at
    most ``advance_days`` before it starts; and no invoice date lies more than ``advance_days``
    ahead of today (the default dates, the day after the period or its first day, then always do).
    """
    today, ahead = timezone.localdate(), profile.advance_days
    values = {"period": period, "start": period.start, "end": period.end, "days": ahead, "first": FIRST_YEAR}
    if period.year < FIRST_YEAR:
        raise ValidationError({"period": _("Perioden %(period)s ligger före år %(first)s.") % values})
    if timing is Timing.ARREARS and period.end >= today:
        raise ValidationError(
            {
                "period": _(
                    "Perioden %(period)s har inte slutat (den slutar %(end)s). I efterskott faktureras en "
                    "period tidigast dagen efter att den har slutat."
                )
                % values
            }
        )
    if timing is Timing.ADVANCE and (period.start - today).days > ahead:
        raise ValidationError(
            {
                "period": _(
                    "Perioden %(period)s börjar %(start)s. I förskott faktureras en period högst %(days)s dagar "
                    "innan den börjar (faktureringsinställningarna)."
                )
                % values
            }
        )
    if issue_date is not None and issue_date.year < FIRST_YEAR:
        raise ValidationError(
            {"issue_date": _("Fakturadatumet %(date)s ligger före år %(first)s.") % {**values, "date": issue_date}}
        )
    if issue_date is not None and (issue_date - today).days > ahead:
        raise ValidationError(
            {
                "issue_date": _(
                    "Fakturadatumet %(date)s ligger mer än %(days)s dagar fram i tiden (faktureringsinställningarna)."
                )
                % {"date": issue_date, "days": ahead}
            }
        )


def invoice_run_check(
    *,
    acting_user: Any,
    federation: Federation,
    period: str,
    timing: str | None = None,
    prorata_rule: str = ProrataRule.DAYS,
    issue_date: date | None = None,
) -> None:
    """What ``invoice_run_create`` refuses before it gathers anything, checked before a page or the API
    queues the run (so the refusal is shown beside the form field, as before the run went to the background)."""
    require(acting_user, CREATE_RUN, federation=federation)
    profile = selectors.profile_for(federation)
    try:
        parsed = parse_period(period)
        timing_value = Timing(timing or profile.timing)
        ProrataRule(prorata_rule)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    check_run_dates(profile=profile, period=parsed, timing=timing_value, issue_date=issue_date)


@transaction.atomic
def invoice_run_create(
    *,
    acting_user: Any,
    federation: Federation,
    period: str,
    timing: str | None = None,
    prorata_rule: str = ProrataRule.DAYS,
    issue_date: date | None = None,
    sources: tuple[str, ...] = ("orders", "subscriptions", "hours", "allocations", "manual"),
    progress: Progress | None = None,
) -> InvoiceRun:
    require(acting_user, CREATE_RUN, federation=federation)
    progress = progress or no_progress
    profile = _lock_federation(federation)
    try:
        parsed = parse_period(period)
        timing_value, rule = Timing(timing or profile.timing), ProrataRule(prorata_rule)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    check_run_dates(profile=profile, period=parsed, timing=timing_value, issue_date=issue_date)
    issued_on = issue_date or default_issue_date(parsed, timing_value)
    run = InvoiceRun.objects.create(
        federation=federation,
        period=str(parsed),
        timing=timing_value,
        prorata_rule=rule,
        issue_date=issued_on,
        due_date=issued_on + timedelta(days=profile.payment_days),
        created_by=acting_user,
    )
    frequencies = selectors.frequencies_for(federation)
    exceptions = selectors.item_exceptions(federation, frequencies)
    due = gather.dues(parsed, timing_value, frequencies.in_use())
    counts: dict[str, int] = dict.fromkeys(sources, 0)
    warnings: list[str] = []
    progress(0, 3, _("Hämtar det som ska faktureras"))
    for frequency, window in due.items():  # each frequency for its own span of months
        items = gather.item_filter(frequency, frequencies, exceptions)
        if items is None:
            continue
        if "orders" in sources:
            billed, missing_prices = gather.gather_orders(run, window.cutoff, parsed, *items)
            counts["orders"] += billed
            unpriced = gather.unpriced_orders(run, window.cutoff, *items) if missing_prices else []
            if unpriced:
                warnings.append(_("Levererade beställningar utan giltigt pris: %(n)s") % {"n": ", ".join(unpriced)})
        if "subscriptions" in sources:
            billed, more = gather.gather_subscriptions(run, window.span, rule, *items)
            counts["subscriptions"] += billed
            warnings += more
    if "hours" in sources:
        counts["hours"], more = gather.gather_hours(run, due, frequencies)
        warnings += more
    allocation_due = due.get(frequencies.for_activity(profile.allocation_activity))
    if "allocations" in sources and allocation_due is not None:
        counts["allocations"] = gather.gather_allocations(
            run, allocation_due.span, profile.allocation_account, profile.allocation_activity
        )
    if "manual" in sources:
        counts["manual"] = gather.gather_manual(run, due, frequencies, timing_value)
    progress(1, 3, _("Delar upp raderna på fakturor"))
    invoices = group_into_invoices(run, round_to_krona=profile.round_to_krona)
    progress(2, 3, _("Sparar förhandsgranskningen"))
    run.note = "\n".join(warnings)
    run.save(update_fields=["note"])
    audit_record(
        actor=acting_user,
        action="run_create",
        instance=run,
        after={"period": run.period, "lines": counts, "invoices": invoices, "warnings": warnings[:20]},
    )
    return run


def group_into_invoices(run: InvoiceRun, *, round_to_krona: bool = False) -> int:
    """Give every loose line of the run an invoice, then total them; returns the run's invoice count."""
    sql.group_loose_lines(run, parse_period(run.period))
    sql.update_totals(run.pk, round_to_krona=round_to_krona)  # every draft's totals and period in one UPDATE
    return Invoice.objects.filter(run=run).count()


@transaction.atomic
def invoice_run_discard(*, acting_user: Any, run: InvoiceRun) -> None:
    """Throw a preview away; its lines become billable again in the next run."""
    require(acting_user, CREATE_RUN, obj=run)
    locked = InvoiceRun.objects.select_for_update().get(pk=run.pk)
    _require(locked.status != RunStatus.ISSUED, _("En utfärdad körning kan inte tas bort; kreditera i stället."))
    before = snapshot(locked)
    BilledTimeEntry.objects.filter(line__run=locked).delete()  # the time becomes billable again
    InvoiceLine.objects.filter(run=locked).delete()
    Invoice.objects.filter(run=locked).delete()
    audit_record(actor=acting_user, action="run_discard", instance=locked, before=before)
    locked.delete()


@transaction.atomic
def invoice_run_approve(*, acting_user: Any, run: InvoiceRun) -> InvoiceRun:
    require(acting_user, APPROVE_RUN, obj=run)
    locked = InvoiceRun.objects.select_for_update().get(pk=run.pk)
    _require(locked.status == RunStatus.PREVIEW, _("Körningen är redan godkänd."))
    _require(locked.invoices.exists(), _("Körningen har inga fakturor."))
    before = snapshot(locked)
    locked.status = RunStatus.APPROVED
    locked.approved_by = acting_user
    locked.save(update_fields=["status", "approved_by"])
    audit_record(actor=acting_user, action="run_approve", instance=locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def invoice_run_validate(*, acting_user: Any, run: InvoiceRun, progress: Progress | None = None) -> tuple[int, int]:
    """Check every draft of the run against the Peppol/EN 16931 rules and keep the verdicts (the background
    job after a preview; ``peppol.verdicts``); returns (valid, invalid). Issue then only looks them up."""
    require(acting_user, CREATE_RUN, obj=run)
    locked = InvoiceRun.objects.select_for_update().get(pk=run.pk)
    _require(locked.status != RunStatus.ISSUED, _("Körningen är redan utfärdad."))
    profile = selectors.profile_for(locked.federation)
    drafts = Invoice.objects.filter(run=locked, issued=False).select_related("member", "federation", "run")
    placeholder = _format_number(profile.invoice_series, locked.issue_date.year, 0)
    valid, invalid = verdicts.check_drafts(drafts.order_by("pk"), placeholder=placeholder, progress=progress)
    audit_record(actor=acting_user, action="run_validate", instance=locked, after={"valid": valid, "invalid": invalid})
    return valid, invalid


def require_second_person(*, profile: BillingProfile, run: InvoiceRun, issuer: Any) -> None:
    """Four eyes (``BillingProfile.four_eyes``): the one who approved a run may not also issue it.
    A guard, not a service (it writes nothing): Issue calls it, and the run's page before queuing the job."""
    _require(
        not (profile.four_eyes and run.approved_by_id == issuer.pk),
        _("Godkänna och utfärda kräver två olika personer: någon annan än den som godkände måste utfärda körningen."),
    )


@transaction.atomic
def invoice_run_issue(*, acting_user: Any, run: InvoiceRun, progress: Progress | None = None) -> InvoiceRun:
    """Number and issue every invoice of an approved run; after this nothing in it changes.

    Each draft must pass the Peppol rules: by the verdict the background check left (if what the
    draft is made of has not changed since), else checked here (``peppol.verdicts.require_issuable``)."""
    require(acting_user, ISSUE_INVOICE, obj=run)
    progress = progress or no_progress
    profile = _lock_federation(run.federation)
    locked = InvoiceRun.objects.select_for_update().get(pk=run.pk)
    _require(locked.status == RunStatus.APPROVED, _("Körningen måste godkännas innan den utfärdas."))
    require_second_person(profile=profile, run=locked, issuer=acting_user)
    count = Invoice.objects.filter(run=locked, issued=False).count()
    year = locked.issue_date.year
    first = reserve_numbers(locked.federation, profile.invoice_series, locked.issue_date, count)
    numbered = sql.number_invoices(
        locked.pk, prefix=f"{profile.invoice_series}{year}-", first=first, series=profile.invoice_series
    )
    _require(numbered == count, _("Fakturorna ändrades under utfärdandet; försök igen."))
    progress(1, 2, _("Fakturorna är numrerade; kontrollerar e-fakturorna"))
    verdicts.require_issuable(locked.invoices.select_related("member", "federation"))
    numbers = [_format_number(profile.invoice_series, year, n) for n in (first, first + count - 1)] if count else []
    before = snapshot(locked)
    locked.status, locked.issued_at = RunStatus.ISSUED, timezone.now()
    locked.save(update_fields=["status", "issued_at"])
    progress(2, 2, _("%(n)s fakturor utfärdade") % {"n": count})
    audit_record(
        actor=acting_user,
        action="run_issue",
        instance=locked,
        before=before,
        after={**(snapshot(locked) or {}), "invoices": count, "numbers": numbers},
    )
    return locked


@transaction.atomic
def invoice_run_execute(
    *,
    acting_user: Any,
    federation: Federation,
    period: str,
    approve: bool = False,
    progress: Progress | None = None,
    **options: Any,
) -> InvoiceRun:
    """CLI convenience: create the preview, check its drafts and, if asked, approve and issue it, in one
    transaction (a refused step, e.g. an invoice date before the series' last one, leaves no run behind)."""
    progress = progress or no_progress
    run = invoice_run_create(acting_user=acting_user, federation=federation, period=period, **options)
    if run.invoices.exists():
        invoice_run_validate(acting_user=acting_user, run=run, progress=progress)
    if approve and run.invoices.exists():
        run = invoice_run_approve(acting_user=acting_user, run=run)
        run = invoice_run_issue(acting_user=acting_user, run=run)
    return run


@transaction.atomic
def credit_note_create(
    *,
    acting_user: Any,
    invoice: Invoice,
    quantities: dict[int, Decimal] | None = None,
    reason: str = "",
    issue_date: date | None = None,
) -> Invoice:
    """Credit all lines of an issued invoice, or ``{line id: quantity}`` of some; issued at once.

    Every original line can be credited once (``credit:<line id>`` is a unique source key),
    so the credited total can never exceed what was invoiced.
    """
    require(acting_user, CREDIT_INVOICE, obj=invoice)
    profile = _lock_federation(invoice.federation)
    original = Invoice.objects.get(pk=invoice.pk)
    _require(original.issued and original.kind == DocumentKind.INVOICE, _("Bara utfärdade fakturor kan krediteras."))
    lines = {line.pk: line for line in original.lines.order_by("pk")}
    try:
        credited = credit_lines({pk: as_domain_line(line) for pk, line in lines.items()}, quantities=quantities)
    except UnknownLineError:
        raise ValidationError(_("Raden finns inte på fakturan.")) from None
    except CreditQuantityError:
        raise ValidationError(_("Krediterat antal måste vara större än noll och högst det fakturerade.")) from None
    _require(bool(credited), _("Välj minst en rad att kreditera."))
    already = InvoiceLine.objects.filter(source_key__in=[credit_key(pk) for pk in credited])
    _require(not already.exists(), _("Raden är redan krediterad."))
    issued_on = issue_date or timezone.localdate()
    [number] = allocate_numbers(original.federation, profile.credit_series, issued_on, 1)
    note = Invoice.objects.create(
        federation=original.federation,
        kind=DocumentKind.CREDIT_NOTE,
        member=original.member,
        invoice_reference=original.invoice_reference,
        order_reference=original.order_reference,
        vat_scope=original.vat_scope,
        series=profile.credit_series,
        number=number,
        issued=False,
        issue_date=issued_on,
        due_date=issued_on,
        period_start=original.period_start,
        period_end=original.period_end,
        credits=original,
        note=reason,
    )
    InvoiceLine.objects.bulk_create([credit_line(lines[pk], credit, invoice=note) for pk, credit in credited.items()])
    totals = invoice_totals(credited.values(), round_to_krona=profile.round_to_krona)
    note.net, note.vat, note.rounding, note.total = (
        totals.line_extension,
        totals.tax_total,
        totals.rounding,
        totals.payable,
    )
    note.issued = True
    note.save()
    require_peppol_valid([note])
    audit_record(actor=acting_user, action="credit", instance=note, after=snapshot(note))
    return note


@transaction.atomic
def member_billing_setting_update(
    *, acting_user: Any, member: Any, per_reference: bool, buyer_reference: str = ""
) -> MemberBillingSetting:
    require(acting_user, MANAGE_SETTINGS, obj=member)
    setting, _created = MemberBillingSetting.objects.get_or_create(member=member)
    before = snapshot(setting)
    setting.per_reference, setting.buyer_reference = per_reference, buyer_reference
    setting.save()
    audit_record(actor=acting_user, action="update", instance=setting, before=before, after=snapshot(setting))
    return setting


@transaction.atomic
def billing_profile_update(*, acting_user: Any, federation: Federation, data: dict[str, Any]) -> BillingProfile:
    require(acting_user, MANAGE_SETTINGS, federation=federation)
    return model_update(instance=selectors.profile_for(federation), acting_user=acting_user, data=data)[0]


# --- Invoicing frequency per service or activity


@transaction.atomic
def frequency_rule_set(
    *, acting_user: Any, federation: Federation, frequency: str, item: Any = None, activity: str = ""
) -> FrequencyRule:
    """How often a service (catalogue item) or an activity is invoiced; setting it again changes it."""
    require(acting_user, MANAGE_SETTINGS, federation=federation)
    activity = (activity or "").strip()
    _require((item is None) != (not activity), _("Ange antingen en tjänst eller en verksamhet."))
    require_same_federation(acting_user, federation=federation, item=item)
    _lock_federation(federation)
    existing = FrequencyRule.objects.filter(federation=federation, item=item, activity=activity).first()
    if existing is not None:
        return model_update(instance=existing, acting_user=acting_user, data={"frequency": frequency})[0]
    return model_create(
        model=FrequencyRule, acting_user=acting_user, federation=federation, item=item, activity=activity,
        frequency=frequency,
    )  # fmt: skip


@transaction.atomic
def frequency_rule_delete(*, acting_user: Any, rule: FrequencyRule) -> None:
    """The service or activity is invoiced at the default frequency again."""
    require(acting_user, MANAGE_SETTINGS, obj=rule)
    _lock_federation(rule.federation)
    model_delete(instance=rule, acting_user=acting_user)


# --- Manual invoice lines: entered → approved by someone else → billed by the next run of their period


@transaction.atomic
def manual_line_create(
    *,
    acting_user: Any,
    federation: Federation,
    member: Any,
    description: str,
    quantity: Decimal,
    unit_price: Decimal,
    vat_code: str,
    revenue_account: str,
    period: str,
    activity: str = "",
    department: Any = None,
) -> ManualLine:
    require(acting_user, MANAGE_MANUAL_LINES, federation=federation)
    require_same_federation(acting_user, federation=federation, member=member, department=department)
    if department is not None:
        _require(department.member_id == member.pk, _("Förvaltningen hör inte till medlemmen."))
    try:
        parsed = parse_period(period)
    except ValueError:
        raise ValidationError({"period": _("Ange en period som 2025-Q1, 2025-T1, 2025-03 eller 2025.")}) from None
    _require(quantity != 0, _("Antalet får inte vara noll."))
    return model_create(
        model=ManualLine,
        acting_user=acting_user,
        federation=federation,
        member=member,
        department=department,
        description=description,
        quantity=quantity,
        unit_price=unit_price,
        vat_code=vat_code,
        revenue_account=revenue_account,
        activity=activity,
        period=str(parsed),
        period_start=parsed.start,
        period_end=parsed.end,
        created_by=acting_user,
    )


def _locked_manual_line(line: ManualLine) -> ManualLine:
    _lock_federation(line.federation)  # serialised with the runs that pick manual lines up
    return ManualLine.objects.select_for_update().get(pk=line.pk)


def _billed(line: ManualLine) -> bool:
    return InvoiceLine.objects.filter(source_type="manual", source_id=line.pk).exists()


@transaction.atomic
def manual_line_approve(*, acting_user: Any, line: ManualLine) -> ManualLine:
    """Four eyes: the approver must be someone other than the one who entered the line."""
    require(acting_user, APPROVE_MANUAL_LINES, obj=line)
    locked = _locked_manual_line(line)
    _require(locked.status == ManualLineStatus.PENDING, _("Bara rader som väntar på attest kan attesteras."))
    _require(
        locked.created_by_id != acting_user.pk,
        _("Du har själv lagt in raden; en annan person måste attestera den (fyraögonsprincipen)."),
    )
    before = snapshot(locked)
    locked.status, locked.approved_by, locked.approved_at = ManualLineStatus.APPROVED, acting_user, timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(actor=acting_user, action="approve", instance=locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def manual_line_withdraw(*, acting_user: Any, line: ManualLine) -> ManualLine:
    """Only before a run has picked the line up (a preview: discard it first; issued: credit it)."""
    require(acting_user, MANAGE_MANUAL_LINES, obj=line)
    locked = _locked_manual_line(line)
    _require(locked.status != ManualLineStatus.WITHDRAWN, _("Raden är redan återkallad."))
    _require(
        not _billed(locked),
        _("Raden ingår redan i en fakturakörning. Ta bort förhandsgranskningen eller kreditera fakturan."),
    )
    before = snapshot(locked)
    locked.status = ManualLineStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    audit_record(actor=acting_user, action="withdraw", instance=locked, before=before, after=snapshot(locked))
    return locked
