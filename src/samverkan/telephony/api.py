"""REST endpoints for telephony; every figure comes from the same selectors as the pages."""

from __future__ import annotations

from decimal import Decimal

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from samverkan.core import job_uploads
from samverkan.core.api import JobSerializer
from samverkan.core.params import NumberField, RatioField, id_field, query_params, year_field
from samverkan.domain import erlang
from samverkan.domain.service_level import Convention
from samverkan.telephony import selectors, tasks, usecases
from samverkan.telephony.importers.csv_records import mapping_from_spec
from samverkan.telephony.models import ImportBatch, Queue
from samverkan.telephony.policies import CALCULATE_STAFFING, IMPORT_CALLS, VIEW_SERVICE_LEVEL
from samverkan.telephony.selectors import GROUPINGS, GroupRow


class QueueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Queue
        fields = [
            "id",
            "name",
            "label",
            "member",
            "service",
            "within_seconds",
            "goal",
            "convention",
            "short_abandon_seconds",
        ]
        read_only_fields = fields


class QueueViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = QueueSerializer
    capability = VIEW_SERVICE_LEVEL

    def get_queryset(self):
        return selectors.queues_for(self.request.user)


class ImportBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "file_name",
            "file_format",
            "sha256",
            "imported_at",
            "lines",
            "records_read",
            "records_created",
            "skipped_lines",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    file_format = serializers.ChoiceField(choices=ImportBatch.Format.choices, default=ImportBatch.Format.QUEUE_LOG)
    skip_bad_lines = serializers.BooleanField(default=False)
    csv_columns = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="CSV column mapping, e.g. callid=Samtal,queue=Kö"
    )
    csv_delimiter = serializers.CharField(
        required=False, allow_blank=True, max_length=1, trim_whitespace=False, help_text="empty: from the header"
    )

    def validate(self, attrs):
        try:
            attrs["csv_mapping"] = mapping_from_spec(attrs.get("csv_columns") or "", attrs.get("csv_delimiter") or None)
        except ValueError as exc:
            raise serializers.ValidationError({"csv_columns": str(exc)}) from None
        return attrs


