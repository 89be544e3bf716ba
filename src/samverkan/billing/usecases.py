"""Billing use cases reached from the pages, the API, the CLI and the demo alike."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.billing import services
from samverkan.billing.exporters import adapters, sie
from samverkan.billing.models import Invoice, InvoiceLine, InvoiceRun
from samverkan.billing.peppol import verdicts
from samverkan.core import jobs
from samverkan.core.models import Job
from samverkan.core.selectors import jobs_for
from samverkan.domain.invoice_math import VatCode, invoice_totals, vat_code


@dataclass(frozen=True)
class Reconciliation:
    invoices_total: Decimal
    lines_total: Decimal
    sie_receivable: Decimal
    vouchers_balanced: bool

    @property
    def balanced(self) -> bool:
        return self.vouchers_balanced and self.invoices_total == self.lines_total == self.sie_receivable

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "balanced": self.balanced}


def run_reconciliation(run: InvoiceRun) -> Reconciliation:
    """Three independent sums that must agree: stored invoice totals, totals recomputed from the
    lines with ``invoice_math``, and the receivable debits of the run's SIE file read back from its bytes."""
    invoices_total = run.invoices.aggregate(s=Sum("total"))["s"] or Decimal("0.00")
    per_invoice: dict[int, list[tuple[Decimal, VatCode]]] = defaultdict(list)
    for invoice_id, net, code in InvoiceLine.objects.filter(invoice__run=run).values_list(
        "invoice_id", "net", "vat_code"
    ):
        per_invoice[invoice_id].append((net, vat_code(code)))
    rounding = {i.pk: i.rounding != 0 for i in run.invoices.only("pk", "rounding")}
    lines_total = sum(
        (invoice_totals(pairs, round_to_krona=rounding.get(pk, False)).payable for pk, pairs in per_invoice.items()),
        Decimal("0.00"),
    )
    parsed = sie.read(adapters.sie_bytes_for_run(run))
    account = adapters.account_mapping(run.federation).receivable
    receivable = sum(
        (t.amount for v in parsed.vouchers for t in v.transactions if t.account == account), Decimal("0.00")
    )
    return Reconciliation(invoices_total, lines_total, receivable, all(v.balance == 0 for v in parsed.vouchers))


def start_run_validation(*, acting_user: Any, run: InvoiceRun) -> Job:
    """Queue the Peppol check of a preview's drafts (billing.tasks.run_validate), followed on the run's page."""
    return jobs.start(
        "billing.run_validate",
        acting_user=acting_user,
        federation=run.federation,
        label=_("Kontroll av e-fakturorna, %(run)s") % {"run": run.display_name},
        origin_url=reverse("billing:run-detail", args=[run.pk]),
        run=run.pk,
    )


RUN_JOB_KINDS = ("billing.run_validate", "billing.run_issue")


def run_jobs(*, user: Any, run: InvoiceRun) -> list[Job]:
    """The latest check and the latest issue job of a run that the user may follow (for its page)."""
    latest: dict[str, Job] = {}
    for job in jobs_for(user).filter(kind__in=RUN_JOB_KINDS, params__run=run.pk).order_by("-created_at", "-id"):
        latest.setdefault(job.kind, job)
    return sorted(latest.values(), key=lambda job: job.created_at)


def start_run_create(*, acting_user: Any, federation: Any, origin_url: str = "", **options: Any) -> Job:
    """Check what can be checked at once (ValidationError as before), then queue the preview
    (billing.tasks.run_create; the check of its drafts follows by itself)."""
    services.invoice_run_check(acting_user=acting_user, federation=federation, **options)
    issue_date = options.get("issue_date")
    return jobs.start(
        "billing.run_create",
        acting_user=acting_user,
        federation=federation,
        label=_("Fakturakörning %(period)s") % {"period": options["period"]},
        origin_url=origin_url,
        **{**options, "issue_date": issue_date.isoformat() if issue_date else None},
    )


def start_run_issue(*, acting_user: Any, run: InvoiceRun) -> Job:
    """Queue the issue of an approved run (billing.tasks.run_issue), followed on the run's page."""
    return jobs.start(
        "billing.run_issue",
        acting_user=acting_user,
        federation=run.federation,
        label=_("Utfärdande, %(run)s") % {"run": run.display_name},
        origin_url=reverse("billing:run-detail", args=[run.pk]),
        run=run.pk,
    )


@dataclass(frozen=True)
class RunVerdicts:
    """Where the drafts of a run stand with the Peppol rules (billing.peppol.verdicts)."""

    valid: int
    invalid: list[Invoice]
    unchecked: int


def run_verdicts(run: InvoiceRun) -> RunVerdicts:
    groups = verdicts.standing(run.invoices.filter(issued=False).select_related("member"))
    return RunVerdicts(groups.valid, groups.invalid, len(groups.unchecked))
