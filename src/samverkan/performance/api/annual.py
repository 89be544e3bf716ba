"""API of the annual report (/api/v1/performance/annual-reports/…): list and create, the
assembled document as JSON (texts with their fields filled, figures, tables), section edits,
adoption and publication."""

from __future__ import annotations

from decimal import Decimal

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core.params import year_field
from samverkan.performance.models import AnnualReport, NarrativeSection
from samverkan.performance.policies import EDIT_ANNUAL_REPORT, VIEW_PUBLISHED
from samverkan.performance.selectors import annual as selectors
from samverkan.performance.services import annual as services


class AnnualSectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = NarrativeSection
        fields = ["id", "key", "title", "text", "position"]
        read_only_fields = ["id", "key", "position"]


class AnnualReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualReport
        fields = ["id", "year", "adopted_on", "published"]
        read_only_fields = fields


class AnnualReportCreateSerializer(serializers.Serializer):
    year = year_field()


class AnnualSectionUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    text = serializers.CharField(allow_blank=True, max_length=100_000)


class AnnualAdoptSerializer(serializers.Serializer):
    adopted_on = serializers.DateField()


class AnnualPublishSerializer(serializers.Serializer):
    published = serializers.BooleanField(default=True)


class AnnualDocumentSerializer(serializers.Serializer):
    """The assembled report (documented shape; built by `_document`)."""

    id = serializers.IntegerField()
    year = serializers.IntegerField()
    title = serializers.CharField()
    adopted_on = serializers.DateField(allow_null=True)
    published = serializers.BooleanField()
    figures = serializers.DictField(child=serializers.CharField())
    parts = serializers.ListField(child=serializers.DictField())
    signatures = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _table(table) -> dict:
    return {
        "title": table.title,
        "columns": list(table.columns),
        "unit": str(table.unit),
        "rows": [{"key": r.key, "label": r.label, "values": [_amount(v) for v in r.values]} for r in table.rows],
    }


def _part(part: selectors.Part) -> dict:
    data: dict = {"key": part.key, "title": part.title, "kind": part.kind}
    if part.kind == "text":
        data["section_id"] = part.section.pk if part.section else None
        data["paragraphs"] = part.paragraphs
        data["error"] = part.error
    elif part.kind == "organisation":
        data["bodies"] = [
            {
                "name": entry["body"].name,
                "seats": [
                    {"name": s.person_name, "kind": s.kind, "office": s.office, "party": s.party}
                    for s in entry["seats"]
                ],
            }
            for entry in part.rows
        ]
    elif part.kind == "goals":
        data["summary"] = part.summary
        data["goals"] = [goal.as_dict() for block in part.rows for goal in block.goals]
    elif part.kind == "staff":
        data["staff"] = part.staff  # the staff API's tables: suppressed groups are null
        data["nmi"] = part.nmi
    else:
        data["tables"] = [_table(t) for t in part.tables]
    return data


def _document(document: selectors.Document) -> dict:
    report = document.report
    return {
        "id": report.pk,
        "year": report.year,
        "title": document.title,
        "adopted_on": report.adopted_on.isoformat() if report.adopted_on else None,
        "published": report.published,
        "figures": {name: figure.text() for name, figure in document.figures.items()},
        "parts": [_part(p) for p in document.parts],
        "signatures": [s.person_name for s in document.signatures],
        "warnings": document.warnings,
    }


class AnnualReportList(APIView):
    """The annual reports the user may read; POST {year} creates one with the default sections."""

    read_capability = VIEW_PUBLISHED
    write_capability = EDIT_ANNUAL_REPORT
    serializer_class = AnnualReportSerializer

    @extend_schema(responses=AnnualReportSerializer(many=True))
    def get(self, request):
        return Response(AnnualReportSerializer(selectors.reports_for(request.user), many=True).data)

    @extend_schema(request=AnnualReportCreateSerializer, responses={201: AnnualReportSerializer})
    def post(self, request):
        serializer = AnnualReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_create(
            acting_user=request.user, federation=request.user.federation, **serializer.validated_data
        )
        return Response(AnnualReportSerializer(report).data, status=status.HTTP_201_CREATED)


class AnnualReportDetail(APIView):
    """The assembled report: texts with figures filled, organisation, goals, staff, finance."""

    capability = VIEW_PUBLISHED
    serializer_class = AnnualDocumentSerializer

    @extend_schema(responses=AnnualDocumentSerializer)
    def get(self, request, pk: int):
        report = selectors.report_get(request.user, pk)
        return Response(_document(selectors.assemble(request.user, report)))


class AnnualSectionDetail(APIView):
    read_capability = VIEW_PUBLISHED
    write_capability = EDIT_ANNUAL_REPORT
    serializer_class = AnnualSectionSerializer

    @extend_schema(responses=AnnualSectionSerializer)
    def get(self, request, pk: int, section_pk: int):
        report = selectors.report_get(request.user, pk)
        return Response(AnnualSectionSerializer(selectors.section_get(request.user, report, section_pk)).data)

    @extend_schema(request=AnnualSectionUpdateSerializer, responses=AnnualSectionSerializer)
    def patch(self, request, pk: int, section_pk: int):
        report = selectors.report_get(request.user, pk)
        section = selectors.section_get(request.user, report, section_pk)
        serializer = AnnualSectionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        section = services.section_update(acting_user=request.user, section=section, **serializer.validated_data)
        return Response(AnnualSectionSerializer(section).data)


class AnnualReportAdopt(APIView):
    capability = EDIT_ANNUAL_REPORT
    serializer_class = AnnualAdoptSerializer

    @extend_schema(request=AnnualAdoptSerializer, responses=AnnualReportSerializer)
    def post(self, request, pk: int):
        report = selectors.report_get(request.user, pk)
        serializer = AnnualAdoptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.adopt(acting_user=request.user, report=report, **serializer.validated_data)
        return Response(AnnualReportSerializer(report).data)


class AnnualReportPublish(APIView):
    capability = EDIT_ANNUAL_REPORT
    serializer_class = AnnualPublishSerializer

    @extend_schema(request=AnnualPublishSerializer, responses=AnnualReportSerializer)
    def post(self, request, pk: int):
        report = selectors.report_get(request.user, pk)
        serializer = AnnualPublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.publish(acting_user=request.user, report=report, **serializer.validated_data)
        return Response(AnnualReportSerializer(report).data)


urlpatterns = [
    path("annual-reports/", AnnualReportList.as_view(), name="annual_report_list"),
    path("annual-reports/<int:pk>/", AnnualReportDetail.as_view(), name="annual_report_detail"),
    path(
        "annual-reports/<int:pk>/sections/<int:section_pk>/",
        AnnualSectionDetail.as_view(),
        name="annual_report_section",
    ),
    path("annual-reports/<int:pk>/adopt/", AnnualReportAdopt.as_view(), name="annual_report_adopt"),
    path("annual-reports/<int:pk>/publish/", AnnualReportPublish.as_view(), name="annual_report_publish"),
]
