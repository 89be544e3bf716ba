"""Every invoice of an issued run as a PDF, in one ZIP, made by a background job (core.jobs).

Rendering is WeasyPrint per invoice (the same PDF as the invoice's own download), so a run of
thousands of invoices takes minutes: the run's page starts the job and follows its progress per
invoice; the API answers 202; `samverkan billing pdf-batch RUN -o F.zip` runs it here with a
progress bar. The ZIP is written beside the other job files (core.job_uploads, private storage,
never served without the access check) under a random name the job's parameters hold, and
becomes visible only when complete; the download view finds it through the job, so who may
follow the job may fetch the ZIP. A ZIP can always be made again from the issued invoices.
"""

from __future__ import annotations

import secrets
import shutil
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.billing import selectors
from samverkan.billing.exporters import adapters
from samverkan.billing.models import InvoiceRun, RunStatus
from samverkan.billing.policies import VIEW_RUNS
from samverkan.core import job_uploads, jobs
from samverkan.core.models import Job, JobStatus
from samverkan.core.permissions import require
from samverkan.core.selectors import jobs_for

KIND = "billing.pdf_batch"


def _issued_run(acting_user, federation, pk: int) -> InvoiceRun:
    require(acting_user, VIEW_RUNS, federation=federation)
    run = selectors.runs_for(acting_user).filter(pk=pk, federation=federation).first()
    if run is None:
        raise ValidationError(_("Körningen finns inte."))
    if run.status != RunStatus.ISSUED:
        raise ValidationError(_("Bara en utfärdad körnings fakturor kan hämtas som PDF."))
    return run


@jobs.job_kind(KIND, capability=VIEW_RUNS)
def pdf_batch(*, acting_user, federation, progress, run: int, output: str) -> jobs.JobResult:
    """Render every invoice of ``run`` into the ZIP named ``output`` (a token of :func:`start`)."""
    found = _issued_run(acting_user, federation, run)
    invoices = list(found.invoices.filter(issued=True).select_related("member", "federation").order_by("number"))
    total = len(invoices)
    progress(0, total, "")
    # stored, not deflated: PDFs are compressed already
    with (
        job_uploads.writing(job_uploads.path_of(output)) as temporary,
        zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as archive,
    ):
        for done, invoice in enumerate(invoices, start=1):
            download = adapters.invoice_pdf_download(invoice)
            archive.writestr(download.filename, download.data)
            progress(done, total, _("Faktura %(number)s") % {"number": invoice.number})
    return jobs.JobResult(
        message=_("%(count)s fakturor som PDF i en ZIP-fil.") % {"count": total},
        url=reverse("billing:run-pdf-batch-file", args=[found.pk, output.removesuffix(".zip")]),
        link_text=_("Hämta ZIP-filen"),
    )


def start(*, acting_user, run: InvoiceRun, origin_url: str = "") -> Job:
    """Check what can be checked at once (ValidationError), then queue the ZIP (page and API)."""
    _issued_run(acting_user, run.federation, run.pk)
    return jobs.start(
        KIND,
        acting_user=acting_user,
        federation=run.federation,
        label=_("Fakturorna i %(run)s som PDF") % {"run": run},
        origin_url=origin_url,
        run=run.pk,
        output=new_output(),
    )


def run_here_into(*, acting_user, run_pk: int, target: Path, progress=None) -> jobs.JobResult:
    """The command line: the same job in this process, its ZIP moved to ``target``."""
    run = InvoiceRun.objects.filter(pk=run_pk).first()
    if run is None:
        raise ValidationError(_("Körningen finns inte."))
    output = new_output()
    _job, result = jobs.run_here(
        KIND,
        acting_user=acting_user,
        federation=run.federation,
        label=_("Fakturorna i %(run)s som PDF") % {"run": run},
        progress=progress,
        run=run.pk,
        output=output,
    )
    shutil.move(job_uploads.path_of(output), target)
    return result


def new_output() -> str:
    return f"{secrets.token_hex(16)}.zip"


def finished_file(user, run: InvoiceRun, token: str):
    """The ZIP of a finished batch of ``run`` that ``user`` may follow, or None."""
    output = f"{token}.zip"
    job = jobs_for(user).filter(kind=KIND, status=JobStatus.DONE, params__run=run.pk, params__output=output).first()
    if job is None:
        return None
    path = job_uploads.path_of(output)
    return path if path.is_file() else None
