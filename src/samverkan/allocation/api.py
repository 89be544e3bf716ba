"""REST API of the allocation module (/api/v1/allocation/…); querysets from scoped selectors."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.allocation import selectors, services, usecases
from samverkan.allocation.importers.key_csv import key_table_from_rows
from samverkan.allocation.models import (
    KEY_FIELDS,
    POOL_FIELDS,
    AllocationKey,
    AllocationLine,
    AllocationRun,
    CostPool,
    KeyKind,
    PoolKind,
    ProRata,
    RunKind,
    Unit,
)
from samverkan.allocation.policies import (
    APPROVE_RUN,
    CREATE_RUN,
    MANAGE_BUSINESS_CASES,
    MANAGE_POOLS,
    USE_CALCULATORS,
    VIEW_ALLOCATIONS,
    VIEW_MEMBER_COSTS,
)
from samverkan.core.params import NumberField, id_field, query_params
from samverkan.core.scoping import ScopedFilterSet
from samverkan.members.models import Member, Service
from samverkan.members.selectors import members_for


def _money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=15, decimal_places=2, read_only=True)


class KeyValueSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    member_name = serializers.CharField(source="member.name")
    value = _money()


class KeyComponentSerializer(serializers.Serializer):
    component = serializers.IntegerField(source="component_id")
    component_name = serializers.CharField(source="component.name")
    weight = serializers.DecimalField(max_digits=9, decimal_places=4)


class KeySerializer(serializers.ModelSerializer):
    values = KeyValueSerializer(many=True, read_only=True)
    components = KeyComponentSerializer(many=True, read_only=True)

    class Meta:
        model = AllocationKey
        fields = ["id", *KEY_FIELDS, "values", "components"]


class KeyValueWrite(serializers.Serializer):
    member = id_field()
    value = NumberField(max_digits=15, decimal_places=2, min_value=Decimal(0))


class KeyComponentWrite(serializers.Serializer):
    component = id_field()
    weight = NumberField(max_digits=9, decimal_places=4, min_value=Decimal(0))


class KeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=KeyKind.choices)
    reference_date = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    values = KeyValueWrite(many=True, required=False)
    components = KeyComponentWrite(many=True, required=False)


def _member_of(user, pk: int) -> Member:
    member = Member.objects.filter(federation=user.federation_id, pk=pk).first()
    if member is None:
        raise ValidationError({"values": [f"Medlem {pk} finns inte i förbundet."]})
    return member


class KeyList(generics.ListAPIView):
    serializer_class = KeySerializer
    read_capability = VIEW_ALLOCATIONS
    write_capability = MANAGE_POOLS

    def get_queryset(self):
        return selectors.keys_for(self.request.user).prefetch_related("values__member", "components__component")

    @extend_schema(request=KeyCreateSerializer, responses={201: KeySerializer})
    def post(self, request):
        """Create a key with its values (decided/fixed) or components (mix) in one go."""
        payload = KeyCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        user = request.user
        data["values"] = {_member_of(user, v["member"]): v["value"] for v in data.pop("values", [])}
        keys = selectors.keys_for(user)
        data["components"] = [
            (get_object_or_404(keys, pk=part["component"]), part["weight"]) for part in data.pop("components", [])
        ]
        key = services.key_create(acting_user=user, federation=user.federation, **data)
        return Response(KeySerializer(selectors.key_get(user, key.pk)).data, status=status.HTTP_201_CREATED)


class KeyDetail(generics.RetrieveAPIView):
    serializer_class = KeySerializer
    capability = VIEW_ALLOCATIONS

    def get_queryset(self):
        return selectors.keys_for(self.request.user).prefetch_related("values__member", "components__component")


class PoolSerializer(serializers.ModelSerializer):
    """Output; a pool is created through PoolCreateSerializer."""

    total = _money()

    class Meta:
        model = CostPool
        fields = ["id", *POOL_FIELDS]
        read_only_fields = fields


class PoolCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PoolKind.choices)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    total = NumberField(max_digits=15, decimal_places=2)
    key = id_field()
    comparison_key = id_field(required=False, allow_null=True)
    services = serializers.ListField(child=id_field(), required=False, default=list)
    unit = serializers.ChoiceField(choices=Unit.choices, default=Unit.KRONA)
    prorata = serializers.ChoiceField(choices=ProRata.choices, default=ProRata.NONE)
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["period_end"] < attrs["period_start"]:
            raise ValidationError({"period_end": ["Perioden slutar innan den börjar."]})
        return attrs


class PoolList(generics.ListAPIView):
    serializer_class = PoolSerializer
    read_capability = VIEW_ALLOCATIONS
    write_capability = MANAGE_POOLS

    def get_queryset(self):
        return selectors.pools_for(self.request.user)

    @extend_schema(request=PoolCreateSerializer, responses={201: PoolSerializer})
    def post(self, request):
        payload = PoolCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        user = request.user
        keys = selectors.keys_for(user)
        data["key"] = get_object_or_404(keys, pk=data["key"])
        if data.get("comparison_key"):
            data["comparison_key"] = get_object_or_404(keys, pk=data["comparison_key"])
        chosen = list(Service.objects.filter(federation=user.federation_id, pk__in=data.pop("services")))
        pool = services.pool_create(acting_user=user, federation=user.federation, services=chosen, **data)
        return Response(PoolSerializer(selectors.pool_get(user, pool.pk)).data, status=status.HTTP_201_CREATED)


class PoolDetail(generics.RetrieveAPIView):
    serializer_class = PoolSerializer
    capability = VIEW_ALLOCATIONS

    def get_queryset(self):
        return selectors.pools_for(self.request.user)


@extend_schema_serializer(component_name="AllocationLine")
class LineSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    amount = _money()

    class Meta:
        model = AllocationLine
        fields = ["member", "member_name", "position", "basis", "share", "fraction", "amount"]
        read_only_fields = fields


class ApprovedLineSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    run = serializers.IntegerField(source="run_id", read_only=True)
    run_label = serializers.CharField(source="run.label", read_only=True)
    pool = serializers.CharField(source="run.pool.name", read_only=True)
    period_start = serializers.DateField(source="run.pool.period_start", read_only=True)
    period_end = serializers.DateField(source="run.pool.period_end", read_only=True)
    amount = _money()

    class Meta:
        model = AllocationLine
        fields = ["member", "member_name", "run", "run_label", "pool", "period_start", "period_end", "basis", "amount"]
        read_only_fields = fields


class ApprovedLineFilter(ScopedFilterSet):
    scoped_fields = {"member": members_for}

    class Meta:
        model = AllocationLine
        fields = ["member"]


class ApprovedLineList(generics.ListAPIView):
    """Approved amounts per member; a member contact gets only its own member's rows."""

    serializer_class = ApprovedLineSerializer
    capability = VIEW_MEMBER_COSTS
    filterset_class = ApprovedLineFilter

    def get_queryset(self):
        return selectors.approved_lines_for(self.request.user)


