"""API of performance: staff statistics as aggregates (never an employment row).

GET /api/v1/performance/staff/?year=2023 → the tables of the annual report for the year and the
three before it; sick-leave figures of groups under five people are null."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core.params import query_params, year_field
from samverkan.performance.policies import VIEW_PERFORMANCE
from samverkan.performance.selectors import staff as selectors


class PerformanceStaffQuerySerializer(serializers.Serializer):
    year = year_field()


class PerformanceStaffReportView(APIView):
    capability = VIEW_PERFORMANCE
    serializer_class = PerformanceStaffQuerySerializer

    @extend_schema(parameters=[PerformanceStaffQuerySerializer], responses=dict)
    def get(self, request):
        params = query_params(PerformanceStaffQuerySerializer, request)
        return Response(selectors.staff_report(request.user, request.user.federation_id, params["year"]))


urlpatterns = [path("staff/", PerformanceStaffReportView.as_view(), name="staff")]
