"""REST API of the allocation module (/api/v1/allocation/…); querysets from scoped selectors."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.allocation import selectors, services
from samverkan.allocation.business import business_case_build, business_case_evaluate
from samverkan.allocation.decision import Prospect, decision_basis
from samverkan.allocation.models import (
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
from samverkan.core.api import run_service
from samverkan.core.params import id_field, query_params
from samverkan.core.permissions import roles_permission
from samverkan.core.roles import ADMIN, BOARD, ECONOMIST, MEMBER_CONTACT
from samverkan.domain.apportion import KRONA, ORE
from samverkan.domain.keys import AllocationKeyError, allocate, parse_key_spec
from samverkan.domain.money import to_decimal
from samverkan.members.models import Member, Service

READERS = (ADMIN, ECONOMIST, BOARD)
WRITERS = (ADMIN, ECONOMIST)


def _money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=15, decimal_places=2, read_only=True)


def _m(amount: Decimal) -> str:
    """Money in API responses: a string with two decimals, like DRF's DecimalField."""
    return f"{amount:.2f}"


class ReadOrWriteMixin:
    def get_permissions(self):
        roles = READERS if self.request.method in SAFE_METHODS else WRITERS
        return [roles_permission(*roles)()]


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
        fields = ["id", "name", "kind", "reference_date", "description", "values", "components"]


class KeyValueWrite(serializers.Serializer):
    member = id_field()
    value = serializers.DecimalField(max_digits=15, decimal_places=2, min_value=Decimal(0))


class KeyComponentWrite(serializers.Serializer):
    component = id_field()
    weight = serializers.DecimalField(max_digits=9, decimal_places=4, min_value=Decimal(0))


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


class KeyList(ReadOrWriteMixin, generics.ListAPIView):
    serializer_class = KeySerializer

    def get_queryset(self):
        return selectors.keys_for(self.request.user).prefetch_related("values__member", "components__component")

    @extend_schema(request=KeyCreateSerializer, responses={201: KeySerializer})
    def post(self, request):
        """Create a key with its values (decided/fixed) or components (mix) in one go."""
        payload = KeyCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        values = data.pop("values", [])
        components = data.pop("components", [])
        user = request.user

        def create():
            with transaction.atomic():
                key = services.key_create(acting_user=user, federation=user.federation, **data)
                if values:
                    table = {_member_of(user, v["member"]): v["value"] for v in values}
                    services.key_values_set(acting_user=user, key=key, values=table)
                for part in components:
                    component = get_object_or_404(selectors.keys_for(user), pk=part["component"])
                    services.key_component_add(acting_user=user, mix=key, component=component, weight=part["weight"])
                return key

        key = run_service(create)
        return Response(KeySerializer(selectors.key_get(user, key.pk)).data, status=status.HTTP_201_CREATED)


class KeyDetail(generics.RetrieveAPIView):
    serializer_class = KeySerializer
    permission_classes = [roles_permission(*READERS)]

    def get_queryset(self):
        return selectors.keys_for(self.request.user).prefetch_related("values__member", "components__component")


class PoolSerializer(serializers.ModelSerializer):
    total = _money()

    class Meta:
        model = CostPool
        fields = [
            "id",
            "name",
            "kind",
            "period_start",
            "period_end",
            "total",
            "key",
            "comparison_key",
            "services",
            "unit",
            "prorata",
            "description",
        ]


class PoolCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PoolKind.choices)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    total = serializers.DecimalField(max_digits=15, decimal_places=2)
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


class PoolList(ReadOrWriteMixin, generics.ListAPIView):
    serializer_class = PoolSerializer

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
        pool = run_service(
            lambda: services.pool_create(acting_user=user, federation=user.federation, services=chosen, **data)
        )
        return Response(PoolSerializer(selectors.pool_get(user, pool.pk)).data, status=status.HTTP_201_CREATED)


