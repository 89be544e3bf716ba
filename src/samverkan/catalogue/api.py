"""REST endpoints for the catalogue; querysets from scoped selectors, writes through services."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from samverkan.catalogue import selectors, services
from samverkan.catalogue.models import (
    ITEM_EDITABLE_FIELDS,
    ORDER_API_FIELDS,
    ORDER_API_READ_ONLY,
    PRICE_VERSION_FIELDS,
    SUBSCRIPTION_FIELDS,
    CatalogueItem,
    Category,
    Order,
    PriceVersion,
    Subscription,
)
from samverkan.catalogue.policies import (
    EDIT_CATALOGUE,
    END_SUBSCRIPTION,
    MANAGE_PRICES,
    MANAGE_SUBSCRIPTIONS,
    VIEW_CATALOGUE,
    VIEW_ORDERS,
    VIEW_PRICE_LIST,
)
from samverkan.core.scoping import ScopedFilterSet, ScopedSerializer
from samverkan.members.models import Federation
from samverkan.members.selectors import departments_for, members_for, services_for


class PriceVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceVersion
        fields = ["id", "item", *PRICE_VERSION_FIELDS]
        read_only_fields = ["item"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "sort_order"]


class ItemSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {
        "category": selectors.categories_for,
        "service": services_for,
        "allowed_members": members_for,
    }
    current_price = serializers.SerializerMethodField()

    class Meta:
        model = CatalogueItem
        fields = ["id", *ITEM_EDITABLE_FIELDS, "current_price"]
        validators = []

    def get_current_price(self, item) -> dict | None:
        price = selectors.price_on(item, timezone.localdate())
        return PriceVersionSerializer(price).data if price else None


class ItemFilter(ScopedFilterSet):
    scoped_fields = {"category": selectors.categories_for}

    class Meta:
        model = CatalogueItem
        fields = ["category", "price_unit", "active"]


class OrderFilter(ScopedFilterSet):
    scoped_fields = {"member": members_for, "department": departments_for, "item": selectors.items_for}

    class Meta:
        model = Order
        fields = ["status", "member", "department", "item"]


class SubscriptionFilter(ScopedFilterSet):
    scoped_fields = {"member": members_for, "department": departments_for, "item": selectors.items_for}

    class Meta:
        model = Subscription
        fields = ["member", "department", "item"]


class CategoryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer
    read_capability = VIEW_CATALOGUE
    write_capability = EDIT_CATALOGUE

    def get_queryset(self):
        return selectors.categories_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.category_create(
            acting_user=self.request.user, federation=self.request.user.federation, **serializer.validated_data
        )


class ItemViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ItemSerializer
    read_capability = VIEW_CATALOGUE
    write_capability = EDIT_CATALOGUE
    filterset_class = ItemFilter

    def get_queryset(self):
        return selectors.items_for(self.request.user).prefetch_related("allowed_members")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        allowed = data.pop("allowed_members", [])
        serializer.instance = services.item_create(
            acting_user=self.request.user, federation=self.request.user.federation, allowed_members=allowed, **data
        )

    def perform_update(self, serializer):
        serializer.instance = services.item_update(
            acting_user=self.request.user, item=serializer.instance, data=dict(serializer.validated_data)
        )

    @extend_schema(request=PriceVersionSerializer, responses=PriceVersionSerializer)
    @action(detail=True, methods=["get", "post"], write_capability=MANAGE_PRICES)
    def prices(self, request, pk=None):
        item = self.get_object()
        if request.method == "GET":
            return Response(PriceVersionSerializer(item.prices.all(), many=True).data)
        serializer = PriceVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.price_version_create(acting_user=request.user, item=item, **serializer.validated_data)
        return Response(PriceVersionSerializer(version).data, status=201)


class OrderSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"item": selectors.items_for, "department": departments_for}

    class Meta:
        model = Order
        fields = ORDER_API_FIELDS
        read_only_fields = ORDER_API_READ_ONLY
        extra_kwargs = {"invoice_reference": {"required": False}}


class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    """Orders the user may see. Placing an order and its workflow steps open and write the
    order's ticket, so they are the portal's API (``/api/v1/portal/orders/``)."""

    read_capability = VIEW_ORDERS
    serializer_class = OrderSerializer
    filterset_class = OrderFilter

    def get_queryset(self):
        return selectors.orders_for(self.request.user)


class SubscriptionSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"item": selectors.items_for, "department": departments_for}

    class Meta:
        model = Subscription
        fields = ["id", *SUBSCRIPTION_FIELDS, "member", "order"]
        read_only_fields = ["member", "order"]
        extra_kwargs = {"invoice_reference": {"required": False}}


class EndSerializer(serializers.Serializer):
    end = serializers.DateField()


class SubscriptionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = VIEW_ORDERS
    write_capability = MANAGE_SUBSCRIPTIONS
    serializer_class = SubscriptionSerializer
    filterset_class = SubscriptionFilter

    def get_queryset(self):
        return selectors.subscriptions_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.subscription_create(acting_user=self.request.user, **serializer.validated_data)

    @extend_schema(request=EndSerializer, responses=SubscriptionSerializer)
    @action(detail=True, methods=["post"], write_capability=END_SUBSCRIPTION)
    def end(self, request, pk=None):
        body = EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        subscription = services.subscription_end(
            acting_user=request.user, subscription=self.get_object(), end=body.validated_data["end"]
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

    capability = VIEW_PRICE_LIST
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
