"""REST API of the inventory register; scoped selectors for reads, services for writes."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from samverkan.assets import selectors, services, tasks
from samverkan.assets.importers.register import MAX_BYTES, MAX_ROWS
from samverkan.assets.models import ASSET_EDITABLE_FIELDS, Asset, AssetEvent, AssetStatus, AssetType
from samverkan.assets.policies import IMPORT_ASSETS, MANAGE_ASSETS, VIEW_ASSET_REPORTS, VIEW_ASSETS
from samverkan.core import job_uploads
from samverkan.core.api import JobSerializer
from samverkan.core.api_errors import BoundedJSONParser, PayloadTooLarge
from samverkan.core.params import id_field, query_params, year_field
from samverkan.core.scoping import ScopedSerializer
from samverkan.domain.textfiles import MEGABYTE
from samverkan.members.selectors import departments_for, members_for


class AssetSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"member": members_for, "department": departments_for}
    book_value_today = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = ["id", *ASSET_EDITABLE_FIELDS, "status", "status_reason", "disposed_on", "book_value_today"]
        read_only_fields = ["status", "status_reason", "disposed_on"]
        validators = []

    def get_book_value_today(self, asset) -> str:
        return str(selectors.book_value(asset, timezone.localdate()))


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssetEvent
        fields = ["at", "actor_repr", "action", "changes", "reason"]


@extend_schema_serializer(component_name="AssetStatusChange")
class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AssetStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=f"CSV eller XLSX, högst {MAX_BYTES // MEGABYTE} MB och {MAX_ROWS} rader.")

    def validate_file(self, upload):
        if upload.size > MAX_BYTES:
            raise PayloadTooLarge(
                _("Filen är för stor (%(size)s); högst %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)}
            )
        return upload


def _amount() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=15, decimal_places=2)


class ScheduleRowSerializer(serializers.Serializer):
    period_end = serializers.DateField()
    amount = _amount()
    book_value = _amount()


class BookValueSerializer(serializers.Serializer):
    on = serializers.DateField()
    book_value = _amount()


class RegisterRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    inventory_number = serializers.CharField()
    purchase_value = _amount()
    accumulated = _amount()
    book_value = _amount()


class RegisterSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    on = serializers.DateField()
    totals = serializers.DictField(child=_amount())
    assets = RegisterRowSerializer(many=True)


class DepreciationRowSerializer(serializers.Serializer):
    years = serializers.IntegerField(help_text="Avskrivningsklass i år.")
    assets = serializers.IntegerField()
    cost = _amount()
    depreciation = _amount()
    book_value_end = _amount()


class AssetFilterSerializer(serializers.Serializer):
    """Query parameters of the asset list (all optional)."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Fritextsökning.")
    status = serializers.ChoiceField(choices=AssetStatus.choices, required=False, allow_blank=True)
    type = serializers.ChoiceField(choices=AssetType.choices, required=False, allow_blank=True)
    member = id_field(required=False)


class OnQuery(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Datum ÅÅÅÅ-MM-DD, standard i dag.")


class ScheduleQuery(serializers.Serializer):
    frequency = serializers.ChoiceField(choices=["yearly", "monthly"], required=False, default="yearly")


class RegisterQuery(OnQuery):
    member = id_field(help_text="Medlemmens id.")


class YearQuery(serializers.Serializer):
    year = year_field(required=False, help_text="Kalenderår, standard innevarande år.")


class AssetViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AssetSerializer
    parser_classes = [BoundedJSONParser, MultiPartParser]
    read_capability = VIEW_ASSETS
    write_capability = MANAGE_ASSETS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Asset.objects.none()
        if self.action != "list":
            return selectors.assets_for(self.request.user)
        params = query_params(AssetFilterSerializer, self.request)
        return selectors.asset_list(
            self.request.user,
            q=params.get("q", ""),
            status=params.get("status", ""),
            asset_type=params.get("type", ""),
            member=params.get("member") or "",
        )

    @extend_schema(parameters=[AssetFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.asset_create(
            acting_user=self.request.user, federation=self.request.user.federation, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance, _changes = services.asset_update(
            acting_user=self.request.user, asset=self.get_object(), data=serializer.validated_data
        )

    @extend_schema(request=StatusSerializer, responses=AssetSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        asset = self.get_object()
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        asset = services.asset_change_status(acting_user=request.user, asset=asset, **serializer.validated_data)
        return Response(AssetSerializer(asset, context={"request": request}).data)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        return Response(EventSerializer(self.get_object().events.all(), many=True).data)

    @extend_schema(parameters=[ScheduleQuery], responses=ScheduleRowSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def schedule(self, request, pk=None):
        frequency = query_params(ScheduleQuery, request)["frequency"]
        return Response(
            [
                {"period_end": p.period_end, "amount": str(p.amount), "book_value": str(p.book_value)}
                for p in selectors.schedule(self.get_object(), frequency=frequency)
            ]
        )

    @extend_schema(parameters=[OnQuery], responses=BookValueSerializer)
    @action(detail=True, methods=["get"], url_path="book-value")
    def book_value(self, request, pk=None):
        on = query_params(OnQuery, request).get("on") or timezone.localdate()
        return Response({"on": on, "book_value": str(selectors.book_value(self.get_object(), on))})

    @extend_schema(request=ImportSerializer, responses={202: JobSerializer})
    @action(detail=False, methods=["post"], url_path="import", write_capability=IMPORT_ASSETS)
    def import_file(self, request):
        """Start the import as a background job: 202 with the job (poll its `url`); done: the counts
        in its `message`; a bad row: status "failed", the rows in `error`, nothing written."""
        serializer = ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return job_uploads.accepted(tasks.start(acting_user=request.user, upload=serializer.validated_data["file"]))


class ReportViewSet(viewsets.ViewSet):
    capability = VIEW_ASSET_REPORTS

    @extend_schema(parameters=[RegisterQuery], responses=RegisterSerializer)
    @action(detail=False, methods=["get"])
    def register(self, request):
        params = query_params(RegisterQuery, request)
        on = params.get("on") or timezone.localdate()
        member = members_for(request.user).filter(pk=params["member"]).first()
        if member is None:
            raise ValidationError({"member": "Okänd medlem."})
        rows, totals = selectors.register(request.user, member_id=member.pk, on=on)
        return Response(
            {
                "member": member.pk,
                "on": on,
                "totals": {k: str(v) for k, v in totals.items()},
                "assets": [
                    {
                        "id": r.asset.pk,
                        "inventory_number": r.asset.inventory_number,
                        "purchase_value": str(r.asset.purchase_value),
                        "accumulated": str(r.accumulated),
                        "book_value": str(r.book_value),
                    }
                    for r in rows
                ],
            }
        )

    @extend_schema(parameters=[YearQuery], responses=DepreciationRowSerializer(many=True))
    @action(detail=False, methods=["get"])
    def depreciation(self, request):
        year = query_params(YearQuery, request).get("year", timezone.localdate().year)
        return Response(
            [
                {
                    "years": r.years,
                    "assets": r.assets,
                    "cost": str(r.cost),
                    "depreciation": str(r.depreciation),
                    "book_value_end": str(r.book_value_end),
                }
                for r in selectors.depreciation_by_class(request.user, year=year)
            ]
        )


router = SimpleRouter()
router.register("assets", AssetViewSet, basename="asset")
router.register("reports", ReportViewSet, basename="report")
urlpatterns = router.urls
