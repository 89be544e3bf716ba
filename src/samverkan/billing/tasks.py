"""Billing work that runs in the background (core.jobs): creating a preview, checking its drafts
against the Peppol rules, issuing a run; and the command line's create-check-issue in one go.

Each function runs inside the job's one transaction and calls the same service as before, which
checks the starter's capability again; a refusal rolls everything back and is shown on the job.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.billing import (
    pdf_batch,  # noqa: F401  (declares the job kind billing.pdf_batch)
    selectors,
    services,
    usecases,
)
from samverkan.billing.models import InvoiceRun
from samverkan.billing.policies import VIEW_RUNS
from samverkan.core import jobs


def _run(acting_user, federation, pk: int) -> InvoiceRun:
    run = selectors.runs_for(acting_user).filter(pk=pk, federation=federation).first()
    if run is None:
        raise ValidationError(_("Körningen finns inte längre (den kan ha tagits bort)."))
    return run


def _detail(run: InvoiceRun) -> str:
    return reverse("billing:run-detail", args=[run.pk])


@jobs.job_kind("billing.run_create", capability=VIEW_RUNS)
def run_create(*, acting_user, federation, progress, period, timing=None, prorata_rule="days", issue_date=None):
    run = services.invoice_run_create(
        acting_user=acting_user,
        federation=federation,
        period=period,
        timing=timing,
        prorata_rule=prorata_rule,
        issue_date=date.fromisoformat(issue_date) if issue_date else None,
        progress=progress,
    )
    count = run.invoices.count()
    if count:  # queued in this transaction: it starts only if the preview is kept
        usecases.start_run_validation(acting_user=acting_user, run=run)
    return jobs.JobResult(
        message=_("Förhandsgranskningen är klar: %(n)s fakturor. E-fakturorna kontrolleras nu.") % {"n": count}
        if count
        else _("Förhandsgranskningen är klar, men det fanns inget att fakturera."),
        url=_detail(run),
        link_text=_("Till förhandsgranskningen"),
    )


@jobs.job_kind("billing.run_validate", capability=VIEW_RUNS)
def run_validate(*, acting_user, federation, progress, run):
    found = _run(acting_user, federation, run)
    valid, invalid = services.invoice_run_validate(acting_user=acting_user, run=found, progress=progress)
    message = (
        _("Alla %(n)s fakturor är giltiga e-fakturor.") % {"n": valid}
        if not invalid
        else _("%(invalid)s av %(n)s fakturor bryter mot reglerna för e-fakturor; se körningen.")
        % {"invalid": invalid, "n": valid + invalid}
    )
    return jobs.JobResult(message=message, url=_detail(found), link_text=_("Till körningen"))


@jobs.job_kind("billing.run_issue", capability=VIEW_RUNS)
def run_issue(*, acting_user, federation, progress, run):
    found = services.invoice_run_issue(acting_user=acting_user, run=_run(acting_user, federation, run),
                                       progress=progress)  # fmt: skip
    return jobs.JobResult(
        message=_("Fakturorna är utfärdade och numrerade."), url=_detail(found), link_text=_("Till körningen")
    )


@jobs.job_kind("billing.run_execute", capability=VIEW_RUNS)
def run_execute(*, acting_user, federation, progress, period, approve=False, timing=None, prorata_rule="days"):
    run = services.invoice_run_execute(
        acting_user=acting_user,
        federation=federation,
        period=period,
        approve=approve,
        timing=timing,
        prorata_rule=prorata_rule,
        progress=progress,
    )
    return jobs.JobResult(message=run.display_name, url=_detail(run), link_text=_("Till körningen"), value=run.pk)
