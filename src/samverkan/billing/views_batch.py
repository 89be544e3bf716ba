"""Pages of the PDF batch (billing.pdf_batch): start the ZIP of an issued run's invoices, and fetch it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from samverkan.billing import pdf_batch, selectors
from samverkan.billing.policies import VIEW_RUNS
from samverkan.core import jobs
from samverkan.core.forms import add_error_messages
from samverkan.core.permissions import capability_required


@require_POST
@capability_required(VIEW_RUNS)
def run_pdf_batch(request, pk: int):
    """Start the ZIP and follow it on the job's page (which links back to the run)."""
    run = selectors.run_get(request.user, pk)
    detail = reverse("billing:run-detail", args=[run.pk])
    try:
        job = pdf_batch.start(acting_user=request.user, run=run, origin_url=detail)
    except ValidationError as exc:
        add_error_messages(request, exc)
        return redirect(detail)
    return redirect(jobs.page_url(job))


@capability_required(VIEW_RUNS)
def run_pdf_batch_file(request, pk: int, token: str):
    run = selectors.run_get(request.user, pk)
    path = pdf_batch.finished_file(request.user, run, token)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"fakturor-{run.period}-{run.pk}.zip")
