"""API of the PDF batch (billing.pdf_batch): start the ZIP of an issued run's invoices (202 and the
job), and fetch the finished ZIP."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from samverkan.billing import pdf_batch, selectors
from samverkan.billing.policies import VIEW_RUNS
from samverkan.core import job_uploads
from samverkan.core.api import JobSerializer


class RunPdfBatchView(APIView):
    """POST: every invoice of the issued run as PDF in one ZIP, made in the background: 202 with the
    job (poll its `url`; when done, `result_url` is the page download; the API's is
    `GET …/runs/<id>/pdf-batch/<token>/` with the token from that URL). A run not issued: 400."""

    capability = VIEW_RUNS

    @extend_schema(request=None, responses={202: JobSerializer})
    def post(self, request, pk: int):
        run = selectors.run_get(request.user, pk)
        return job_uploads.accepted(pdf_batch.start(acting_user=request.user, run=run))


class RunPdfBatchFileView(APIView):
    """GET the finished ZIP of a PDF batch (404 until the job is done, or for a job one may not follow)."""

    capability = VIEW_RUNS

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, pk: int, token: str):
        run = selectors.run_get(request.user, pk)
        path = pdf_batch.finished_file(request.user, run, token)
        if path is None:
            raise NotFound
        return FileResponse(path.open("rb"), as_attachment=True, filename=f"fakturor-{run.period}-{run.pk}.zip")