class PoolDetail(generics.RetrieveAPIView):
    serializer_class = PoolSerializer
    permission_classes = [roles_permission(*READERS)]

    def get_queryset(self):
        return selectors.pools_for(self.request.user)


@extend_schema_serializer(component_name="AllocationLine")
class LineSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    amount = _money()

    class Meta:
        model = AllocationLine
        fields = ["member", "member_name", "position", "basis", "share", "fraction", "amount"]


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


class ApprovedLineList(generics.ListAPIView):
    """Approved amounts per member; a member contact gets only its own member's rows."""

    serializer_class = ApprovedLineSerializer
    permission_classes = [roles_permission(*READERS, MEMBER_CONTACT)]
    filterset_fields = ["member"]

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


@extend_schema_serializer(component_name="AllocationRunCreate")
class RunCreateSerializer(serializers.Serializer):
    pool = id_field()
    label = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=RunKind.choices, default=RunKind.ORDINARY)
    key = id_field(required=False, allow_null=True)
    participation_date = serializers.DateField(required=False, allow_null=True)


class RunListCreate(ReadOrWriteMixin, generics.ListAPIView):
    serializer_class = RunSerializer
    filterset_fields = ["pool", "status", "kind"]

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
        run = run_service(lambda: services.run_create(acting_user=request.user, pool=pool, key=key, **values))
        return Response(RunSerializer(selectors.run_get(request.user, run.pk)).data, status=status.HTTP_201_CREATED)


class RunDetail(ReadOrWriteMixin, generics.RetrieveDestroyAPIView):
    serializer_class = RunSerializer

    def get_queryset(self):
        return selectors.runs_for(self.request.user).prefetch_related("lines__member")

    def perform_destroy(self, instance):
        run_service(lambda: services.run_delete(acting_user=self.request.user, run=instance))


class RunApprove(APIView):
    permission_classes = [roles_permission(*WRITERS)]

    @extend_schema(request=None, responses=RunSerializer)
    def post(self, request, pk):
        run = selectors.run_get(request.user, pk)
        run_service(lambda: services.run_approve(acting_user=request.user, run=run))
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

    permission_classes = [roles_permission(*READERS)]

    @extend_schema(parameters=[CompareQuery], responses=ComparisonSerializer)
    def get(self, request):
        params = query_params(CompareQuery, request)
        first = selectors.run_get(request.user, params["first"])
        second = selectors.run_get(request.user, params["second"])
        return Response(ComparisonSerializer(selectors.run_comparison(first, second)).data)


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

    permission_classes = [roles_permission(*READERS)]

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
        prospect = Prospect(
            name=member.name if member else data["name"], member=member, population=data.get("population")
        )
        basis = run_service(lambda: decision_basis(fee_pool=pool, prospect=prospect, services=chosen))
        return Response(
            {
                "prospect": basis.prospect.name,
                "date": basis.on,
                "fee_pool": pool.pk,
                "fee_key": basis.fee_key_description,
                "fees": [
                    {
                        "member": r.name,
                        "is_prospect": r.is_prospect,
                        "amount": _m(r.amount),
                        "population": r.population,
                        "population_key_amount": None if r.comparison is None else _m(r.comparison),
                        "difference": None if r.difference is None else _m(r.difference),
                    }
                    for r in basis.fee_rows
                ],
                "fee_total": _m(basis.fee_total),
                "fee_for_prospect": _m(basis.fee_for_prospect),
                "services": [
                    {
                        "service": r.service.name,
                        "pool": r.pool.name,
                        "key": r.key_description,
                        "amount": _m(r.amount),
                        "population_key_amount": None if r.comparison is None else _m(r.comparison),
                    }
                    for r in basis.service_rows
                ],
                "service_total": _m(basis.service_total),
                "total": _m(basis.total),
                "notes": basis.notes,
            }
        )


class CalculateSerializer(serializers.Serializer):
    total = serializers.CharField(max_length=40)
    key = serializers.CharField(max_length=1000)
    unit = serializers.ChoiceField(choices=Unit.choices, default=Unit.KRONA)
    rows = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=10_000)


