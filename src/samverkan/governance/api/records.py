"""API of records management (admin only, /api/v1/governance/records/…): the plan's rules, a
disposal run (dry run by default), the disposal log, personal data report and erasure."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core.params import query_params
from samverkan.governance.models import DisposalLog, RetentionRule
from samverkan.governance.policies import MANAGE_RECORDS
from samverkan.governance.selectors import records as selectors
from samverkan.governance.services import records as services


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionRule
        fields = ["id", "record_type", "keep_years", "dispose", "legal_basis"]
        read_only_fields = ["id", "record_type"]


class RuleList(APIView):
    """The document management plan (the default plan is installed on first use)."""

    capability = MANAGE_RECORDS

    @extend_schema(responses=RuleSerializer(many=True))
    def get(self, request):
        rules = services.retention_plan(acting_user=request.user, federation=request.user.federation)
        return Response(RuleSerializer(rules, many=True).data)


class RuleDetail(generics.RetrieveAPIView):
    """PATCH keep_years, dispose, legal_basis; refused against the law (invoices, minutes)."""

    serializer_class = RuleSerializer
    capability = MANAGE_RECORDS

    def get_queryset(self):
        return selectors.rules_for(self.request.user)

    @extend_schema(request=RuleSerializer, responses=RuleSerializer)
    def patch(self, request, pk: int):
        rule = self.get_object()
        payload = RuleSerializer(rule, data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = {
            "keep_years": rule.keep_years,
            "dispose": rule.dispose,
            "legal_basis": rule.legal_basis,
            **payload.validated_data,
        }
        rule = services.rule_update(acting_user=request.user, rule=rule, **data)
        return Response(RuleSerializer(rule).data)


class DisposeRequest(serializers.Serializer):
    dry_run = serializers.BooleanField(default=True)


class Dispose(APIView):
    """Dispose of what the plan says is due today; `dry_run` (default true) only counts."""

    capability = MANAGE_RECORDS

    @extend_schema(request=DisposeRequest, responses=OpenApiResponse(description="Antal per handlingstyp"))
    def post(self, request):
        payload = DisposeRequest(data=request.data)
        payload.is_valid(raise_exception=True)
        result = services.records_dispose(
            acting_user=request.user,
            federation=request.user.federation,
            today=timezone.localdate(),
            dry_run=payload.validated_data["dry_run"],
        )
        return Response(result.as_dict())


class DisposalLogSerializer(serializers.ModelSerializer):
    run_by = serializers.CharField(source="run_by.username", read_only=True)

    class Meta:
        model = DisposalLog
        fields = ["id", "record_type", "cutoff", "count", "details", "run_at", "run_by"]
        read_only_fields = fields


class DisposalLogList(generics.ListAPIView):
    serializer_class = DisposalLogSerializer
    capability = MANAGE_RECORDS

    def get_queryset(self):
        return selectors.disposal_logs_for(self.request.user)


class PersonQuery(serializers.Serializer):
    query = serializers.CharField(max_length=200, required=False, default="")


class PersonalData(APIView):
    """Everything stored about one person (?query=name, e-mail, phone or username)."""

    capability = MANAGE_RECORDS

    @extend_schema(parameters=[PersonQuery], responses=OpenApiResponse(description="Registerutdrag"))
    def get(self, request):
        params = query_params(PersonQuery, request)
        if not params["query"]:
            return Response({"query": "", "sections": []})
        report = services.personal_data_report(
            acting_user=request.user, federation=request.user.federation, query=params["query"]
        )
        return Response(report.as_dict())


class EraseRequest(serializers.Serializer):
    query = serializers.CharField(max_length=200)
    mode = serializers.ChoiceField(choices=[services.EraseMode.PSEUDONYMISE, services.EraseMode.ERASE])


class PersonalDataErase(APIView):
    """Pseudonymise or erase a person in tickets, comments and contacts; says what was left and why."""

    capability = MANAGE_RECORDS

    @extend_schema(request=EraseRequest, responses=OpenApiResponse(description="Vad som ändrades och lämnades"))
    def post(self, request):
        payload = EraseRequest(data=request.data)
        payload.is_valid(raise_exception=True)
        result = services.personal_data_erase(
            acting_user=request.user,
            federation=request.user.federation,
            person=payload.validated_data["query"],
            mode=payload.validated_data["mode"],
        )
        return Response(result.as_dict())


urlpatterns = [
    path("records/rules/", RuleList.as_view(), name="records-rules"),
    path("records/rules/<int:pk>/", RuleDetail.as_view(), name="records-rule"),
    path("records/dispose/", Dispose.as_view(), name="records-dispose"),
    path("records/disposals/", DisposalLogList.as_view(), name="records-disposals"),
    path("records/personal-data/", PersonalData.as_view(), name="personal-data"),
    path("records/personal-data/erase/", PersonalDataErase.as_view(), name="personal-data-erase"),
]
