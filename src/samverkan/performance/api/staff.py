"""API of performance: staff statistics as aggregates (never an employment row).

GET /api/v1/performance/staff/?year=2023 → the tables of the annual report for the year and the
three before it; sick-leave figures of groups under five people are null.
POST /api/v1/performance/staff/import/ (multipart: year, file) → 202 and the background job
(`performance.tasks`, Location = the job's API URL) that imports the payroll export (CSV or XLSX)
all-or-nothing, replacing the year's earlier import. A bad line fails the job with the line named
in its `error` ("rad 7: årsarbetare: …") and nothing changes; a missing file, a bad year or a file
over the limit is a 400/413 at once."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core import job_uploads
from samverkan.core.api import JobSerializer
from samverkan.core.api_errors import PayloadTooLarge
from samverkan.core.params import query_params, year_field
from samverkan.performance.importers.staff import MAX_BYTES
from samverkan.performance.policies import IMPORT_STAFF, VIEW_PERFORMANCE
from samverkan.performance.selectors import staff as selectors
from samverkan.performance.tasks import start_staff


class PerformanceStaffQuerySerializer(serializers.Serializer):
    year = year_field()


class PerformanceStaffReportView(APIView):
    capability = VIEW_PERFORMANCE
    serializer_class = PerformanceStaffQuerySerializer

    @extend_schema(parameters=[PerformanceStaffQuerySerializer], responses=dict)
    def get(self, request):
        params = query_params(PerformanceStaffQuerySerializer, request)
        return Response(selectors.staff_report(request.user, request.user.federation_id, params["year"]))


class PerformanceStaffImportSerializer(serializers.Serializer):
    year = year_field()
    file = serializers.FileField(help_text="Lönesystemets export (CSV eller XLSX), en rad per anställning.")

    def validate_file(self, upload):
        if upload.size > MAX_BYTES:
            raise PayloadTooLarge(
                _("Filen är för stor (%(size)s); högst %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)}
            )
        return upload


class PerformanceStaffImportView(APIView):
    """Start the import of a year's payroll export; all-or-nothing, the job's error names the line."""

    capability = IMPORT_STAFF
    serializer_class = PerformanceStaffImportSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": PerformanceStaffImportSerializer},
        responses={202: JobSerializer},
    )
    def post(self, request):
        serializer = PerformanceStaffImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = start_staff(
            acting_user=request.user,
            upload=serializer.validated_data["file"],
            year=serializer.validated_data["year"],
        )
        return job_uploads.accepted(job)


urlpatterns = [
    path("staff/", PerformanceStaffReportView.as_view(), name="staff"),
    path("staff/import/", PerformanceStaffImportView.as_view(), name="staff_import"),
]
