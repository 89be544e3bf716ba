"""REST endpoints for the catalogue; querysets from scoped selectors, writes through services."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from samverkan.catalogue import selectors, services
from samverkan.catalogue.models import CatalogueItem, Category, Order, PriceVersion, Subscription
from samverkan.core.api import run_service
from samverkan.core.permissions import roles_permission
from samverkan.core.roles import ADMIN, AGENT, BOARD, ECONOMIST, MEMBER_CONTACT, ORDERER
from samverkan.members.models import Federation
from samverkan.members.selectors import departments_for

ALL = (ADMIN, AGENT, ECONOMIST, BOARD, MEMBER_CONTACT, ORDERER)
ORDERERS = (ADMIN, AGENT, MEMBER_CONTACT, ORDERER)




class RolesMixin:
    readers: tuple[str, ...] = ALL
    writers: tuple[str, ...] = (ADMIN,)

    def get_permissions(self):
        if getattr(self, "action", None) == "prices":  # the action checks who may add a price itself
            return [roles_permission(*ALL)()]
        roles = self.readers if self.request.method in SAFE_METHODS else self.writers
        return [roles_permission(*roles)()]


class PriceVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceVersion
        fields = ["id", "item", "valid_from", "valid_to", "unit_price", "vat_code", "note"]
        read_only_fields = ["item"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "sort_order"]


class ItemSerializer(serializers.ModelSerializer):
    current_price = serializers.SerializerMethodField()

    class Meta:
        model = CatalogueItem
        fields = [
            "id",
            "code",
            "name",
            "description",
            "category",
            "owner_team",
            "service",
            "allowed_members",
            "price_unit",
            "requires_approval",
            "order_fields",
            "revenue_account",
            "activity",
            "orderable",
            "active",
            "current_price",
        ]
        validators = []

    def get_current_price(self, item) -> dict | None:
        price = selectors.price_on(item, timezone.localdate())
        return PriceVersionSerializer(price).data if price else None


class CategoryViewSet(RolesMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer

    def get_queryset(self):
        return selectors.categories_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = run_service(
            lambda: services.category_create(
                acting_user=self.request.user, federation=self.request.user.federation, **serializer.validated_data
            )
        )


class ItemViewSet(RolesMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ItemSerializer
    filterset_fields = ["category", "price_unit", "active"]

    def get_queryset(self):
        return selectors.items_for(self.request.user).prefetch_related("allowed_members")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        allowed = data.pop("allowed_members", [])
        serializer.instance = run_service(
            lambda: services.item_create(
                acting_user=self.request.user, federation=self.request.user.federation, allowed_members=allowed, **data
            )
        )

    def perform_update(self, serializer):
        serializer.instance = run_service(
            lambda: services.item_update(
                acting_user=self.request.user, item=serializer.instance, data=dict(serializer.validated_data)
            )
        )

    @extend_schema(request=PriceVersionSerializer, responses=PriceVersionSerializer)
    @action(detail=True, methods=["get", "post"], permission_classes=[roles_permission(*ALL)])
    def prices(self, request, pk=None):
        item = self.get_object()
        if request.method == "GET":
            return Response(PriceVersionSerializer(item.prices.all(), many=True).data)
        if not request.user.has_role(ADMIN, ECONOMIST):
            return Response({"detail": "Din roll ger inte tillgång till detta."}, status=403)
        serializer = PriceVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = run_service(
            lambda: services.price_version_create(acting_user=request.user, item=item, **serializer.validated_data)
        )
        return Response(PriceVersionSerializer(version).data, status=201)


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "item",
            "member",
            "department",
            "quantity",
            "requested_date",
            "delivery_address",
            "form_data",
            "invoice_reference",
            "status",
            "ordered_at",
            "approved_at",
            "delivered_on",
            "note",
        ]
        read_only_fields = ["number", "member", "status", "ordered_at", "approved_at", "delivered_on"]
        extra_kwargs = {"invoice_reference": {"required": False}}


class DeliverSerializer(serializers.Serializer):
    delivered_on = serializers.DateField()
    asset_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class OrderViewSet(RolesMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    readers = (*ORDERERS, ECONOMIST)
    writers = ORDERERS
    serializer_class = OrderSerializer
    filterset_fields = ["status", "member", "department", "item"]

    def get_queryset(self):
        return selectors.orders_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        department = get_object_or_404(departments_for(self.request.user), pk=data.pop("department").pk)
        item = get_object_or_404(selectors.items_for(self.request.user), pk=data.pop("item").pk)
        data.pop("status", None)
        serializer.instance = run_service(
            lambda: services.order_create(acting_user=self.request.user, item=item, department=department, **data)
        )

    def _act(self, call):
        order = run_service(lambda: call(self.get_object()))
        return Response(OrderSerializer(order).data)

    @extend_schema(request=None, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(lambda o: services.order_approve(acting_user=request.user, order=o))

    @extend_schema(request=None, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(
            lambda o: services.order_reject(
                acting_user=request.user, order=o, reason=str(request.data.get("reason", ""))
            )
        )

    @extend_schema(request=None, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(lambda o: services.order_cancel(acting_user=request.user, order=o))

    @extend_schema(request=DeliverSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        body = DeliverSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act(lambda o: services.order_deliver(acting_user=request.user, order=o, **body.validated_data))


class SubscriptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subscription
        fields = [
            "id",
            "item",
            "member",
            "department",
            "order",
            "start",
            "end",
            "quantity",
            "asset_id",
            "invoice_reference",
            "note",
        ]
        read_only_fields = ["member", "order"]
        extra_kwargs = {"invoice_reference": {"required": False}}


class EndSerializer(serializers.Serializer):
    end = serializers.DateField()


class SubscriptionViewSet(RolesMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    readers = (*ORDERERS, ECONOMIST)
    writers = (ADMIN, AGENT, MEMBER_CONTACT)
    serializer_class = SubscriptionSerializer
    filterset_fields = ["member", "department", "item"]

    def get_queryset(self):
        return selectors.subscriptions_for(self.request.user)

    def perform_create(self, serializer):
        if not self.request.user.has_role(ADMIN, AGENT):
            raise ValidationError("Bara förbundets handläggare kan lägga upp abonnemang.")
        data = dict(serializer.validated_data)
        department = get_object_or_404(departments_for(self.request.user), pk=data.pop("department").pk)
        item = get_object_or_404(selectors.items_for(self.request.user), pk=data.pop("item").pk)
        serializer.instance = run_service(
            lambda: services.subscription_create(
                acting_user=self.request.user, item=item, department=department, **data
            )
        )

    @extend_schema(request=EndSerializer, responses=SubscriptionSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        body = EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        subscription = run_service(
            lambda: services.subscription_end(
                acting_user=request.user, subscription=self.get_object(), end=body.validated_data["end"]
            )
        )
        return Response(SubscriptionSerializer(subscription).data)


class PublicPriceSerializer(serializers.Serializer):
    category = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    price_unit = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    vat_code = serializers.CharField(allow_blank=True)


class PriceListView(generics.GenericAPIView):
    """The public price list of a federation (``?federation=slug``) on a date (``?on=YYYY-MM-DD``)."""

    permission_classes = [AllowAny]
    serializer_class = PublicPriceSerializer
    queryset = CatalogueItem.objects.none()  # for the schema; rows come from selectors.price_list

    @extend_schema(
        parameters=[OpenApiParameter("federation", str, required=True), OpenApiParameter("on", str)],
        responses=PublicPriceSerializer(many=True),
    )
    def get(self, request):
        federation = get_object_or_404(Federation, slug=request.query_params.get("federation", ""))
        on = (
            serializers.DateField().to_internal_value(request.query_params["on"])
            if request.query_params.get("on")
            else timezone.localdate()
        )
        rows = [
            {
                "category": category.name,
                "code": item.code,
                "name": item.name,
                "description": item.description,
                "price_unit": item.price_unit,
                "unit_price": price.unit_price if price else None,
                "vat_code": price.vat_code if price else "",
            }
            for category, entries in selectors.price_list(federation, on)
            for item, price in entries
        ]
        return Response(PublicPriceSerializer(rows, many=True).data)


router = SimpleRouter()
router.register("categories", CategoryViewSet, basename="category")
router.register("items", ItemViewSet, basename="item")
router.register("orders", OrderViewSet, basename="order")
router.register("subscriptions", SubscriptionViewSet, basename="subscription")