@extend_schema_serializer(component_name="AllocationRun")
class RunSerializer(serializers.ModelSerializer):
    total = _money()
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = AllocationRun
        fields = [
            "id",
            "pool",
            "key",
            "label",
            "kind",
            "status",
            "participation_date",
            "total",
            "unit",
            "key_description",
            "inputs",
            "created_at",
            "approved_at",
            "lines",
        ]
        read_only_fields = fields  # a run is created through RunCreateSerializer


class RunFilter(ScopedFilterSet):
    scoped_fields = {"pool": selectors.pools_for}

    class Meta:
        model = AllocationRun
        fields = ["pool", "status", "kind"]


@extend_schema_serializer(component_name="AllocationRunCreate")
class RunCreateSerializer(serializers.Serializer):
    pool = id_field()
    label = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=RunKind.choices, default=RunKind.ORDINARY)
    key = id_field(required=False, allow_null=True)
    participation_date = serializers.DateField(required=False, allow_null=True)


class RunListCreate(generics.ListAPIView):
    serializer_class = RunSerializer
    read_capability = VIEW_ALLOCATIONS
    write_capability = CREATE_RUN
    filterset_class = RunFilter

    def get_queryset(self):
        return selectors.runs_for(self.request.user).prefetch_related("lines__member")

    @extend_schema(request=RunCreateSerializer, responses={201: RunSerializer})
    def post(self, request):
        data = RunCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        pool = get_object_or_404(selectors.pools_for(request.user), pk=values.pop("pool"))
        key_id = values.pop("key", None)
        key = get_object_or_404(selectors.keys_for(request.user), pk=key_id) if key_id else None
        run = services.run_create(acting_user=request.user, pool=pool, key=key, **values)
        return Response(RunSerializer(selectors.run_get(request.user, run.pk)).data, status=status.HTTP_201_CREATED)


