"""API of performance: the yearly customer survey (and the staff survey's NMI).

GET  /api/v1/performance/survey/?year=2023 → NKI per area for three years, per question, NMI.
POST /api/v1/performance/survey/results/ {area, year, question, value, respondents} sets one figure."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core.params import NumberField, query_params, year_field
from samverkan.performance.policies import EDIT_GOALS, VIEW_PERFORMANCE
from samverkan.performance.selectors import survey as selectors
from samverkan.performance.services.staff import survey_result_set


class PerformanceSurveyQuerySerializer(serializers.Serializer):
    year = year_field()


class PerformanceSurveyResultSerializer(serializers.Serializer):
    area = serializers.CharField(max_length=200)
    year = year_field()
    question = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    value = NumberField(max_digits=6, decimal_places=2, min_value=0, max_value=100)
    respondents = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, allow_null=True)


class PerformanceSurveyView(APIView):
    capability = VIEW_PERFORMANCE
    serializer_class = PerformanceSurveyQuerySerializer

    @extend_schema(parameters=[PerformanceSurveyQuerySerializer], responses=dict)
    def get(self, request):
        year = query_params(PerformanceSurveyQuerySerializer, request)["year"]
        fed = request.user.federation_id
        table = selectors.nki_table(request.user, fed, year)
        return Response(
            {
                "label": "Kundundersökning (nyckelpersoner i medlemskommunerna)",
                **table,
                "nmi": selectors.nmi(request.user, fed, year),
            }
        )


class PerformanceSurveyResultView(APIView):
    capability = EDIT_GOALS
    serializer_class = PerformanceSurveyResultSerializer

    @extend_schema(request=PerformanceSurveyResultSerializer, responses={201: PerformanceSurveyResultSerializer})
    def post(self, request):
        serializer = PerformanceSurveyResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = survey_result_set(
            acting_user=request.user,
            federation=request.user.federation,
            area=data["area"],
            year=data["year"],
            question=data.get("question", ""),
            value=data["value"],
            respondents=data.get("respondents"),
        )
        out = {
            "area": result.area.name,
            "year": result.year,
            "question": result.question,
            "value": str(result.value),
            "respondents": result.respondents,
        }
        return Response(out, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("survey/", PerformanceSurveyView.as_view(), name="survey"),
    path("survey/results/", PerformanceSurveyResultView.as_view(), name="survey_result"),
]