# Like every stored amount: at most 15 digits before rounding. "1e999999999" is a valid Decimal,
# but rounding it to whole kronor builds a billion-digit number (the request never returns),
# and a few thousand digits overflow the decimal context (InvalidOperation, a 500).
NUMBER_LIMIT = Decimal(10) ** 15


def _bounded(value: object) -> Decimal:
    number = to_decimal(value)
    if not -NUMBER_LIMIT < number < NUMBER_LIMIT:  # comparisons are exact; abs() would overflow
        raise ValueError(f"{str(value)[:30]!r} är för stort (högst 15 siffror)")
    return number


class AmountSerializer(serializers.Serializer):
    member = serializers.CharField()
    amount = serializers.CharField(help_text='Belopp som sträng, t.ex. "95122" eller "33.34".')


class Calculate(APIView):
    """Apportion a total over posted rows without storing anything (like `samverkan allocate`)."""

    permission_classes = [roles_permission(*READERS)]

    @extend_schema(request=CalculateSerializer, responses=AmountSerializer(many=True))
    def post(self, request):
        payload = CalculateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        members: list[str] = []
        columns: dict[str, dict[str, Decimal]] = {}
        try:
            total = _bounded(data["total"])
            for index, row in enumerate(data["rows"]):
                member = str(row.get("member", "")).strip()
                if not member or member in members:
                    raise ValidationError({"rows": [f"rad {index + 1}: medlem saknas eller förekommer två gånger"]})
                members.append(member)
                for name, value in row.items():
                    if name != "member":
                        columns.setdefault(name, {})[member] = _bounded(value)
            key = parse_key_spec(data["key"], columns)
            amounts = allocate(total, key, members, ORE if data["unit"] == "ore" else KRONA)
        except (AllocationKeyError, ValueError, TypeError, ArithmeticError) as exc:
            raise ValidationError([str(exc)]) from None
        places = 2 if data["unit"] == "ore" else 0
        return Response([{"member": m, "amount": f"{a:.{places}f}"} for m, a in amounts.items()])


class CostLineSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=15, decimal_places=2, min_value=Decimal(0))


class BusinessCaseSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    components = CostLineSerializer(many=True, allow_empty=False)
    years = serializers.IntegerField(min_value=1, max_value=50)
    interest_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal(0), default=Decimal(0))
    operations = CostLineSerializer(many=True, default=list)
    per_user = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0), default=Decimal(0))
    users = serializers.IntegerField(min_value=1, max_value=100_000_000)
    first_year = serializers.IntegerField(min_value=1900, max_value=2200)
    key = id_field(required=False)


class BusinessCaseView(APIView):
    """Cost per year (years 1..N and after), per user, and per member by a key; nothing is stored."""

    permission_classes = [roles_permission(*READERS)]

    @extend_schema(request=BusinessCaseSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        payload = BusinessCaseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data["components"] = [(c["name"], c["amount"]) for c in data["components"]]
        data["operations"] = [(c["name"], c["amount"]) for c in data["operations"]]
        key = get_object_or_404(selectors.keys_for(request.user), pk=data["key"]) if "key" in data else None
        case = business_case_build(data)
        result = run_service(lambda: business_case_evaluate(case, first_year=data["first_year"], key=key))
        return Response(
            {
                "investment": _m(case.investment),
                "years": [
                    {
                        "year": row.label,
                        "capital_cost": _m(row.cost.capital_cost),
                        "fixed_operating": _m(row.cost.fixed_operating),
                        "fixed_total": _m(row.cost.fixed_total),
                        "variable_operating": _m(row.cost.variable_operating),
                        "total": _m(row.cost.total),
                        "per_user": _m(row.per_user),
                    }
                    for row in result.years
                ],
                "key": result.key_description,
                "members": [{"member": name, "amounts": [_m(a) for a in amounts]} for name, amounts in result.shares],
            }
        )