class RunDetail(generics.RetrieveDestroyAPIView):
    serializer_class = RunSerializer
    read_capability = VIEW_ALLOCATIONS
    write_capability = CREATE_RUN

    def get_queryset(self):
        return selectors.runs_for(self.request.user).prefetch_related("lines__member")

    def perform_destroy(self, instance):
        services.run_delete(acting_user=self.request.user, run=instance)


class RunApprove(APIView):
    capability = APPROVE_RUN

    @extend_schema(request=None, responses=RunSerializer)
    def post(self, request, pk):
        run = selectors.run_get(request.user, pk)
        services.run_approve(acting_user=request.user, run=run)
        return Response(RunSerializer(selectors.run_get(request.user, pk)).data)


class ComparisonRowSerializer(serializers.Serializer):
    member = serializers.CharField()
    first = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True)
    second = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True)
    difference = serializers.DecimalField(max_digits=15, decimal_places=2)


class ComparisonSerializer(serializers.Serializer):
    first = serializers.IntegerField(source="first.pk")
    second = serializers.IntegerField(source="second.pk")
    rows = ComparisonRowSerializer(many=True)
    first_total = serializers.DecimalField(max_digits=15, decimal_places=2)
    second_total = serializers.DecimalField(max_digits=15, decimal_places=2)
    difference_total = serializers.DecimalField(max_digits=15, decimal_places=2)


class CompareQuery(serializers.Serializer):
    first = id_field(help_text="Körnings-id (t.ex. den preliminära).")
    second = id_field(help_text="Körnings-id (t.ex. den slutliga).")


class RunCompare(APIView):
    """Second run − first run per member (e.g. final − preliminary)."""

    capability = VIEW_ALLOCATIONS

    @extend_schema(parameters=[CompareQuery], responses=ComparisonSerializer)
    def get(self, request):
        params = query_params(CompareQuery, request)
        first = selectors.run_get(request.user, params["first"])
        second = selectors.run_get(request.user, params["second"])
        return Response(ComparisonSerializer(usecases.run_comparison(first, second)).data)


class DecisionBasisQuery(serializers.Serializer):
    fee_pool = id_field()
    member = id_field(required=False)
    name = serializers.CharField(required=False, max_length=200)
    population = serializers.IntegerField(required=False, min_value=1, max_value=100_000_000)
    services = serializers.ListField(child=id_field(), required=False)

    def validate(self, attrs):
        if "member" not in attrs and not ("name" in attrs and "population" in attrs):
            raise ValidationError("Ange member eller name och population.")
        return attrs


