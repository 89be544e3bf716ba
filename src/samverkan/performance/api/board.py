"""API of performance: the board's start page as data (/api/v1/performance/board/) and the
Kolada comparison (/api/v1/performance/kolada/; POST fetches a key figure for the members)."""

from __future__ import annotations

from datetime import date

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core.params import query_params, year_field
from samverkan.members.selectors import federation_for
from samverkan.performance.importers import kolada
from samverkan.performance.policies import EDIT_GOALS, VIEW_PERFORMANCE
from samverkan.performance.selectors import board as selectors


def _federation(request):
    if request.user.federation_id is None:
        raise NotFound
    return federation_for(request.user)


def _number(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=18, decimal_places=4, read_only=True, allow_null=True, **kwargs)


class PerformanceBoardQuery(serializers.Serializer):
    year = year_field(required=False)


class PerformanceBoardPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = _number()


class PerformanceBoardCardSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator.pk")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    value = _number()
    target_direction = serializers.CharField(source="target.direction", default=None)
    target_value = _number(source="target.value", default=None)
    history = serializers.SerializerMethodField()
    sparkline = serializers.CharField(source="line.path")
    met = serializers.BooleanField(allow_null=True)

    @extend_schema(responses=PerformanceBoardPointSerializer(many=True))
    def get_history(self, card) -> list:
        return [{"year": y, "value": v} for y, v in card.history]


class PerformanceBoardFollowupRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    budget = _number()
    outcome = _number()
    forecast = _number()
    level = serializers.IntegerField()


class PerformanceBoardFollowupSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    period = serializers.CharField(source="period_code")
    rows = PerformanceBoardFollowupRowSerializer(many=True)


class PerformanceBoardMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    body = serializers.CharField(source="body.name")
    date = serializers.DateField()


class PerformanceBoardMinutesSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    body = serializers.CharField(source="meeting.body.name")
    date = serializers.DateField(source="meeting.date")
    adjusted_at = serializers.DateTimeField(source="locked_at")


class PerformanceBoardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    cards = PerformanceBoardCardSerializer(many=True)
    followup = PerformanceBoardFollowupSerializer(allow_null=True)
    meetings = PerformanceBoardMeetingSerializer(many=True)
    minutes = PerformanceBoardMinutesSerializer(many=True)


class BoardView(APIView):
    """The board's start page: indicator cards, the latest follow-up, meetings and minutes."""

    serializer_class = PerformanceBoardSerializer
    capability = VIEW_PERFORMANCE

    @extend_schema(parameters=[PerformanceBoardQuery], responses=PerformanceBoardSerializer)
    def get(self, request):
        params = query_params(PerformanceBoardQuery, request)
        federation = _federation(request)
        data = selectors.board(request.user, federation, today=date.today(), year=params.get("year"))
        return Response(PerformanceBoardSerializer(data).data)


class PerformanceKoladaRowSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="label")
    municipality_id = serializers.CharField()
    value = _number()


class PerformanceKoladaTableSerializer(serializers.Serializer):
    kpi = serializers.CharField()
    year = serializers.IntegerField()
    title = serializers.CharField(help_text="Nyckeltalets namn i Kolada (tomt om det inte hämtats).")
    fetched_at = serializers.DateTimeField()
    rows = PerformanceKoladaRowSerializer(many=True)


class PerformanceKoladaFetchSerializer(serializers.Serializer):
    kpi = serializers.RegexField(r"^[A-Za-z][0-9]{5}$", max_length=6)
    year = year_field()


class KoladaView(APIView):
    """GET: the stored Kolada figures per key figure and year; POST {kpi, year}: fetch anew
    (a failed fetch answers 400 with the reason and keeps the old figures)."""

    serializer_class = PerformanceKoladaTableSerializer
    read_capability = VIEW_PERFORMANCE
    write_capability = EDIT_GOALS

    @extend_schema(responses=PerformanceKoladaTableSerializer(many=True))
    def get(self, request):
        tables = selectors.kolada_tables(request.user, _federation(request))
        return Response(PerformanceKoladaTableSerializer(tables, many=True).data)

    @extend_schema(
        request=PerformanceKoladaFetchSerializer, responses={201: PerformanceKoladaTableSerializer(many=True)}
    )
    def post(self, request):
        payload = PerformanceKoladaFetchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        federation = _federation(request)
        kolada.refresh(
            acting_user=request.user,
            federation=federation,
            kpi=payload.validated_data["kpi"].upper(),
            year=payload.validated_data["year"],
        )
        tables = selectors.kolada_tables(request.user, federation)
        return Response(PerformanceKoladaTableSerializer(tables, many=True).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("board/", BoardView.as_view(), name="board"),
    path("kolada/", KoladaView.as_view(), name="kolada"),
]