class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List imports; POST a file (multipart) to import it (all-or-nothing unless skip_bad_lines)."""

    serializer_class = ImportBatchSerializer
    capability = IMPORT_CALLS
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self):
        return selectors.batches_for(self.request.user)

    @extend_schema(request=ImportUploadSerializer, responses={202: JobSerializer})
    def create(self, request):
        """Start the import as a background job: 202 with the job (poll its `url`; when done,
        `GET /imports/` lists the batch; a refused file: status "failed" and the line in `error`)."""
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        job = tasks.start(
            acting_user=request.user,
            upload=data["file"],
            file_format=data["file_format"],
            skip_bad_lines=data["skip_bad_lines"],
            csv_columns=data.get("csv_columns") or "",
            csv_delimiter=data.get("csv_delimiter") or "",
        )
        return job_uploads.accepted(job)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def calls(self, request, pk=None):
        """Every call this import added, as CSV (semicolon-separated, Swedish local time)."""
        file, name = selectors.calls_csv(request.user, self.get_object())
        return FileResponse(file, as_attachment=True, filename=name, content_type="text/csv; charset=utf-8")


class ServiceLevelGroupSerializer(serializers.Serializer):
    group = serializers.CharField(source="key")
    label = serializers.CharField()
    offered = serializers.IntegerField(source="stats.offered")
    answered = serializers.IntegerField(source="stats.answered")
    abandoned = serializers.IntegerField(source="stats.abandoned")
    answered_within = serializers.IntegerField(source="stats.answered_within")
    within_seconds = serializers.IntegerField(allow_null=True)
    service_level = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    goal = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    previous_year_service_level = serializers.DecimalField(
        source="previous_service_level", max_digits=5, decimal_places=4, allow_null=True
    )
    asa_seconds = serializers.SerializerMethodField()
    abandonment_rate = serializers.SerializerMethodField()
    longest_wait_seconds = serializers.IntegerField(source="stats.longest_wait")
    occupancy = serializers.SerializerMethodField(help_text="talk time / agents' logged-in, unpaused time")
    convention = serializers.CharField(
        allow_null=True, help_text="null: the group's queues have different rules and each counts by its own"
    )

    def get_asa_seconds(self, row: GroupRow) -> str | None:
        return _text(row.stats.asa_seconds())

    def get_abandonment_rate(self, row: GroupRow) -> str | None:
        return _text(row.stats.abandonment_rate())

    def get_occupancy(self, row: GroupRow) -> str | None:
        return _text(row.stats.occupancy())


def _text(value: Decimal | None) -> str | None:
    """Decimal string as the rest of the API gives figures (null when there is no figure)."""
    return str(value) if value is not None else None


class ServiceLevelQuerySerializer(serializers.Serializer):
    per = serializers.ChoiceField(choices=list(GROUPINGS), default="queue")
    year = year_field(required=False)
    queue = id_field(required=False)
    convention = serializers.ChoiceField(choices=[c.value for c in Convention], required=False)


class ServiceLevelView(APIView):
    capability = VIEW_SERVICE_LEVEL

    @extend_schema(parameters=[ServiceLevelQuerySerializer], responses=ServiceLevelGroupSerializer(many=True))
    def get(self, request):
        query = query_params(ServiceLevelQuerySerializer, request)
        queue = selectors.queue_get(request.user, query["queue"]) if query.get("queue") else None
        convention = Convention(query["convention"]) if query.get("convention") else None
        report = selectors.service_level_report(
            request.user, per=query["per"], year=query.get("year"), queue=queue, convention=convention
        )
        return Response(ServiceLevelGroupSerializer(report.rows, many=True).data)


def _seconds(maximum: int, minimum: int = 0, **kwargs) -> NumberField:
    return NumberField(max_digits=12, decimal_places=3, min_value=minimum, max_value=maximum, **kwargs)


class ErlangQuerySerializer(serializers.Serializer):
    """Every figure bounded by the one number parser; ratios are shares (0.8) or percentages (80 %)."""

    calls = NumberField(max_digits=13, decimal_places=6, min_value=0, max_value=erlang.MAX_CALLS)
    interval = serializers.IntegerField(
        min_value=erlang.MIN_INTERVAL_SECONDS, max_value=erlang.MAX_INTERVAL_SECONDS, default=1800
    )
    aht = _seconds(erlang.MAX_HANDLE_SECONDS, minimum=1)
    target = RatioField(min_value=Decimal("0.01"), max_value=Decimal("0.999"))
    within = _seconds(erlang.MAX_WITHIN_SECONDS)
    shrinkage = RatioField(max_value=Decimal("0.95"), default=Decimal("0"))
    max_occupancy = RatioField(min_value=Decimal("0.1"), default=Decimal("1"))
    patience = _seconds(
        erlang.MAX_PATIENCE_SECONDS,
        minimum=1,
        required=False,
        help_text="mean patience in seconds: Erlang A instead of C",
    )


class ErlangResultSerializer(serializers.Serializer):
    """The schema of :meth:`..usecases.IntervalStaffing.as_dict` (documentation only)."""

    agents = serializers.IntegerField()
    agents_with_shrinkage = serializers.IntegerField()
    service_level = serializers.FloatField()
    waiting_probability = serializers.FloatField()
    asa_seconds = serializers.FloatField()
    occupancy = serializers.FloatField()
    traffic_erlangs = serializers.FloatField()
    model = serializers.CharField()
    abandon_probability = serializers.FloatField(allow_null=True)


class ErlangView(APIView):
    capability = CALCULATE_STAFFING

    @extend_schema(parameters=[ErlangQuerySerializer], responses=ErlangResultSerializer)
    def get(self, request):
        query = ErlangQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        d = query.validated_data
        result = usecases.staffing_for_interval(  # a StaffingError (DomainError) answers 400
            calls=float(d["calls"]),
            interval_seconds=d["interval"],
            aht_seconds=float(d["aht"]),
            target=d["target"],
            within_seconds=float(d["within"]),
            shrinkage=d["shrinkage"],
            max_occupancy=d["max_occupancy"],
            patience_seconds=float(d["patience"]) if "patience" in d else None,
        )
        return Response(result.as_dict())


router = SimpleRouter()
router.register("queues", QueueViewSet, basename="queue")
router.register("imports", ImportBatchViewSet, basename="import")
