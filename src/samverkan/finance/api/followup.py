"""API of the follow-up: GET /api/v1/finance/reports/<kind>/?year=2023&period=T1, kind one of
operating, followup, investments; the JSON of `FollowupReport.as_dict` (amounts as decimal
strings in kronor). A bad period is a 400, a year without a ledger a 404, another federation's
`?federation=` a 404."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core.params import query_params, year_field
from samverkan.finance.policies import VIEW_REPORTS
from samverkan.finance.usecases.followup import KINDS, followup_report
from samverkan.finance.usecases.statements import NoLedgerError
from samverkan.members.selectors import federation_for


class FollowupQuerySerializer(serializers.Serializer):
    year = year_field()
    period = serializers.CharField(default="Y", max_length=40, help_text="T1, T2, Y or YYYY-MM..YYYY-MM")
    budget = serializers.CharField(required=False, max_length=100, help_text="budget version (default: adopted)")
    federation = serializers.SlugField(required=False, help_text="federation slug (default: your own)")


class FollowupReportView(APIView):
    capability = VIEW_REPORTS

    @extend_schema(parameters=[FollowupQuerySerializer], responses=dict)
    def get(self, request, kind: str):
        if kind not in KINDS:
            raise Http404
        query = query_params(FollowupQuerySerializer, request)
        federation = federation_for(request.user, query.get("federation"))
        try:
            report = followup_report(  # a bad period (DomainError) answers 400
                user=request.user,
                federation=federation,
                kind=kind,
                year=query["year"],
                period=query["period"],
                budget=query.get("budget"),
            )
        except NoLedgerError as exc:
            raise exceptions.NotFound(str(exc)) from exc
        return Response(report.as_dict())


urlpatterns = [path("reports/<str:kind>/", FollowupReportView.as_view(), name="followup-report")]
