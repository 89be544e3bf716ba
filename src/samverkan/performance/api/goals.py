"""API of performance: goal areas, goals, indicators, targets, hand-entered values and
assessments; `goals/?year=` lists the year's goals in the shape of `samverkan goals --format json`."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from samverkan.core.params import NumberField, query_params, year_field
from samverkan.core.scoping import ScopedSerializer
from samverkan.performance.models import (
    Assessment,
    Goal,
    GoalArea,
    Indicator,
    ManualValue,
    Target,
)
from samverkan.performance.policies import EDIT_GOALS, VIEW_PERFORMANCE
from samverkan.performance.selectors import goals as selectors
from samverkan.performance.services import goals as services


class PerformanceGoalAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoalArea
        fields = ["id", "name", "position"]
        validators = []  # the service checks the name is unique (a Swedish 400)


class PerformanceGoalSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"area": selectors.areas_for}
    first_year = year_field()
    last_year = year_field()

    class Meta:
        model = Goal
        fields = ["id", "area", "text", "first_year", "last_year", "position"]


class PerformanceIndicatorSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"goal": selectors.goals_for}

    class Meta:
        model = Indicator
        fields = ["id", "goal", "name", "unit", "source", "parameters", "position"]


class PerformanceTargetSerializer(serializers.ModelSerializer):
    year = year_field()
    value = NumberField(max_digits=14, decimal_places=4, required=False, allow_null=True)

    class Meta:
        model = Target
        fields = ["id", "year", "direction", "value"]
        read_only_fields = ["id"]
        validators = []


class PerformanceManualValueSerializer(serializers.ModelSerializer):
    year = year_field()
    value = NumberField(max_digits=14, decimal_places=4)

    class Meta:
        model = ManualValue
        fields = ["id", "year", "value", "source"]
        read_only_fields = ["id"]
        validators = []


class PerformanceAssessmentSerializer(serializers.ModelSerializer):
    year = year_field()

    class Meta:
        model = Assessment
        fields = ["id", "goal", "year", "proposed", "fulfilment", "comment", "values", "assessed_at"]
        read_only_fields = ["id", "goal", "proposed", "values", "assessed_at"]
        validators = []


class PerformanceGoalYearQuerySerializer(serializers.Serializer):
    year = year_field(required=False, help_text="År: listar årets mål med indikatorer och bedömning.")


class _Crud(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = VIEW_PERFORMANCE
    write_capability = EDIT_GOALS


class GoalAreaViewSet(_Crud):
    serializer_class = PerformanceGoalAreaSerializer

    def get_queryset(self):
        return selectors.areas_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.area_create(
            acting_user=self.request.user, federation=self.request.user.federation, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.area_update(
            acting_user=self.request.user, area=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance):
        services.area_delete(acting_user=self.request.user, area=instance)


class GoalViewSet(_Crud):
    serializer_class = PerformanceGoalSerializer

    def get_queryset(self):
        return selectors.goals_for(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="År: årets mål i formen {area, goal, indicators, assessment}")
        ],
        responses=PerformanceGoalSerializer(many=True),
    )
    def list(self, request, *args, **kwargs):
        params = query_params(PerformanceGoalYearQuerySerializer, request)
        if params.get("year") is None:
            return super().list(request, *args, **kwargs)
        blocks = selectors.goal_table(request.user, year=params["year"])
        return Response([g.as_dict() for b in blocks for g in b.goals])

    def perform_create(self, serializer):
        serializer.instance = services.goal_create(acting_user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.goal_update(
            acting_user=self.request.user, goal=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance):
        services.goal_delete(acting_user=self.request.user, goal=instance)

    @extend_schema(request=PerformanceAssessmentSerializer, responses=PerformanceAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        """Set the goal's assessment for a year; the current indicator values are stored with it."""
        body = PerformanceAssessmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = services.assessment_set(acting_user=request.user, goal=self.get_object(), **body.validated_data)
        return Response(PerformanceAssessmentSerializer(assessment).data)


class IndicatorViewSet(_Crud):
    serializer_class = PerformanceIndicatorSerializer

    def get_queryset(self):
        return selectors.indicators_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.indicator_create(acting_user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("goal", None)  # an indicator does not move to another goal
        serializer.instance = services.indicator_update(
            acting_user=self.request.user, indicator=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.indicator_delete(acting_user=self.request.user, indicator=instance)

    @extend_schema(request=PerformanceTargetSerializer, responses=PerformanceTargetSerializer)
    @action(detail=True, methods=["post"])
    def target(self, request, pk=None):
        """Set the indicator's target for a year (direction and value)."""
        body = PerformanceTargetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        target = services.target_set(acting_user=request.user, indicator=self.get_object(), **body.validated_data)
        return Response(PerformanceTargetSerializer(target).data)

    @extend_schema(request=PerformanceManualValueSerializer, responses=PerformanceManualValueSerializer)
    @action(detail=True, methods=["post"])
    def value(self, request, pk=None):
        """Enter a manual indicator's value for a year with its source (the document: on the page)."""
        body = PerformanceManualValueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.manual_value_set(acting_user=request.user, indicator=self.get_object(), **body.validated_data)
        return Response(PerformanceManualValueSerializer(row).data)


router = SimpleRouter()
router.register("goal-areas", GoalAreaViewSet, basename="goal-area")
router.register("goals", GoalViewSet, basename="goal")
router.register("indicators", IndicatorViewSet, basename="indicator")
urlpatterns = router.urls