class DecisionBasisView(APIView):
    """Fee table with population comparison, service costs and total for a prospective member."""

    capability = USE_CALCULATORS

    @extend_schema(parameters=[DecisionBasisQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        params = {k: v for k, v in request.query_params.items() if k != "services"}
        params["services"] = request.query_params.getlist("services")
        query = DecisionBasisQuery(data=params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        pool = get_object_or_404(
            selectors.pools_for(request.user).filter(kind=PoolKind.MEMBERSHIP), pk=data["fee_pool"]
        )
        member = (
            get_object_or_404(Member.objects.filter(federation=pool.federation), pk=data["member"])
            if "member" in data
            else None
        )
        chosen = list(Service.objects.filter(federation=pool.federation, pk__in=data.get("services", [])))
        basis = usecases.decision_basis(
            fee_pool=pool, member=member, name=data.get("name", ""), population=data.get("population"), services=chosen
        )
        return Response(basis.as_dict())


class CalculateSerializer(serializers.Serializer):
    total = NumberField(max_digits=15, decimal_places=2, help_text='Beloppet, t.ex. "1166000" eller "1 166 000,50".')
    key = serializers.CharField(max_length=1000)
    unit = serializers.ChoiceField(choices=Unit.choices, default=Unit.KRONA)
    rows = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=10_000)


class AmountSerializer(serializers.Serializer):
    member = serializers.CharField()
    amount = serializers.CharField(help_text='Belopp som sträng, t.ex. "95122" eller "33.34".')


class Calculate(APIView):
    """Apportion a total over posted rows without storing anything (like `samverkan allocate`)."""

    capability = USE_CALCULATORS

    @extend_schema(request=CalculateSerializer, responses=AmountSerializer(many=True))
    def post(self, request):
        payload = CalculateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        result = usecases.apportion_table(
            table=key_table_from_rows(data["rows"]), total=data["total"], key=data["key"], unit=data["unit"]
        )
        return Response(result.as_dict()["rows"])


class CostLineSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    amount = NumberField(max_digits=15, decimal_places=2, min_value=Decimal(0))


class BusinessCaseSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    components = CostLineSerializer(many=True, allow_empty=False)
    years = serializers.IntegerField(min_value=1, max_value=50)
    interest_rate = NumberField(max_digits=5, decimal_places=2, min_value=Decimal(0), default=Decimal(0))
    operations = CostLineSerializer(many=True, default=list)
    per_user = NumberField(max_digits=12, decimal_places=2, min_value=Decimal(0), default=Decimal(0))
    users = serializers.IntegerField(min_value=1, max_value=100_000_000)
    first_year = serializers.IntegerField(min_value=1900, max_value=2200)
    key = id_field(required=False)


class BusinessCaseView(APIView):
    """Cost per year (years 1..N and after), per user, and per member by a key; nothing is stored."""

    capability = USE_CALCULATORS

    @extend_schema(request=BusinessCaseSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        payload = BusinessCaseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        for lines in ("components", "operations"):
            data[lines] = tuple((line["name"], line["amount"]) for line in data[lines])
        data["key"] = get_object_or_404(selectors.keys_for(request.user), pk=data["key"]) if "key" in data else None
        return Response(usecases.business_case(**data).as_dict())


# --- Saved business cases (options side by side, against today's costs)


class ComponentLineSerializer(CostLineSerializer):
    year = serializers.IntegerField(min_value=1900, max_value=2200, required=False, allow_null=True, default=None)


class BusinessCaseOptionSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    components = ComponentLineSerializer(many=True, allow_empty=False)
    depreciation_years = serializers.IntegerField(min_value=1, max_value=50)
    interest_rate = NumberField(max_digits=5, decimal_places=2, min_value=Decimal(0), default=Decimal(0))
    operations = CostLineSerializer(many=True, default=list)
    per_user = NumberField(max_digits=12, decimal_places=2, min_value=Decimal(0), default=Decimal(0))
    users = serializers.IntegerField(min_value=1, max_value=100_000_000)
    first_year = serializers.IntegerField(min_value=1900, max_value=2200)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SavedBusinessCaseSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    current_costs = CostLineSerializer(many=True, default=list)
    options = BusinessCaseOptionSerializer(many=True, default=list)


class SavedBusinessCaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    updated_at = serializers.DateTimeField()
    options = serializers.ListField(child=serializers.CharField())


class SavedBusinessCaseList(APIView):
    """Saved business cases (summary); POST saves one with its options (all figures in kronor)."""

    read_capability = USE_CALCULATORS
    write_capability = MANAGE_BUSINESS_CASES

    @extend_schema(
        operation_id="allocation_business_cases_list", responses=SavedBusinessCaseSummarySerializer(many=True)
    )
    def get(self, request):
        return Response(
            [
                {
                    "id": study.pk,
                    "name": study.name,
                    "updated_at": study.updated_at.isoformat(),
                    "options": [option.name for option in study.options.all()],
                }
                for study in selectors.business_cases_for(request.user)
            ]
        )

    @extend_schema(
        operation_id="allocation_business_cases_create",
        request=SavedBusinessCaseSerializer,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        body = SavedBusinessCaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        study = services.business_case_save(
            acting_user=request.user, federation=request.user.federation, **body.validated_data
        )
        saved = usecases.saved_business_case(selectors.business_case_get(request.user, study.pk))
        return Response(saved.as_dict(), status=status.HTTP_201_CREATED)


class SavedBusinessCaseDetail(APIView):
    """One saved case with every figure recomputed: per option per year, and each year against today."""

    read_capability = USE_CALCULATORS
    write_capability = MANAGE_BUSINESS_CASES

    @extend_schema(operation_id="allocation_business_cases_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        return Response(usecases.saved_business_case(selectors.business_case_get(request.user, pk)).as_dict())

    @extend_schema(request=SavedBusinessCaseSerializer, responses=OpenApiTypes.OBJECT)
    def put(self, request, pk):
        study = selectors.business_case_get(request.user, pk)
        body = SavedBusinessCaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.business_case_save(
            acting_user=request.user, federation=study.federation, study=study, **body.validated_data
        )
        return Response(usecases.saved_business_case(selectors.business_case_get(request.user, pk)).as_dict())

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.business_case_delete(acting_user=request.user, study=selectors.business_case_get(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
