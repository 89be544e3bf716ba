"""API of finance: budgets, forecasts, investment projects and appropriations, the account
mapping and the settings (/api/v1/finance/…). Amounts are decimal strings in kronor: budget
lines with the ledger's sign (income negative), forecasts with the report's sign."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core.api_errors import PayloadTooLarge
from samverkan.core.params import NumberField, query_params, year_field
from samverkan.core.scoping import ScopedSerializer
from samverkan.domain.ledger_lines import MAPPING_LINES, MappingRange
from samverkan.finance.importers.budget_xlsx import MAX_BYTES
from samverkan.finance.lines import line_label
from samverkan.finance.models import (
    Appropriation,
    Budget,
    BudgetKind,
    FinanceSettings,
    Forecast,
    InvestmentProject,
)
from samverkan.finance.policies import EDIT_BUDGET, EDIT_MAPPING, VIEW_LEDGER, VIEW_REPORTS
from samverkan.finance.selectors import budgets as selectors
from samverkan.finance.selectors import mapping as mapping_selectors
from samverkan.finance.services import budgets as services
from samverkan.finance.services import mapping as mapping_services
from samverkan.finance.services.budgets import FORECAST_LINES


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=15, decimal_places=2, read_only=True, **kwargs)


def _federation(request):
    federation = request.user.federation
    if federation is None:
        raise NotFound
    return federation


# ---- budgets --------------------------------------------------------------------------------


class BudgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Budget
        fields = ["id", "year", "name", "kind", "source", "created_at"]
        read_only_fields = fields


class BudgetLineSerializer(serializers.Serializer):
    activity = serializers.CharField()
    account = serializers.CharField()
    months = serializers.ListField(child=serializers.DecimalField(max_digits=15, decimal_places=2))
    year = serializers.DecimalField(max_digits=15, decimal_places=2, source="year_total")


class BudgetDetailSerializer(BudgetSerializer):
    lines = serializers.SerializerMethodField()

    class Meta(BudgetSerializer.Meta):
        fields = [*BudgetSerializer.Meta.fields, "lines"]
        read_only_fields = fields

    @extend_schema(responses=BudgetLineSerializer(many=True))
    def get_lines(self, budget) -> list:
        return BudgetLineSerializer(selectors.budget_rows(budget), many=True).data


def _upload(upload):
    if upload.size > MAX_BYTES:
        raise PayloadTooLarge(
            _("Filen är för stor (%(size)s); högst %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)}
        )
    return upload


class BudgetImportSerializer(serializers.Serializer):
    year = year_field()
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=BudgetKind.choices, default=BudgetKind.ADOPTED)
    file = serializers.FileField(help_text="Budgetmallen (XLSX), högst 5 MB och 50 000 rader.")

    def validate_file(self, upload):
        return _upload(upload)


class BudgetList(generics.ListAPIView):
    """Budget versions; POST (multipart) imports the XLSX template as version `name` of `year`,
    replacing a version of that name."""

    serializer_class = BudgetSerializer
    read_capability = VIEW_REPORTS
    write_capability = EDIT_BUDGET
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return selectors.budgets(self.request.user)

    @extend_schema(request={"multipart/form-data": BudgetImportSerializer}, responses={201: BudgetDetailSerializer})
    def post(self, request):
        payload = BudgetImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        budget = services.budget_import_xlsx(
            acting_user=request.user,
            federation=_federation(request),
            year=data["year"],
            name=data["name"],
            kind=data["kind"],
            data=data["file"].read(),
            source_name=data["file"].name,
        )
        return Response(BudgetDetailSerializer(budget).data, status=status.HTTP_201_CREATED)


class BudgetDetail(generics.RetrieveDestroyAPIView):
    serializer_class = BudgetDetailSerializer
    read_capability = VIEW_REPORTS
    write_capability = EDIT_BUDGET

    def get_queryset(self):
        return selectors.budgets(self.request.user)

    def perform_destroy(self, instance):
        services.budget_delete(acting_user=self.request.user, budget=instance)


class BudgetCopySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=BudgetKind.choices, default=BudgetKind.REVISED)


class BudgetCopy(APIView):
    capability = EDIT_BUDGET

    @extend_schema(request=BudgetCopySerializer, responses={201: BudgetSerializer})
    def post(self, request, pk: int):
        budget = get_object_or_404(selectors.budgets(request.user), pk=pk)
        payload = BudgetCopySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        copy = services.budget_copy(acting_user=request.user, budget=budget, **payload.validated_data)
        return Response(BudgetSerializer(copy).data, status=status.HTTP_201_CREATED)


# ---- forecasts ------------------------------------------------------------------------------


class ForecastSerializer(serializers.ModelSerializer):
    amount = _money()

    class Meta:
        model = Forecast
        fields = ["id", "year", "as_of_month", "activity", "line", "amount", "comment", "updated_at"]
        read_only_fields = fields


class ForecastQuery(serializers.Serializer):
    year = year_field(required=False)
    as_of_month = serializers.IntegerField(min_value=1, max_value=12, required=False)


class ForecastWrite(serializers.Serializer):
    year = year_field()
    as_of_month = serializers.IntegerField(min_value=1, max_value=12)
    activity = serializers.CharField(max_length=40)
    line = serializers.ChoiceField(choices=FORECAST_LINES, default="", allow_blank=True)
    amount = NumberField(max_digits=15, decimal_places=2, allow_null=True)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ForecastList(generics.ListAPIView):
    """Forecasts (filter `year`, `as_of_month`); POST sets one (amount null removes it)."""

    serializer_class = ForecastSerializer
    read_capability = VIEW_REPORTS
    write_capability = EDIT_BUDGET

    def get_queryset(self):
        params = query_params(ForecastQuery, self.request)
        qs = selectors.forecasts(self.request.user)
        if "year" in params:
            qs = qs.filter(year=params["year"])
        if "as_of_month" in params:
            qs = qs.filter(as_of_month=params["as_of_month"])
        return qs.order_by("-year", "as_of_month", "activity", "line")

    @extend_schema(parameters=[ForecastQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ForecastWrite, responses={200: ForecastSerializer, 204: None})
    def post(self, request):
        payload = ForecastWrite(data=request.data)
        payload.is_valid(raise_exception=True)
        forecast = services.forecast_set(
            acting_user=request.user, federation=_federation(request), **payload.validated_data
        )
        if forecast is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(ForecastSerializer(forecast).data)


# ---- projects and appropriations ------------------------------------------------------------


class AppropriationSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"project": selectors.projects}
    budget = NumberField(max_digits=15, decimal_places=2, required=False, default=0)
    extra_granted = NumberField(max_digits=15, decimal_places=2, required=False, default=0)
    carried_over = NumberField(max_digits=15, decimal_places=2, required=False, default=0)
    forecast = NumberField(max_digits=15, decimal_places=2, required=False, allow_null=True, default=None)
    total = serializers.SerializerMethodField()
    year = year_field()

    class Meta:
        model = Appropriation
        fields = ["id", "project", "year", "budget", "extra_granted", "carried_over", "total", "forecast", "comment"]
        read_only_fields = ["id", "total"]
        validators: list = []  # (project, year) is set, not refused: POST replaces the year's row

    def get_total(self, appropriation) -> str:
        return f"{appropriation.budget + appropriation.extra_granted + appropriation.carried_over:.2f}"


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvestmentProject
        fields = ["id", "code", "name", "depreciation_years"]
        validators: list = []  # the service names a duplicate code in Swedish


class ProjectList(generics.ListCreateAPIView):
    serializer_class = ProjectSerializer
    read_capability = VIEW_REPORTS
    write_capability = EDIT_BUDGET

    def get_queryset(self):
        return selectors.projects(self.request.user).order_by("code")

    def perform_create(self, serializer):
        serializer.instance = services.project_create(
            acting_user=self.request.user, federation=_federation(self.request), **serializer.validated_data
        )


class ProjectDetail(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ProjectSerializer
    read_capability = VIEW_REPORTS
    write_capability = EDIT_BUDGET

    def get_queryset(self):
        return selectors.projects(self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.project_update(
            acting_user=self.request.user, project=self.get_object(), data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.project_delete(acting_user=self.request.user, project=instance)


class AppropriationQuery(serializers.Serializer):
    year = year_field(required=False)


class AppropriationList(generics.ListCreateAPIView):
    """Appropriations (filter `year`); POST sets a project's appropriation for a year."""

    serializer_class = AppropriationSerializer
    read_capability = VIEW_REPORTS
    write_capability = EDIT_BUDGET

    def get_queryset(self):
        params = query_params(AppropriationQuery, self.request)
        qs = selectors.appropriations(self.request.user)
        if "year" in params:
            qs = qs.filter(year=params["year"])
        return qs.order_by("-year", "project__code")

    @extend_schema(parameters=[AppropriationQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.appropriation_set(acting_user=self.request.user, **serializer.validated_data)


class AppropriationDetail(generics.RetrieveDestroyAPIView):
    serializer_class = AppropriationSerializer
    read_capability = VIEW_REPORTS
    write_capability = EDIT_BUDGET

    def get_queryset(self):
        return selectors.appropriations(self.request.user)

    def perform_destroy(self, instance):
        services.appropriation_delete(acting_user=self.request.user, appropriation=instance)


# ---- mapping and settings -------------------------------------------------------------------


class RangeSerializer(serializers.Serializer):
    first = serializers.RegexField(r"^[0-9]{1,20}$", error_messages={"invalid": "Bara siffror, högst 20."})
    last = serializers.RegexField(r"^[0-9]{1,20}$", error_messages={"invalid": "Bara siffror, högst 20."})
    line = serializers.ChoiceField(choices=list(MAPPING_LINES))
    label = serializers.SerializerMethodField()

    def get_label(self, rng) -> str:
        return line_label(rng.line if isinstance(rng, MappingRange) else rng["line"])


class MappingSerializer(serializers.Serializer):
    own = serializers.BooleanField(read_only=True, help_text="false: the shipped Kommun-Bas default is in use")
    ranges = RangeSerializer(many=True, max_length=mapping_services.MAX_RANGES)


class MappingView(APIView):
    """GET the ranges in use; PUT replaces the federation's whole mapping."""

    read_capability = VIEW_LEDGER
    write_capability = EDIT_MAPPING

    def _answer(self, federation) -> Response:
        return Response(
            MappingSerializer(
                {
                    "own": mapping_selectors.has_own_mapping(federation),
                    "ranges": mapping_selectors.mapping_ranges(federation),
                }
            ).data
        )

    @extend_schema(responses=MappingSerializer)
    def get(self, request):
        return self._answer(_federation(request))

    @extend_schema(request=MappingSerializer, responses=MappingSerializer)
    def put(self, request):
        federation = _federation(request)
        payload = MappingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        ranges = [MappingRange(r["first"], r["last"], r["line"]) for r in payload.validated_data["ranges"]]
        mapping_services.mapping_set(acting_user=request.user, federation=federation, ranges=ranges)
        return self._answer(federation)


class MappingDefault(APIView):
    """Copy the shipped Kommun-Bas mapping to the federation (replacing its own)."""

    capability = EDIT_MAPPING

    @extend_schema(request=None, responses=MappingSerializer)
    def post(self, request):
        federation = _federation(request)
        mapping_services.install_default_mapping(acting_user=request.user, federation=federation)
        return MappingView()._answer(federation)


class SettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = FinanceSettings
        fields = list(mapping_services.SETTINGS_FIELDS)


class SettingsView(APIView):
    read_capability = VIEW_LEDGER
    write_capability = EDIT_MAPPING

    @extend_schema(responses=SettingsSerializer)
    def get(self, request):
        return Response(SettingsSerializer(mapping_selectors.finance_settings(_federation(request))).data)

    @extend_schema(request=SettingsSerializer, responses=SettingsSerializer)
    def patch(self, request):
        federation = _federation(request)
        payload = SettingsSerializer(mapping_selectors.finance_settings(federation), data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        saved = mapping_services.settings_update(
            acting_user=request.user, federation=federation, data=dict(payload.validated_data)
        )
        return Response(SettingsSerializer(saved).data)


urlpatterns = [
    path("budgets/", BudgetList.as_view(), name="budget-list"),
    path("budgets/<int:pk>/", BudgetDetail.as_view(), name="budget-detail"),
    path("budgets/<int:pk>/copy/", BudgetCopy.as_view(), name="budget-copy"),
    path("forecasts/", ForecastList.as_view(), name="forecast-list"),
    path("projects/", ProjectList.as_view(), name="project-list"),
    path("projects/<int:pk>/", ProjectDetail.as_view(), name="project-detail"),
    path("appropriations/", AppropriationList.as_view(), name="appropriation-list"),
    path("appropriations/<int:pk>/", AppropriationDetail.as_view(), name="appropriation-detail"),
    path("mapping/", MappingView.as_view(), name="mapping"),
    path("mapping/default/", MappingDefault.as_view(), name="mapping-default"),
    path("settings/", SettingsView.as_view(), name="settings"),
]
