"""REST endpoints for billing: runs (preview → approve → issue), invoices, credit notes, files."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from samverkan.billing import selectors, services, usecases
from samverkan.billing.exporters import adapters
from samverkan.billing.forms import ProfileForm
from samverkan.billing.models import (
    BillingProfile,
    FrequencyRule,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    ManualLine,
    MemberBillingSetting,
    RunStatus,
)
from samverkan.billing.policies import (
    APPROVE_MANUAL_LINES,
    APPROVE_RUN,
    CREATE_RUN,
    CREDIT_INVOICE,
    EXPORT_LEDGER,
    ISSUE_INVOICE,
    MANAGE_MANUAL_LINES,
    MANAGE_SETTINGS,
    VIEW_INVOICES,
    VIEW_RUNS,
)
from samverkan.catalogue.selectors import items_for
from samverkan.core import jobs
from samverkan.core.api import JobSerializer
from samverkan.core.params import NumberField
from samverkan.core.scoping import ScopedFilterSet, ScopedSerializer
from samverkan.members.selectors import departments_for, members_for


class RunFrequencySerializer(serializers.Serializer):
    frequency = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateField(source="span.start", allow_null=True, default=None)
    end = serializers.DateField(source="span.end", allow_null=True, default=None)
    default = serializers.BooleanField()
    rules = serializers.ListField(child=serializers.CharField())


class InvoiceRunSerializer(serializers.ModelSerializer):
    invoice_count = serializers.IntegerField(read_only=True)
    warnings = serializers.SerializerMethodField()
    frequencies = serializers.SerializerMethodField()

    class Meta:
        model = InvoiceRun
        fields = [
            "id",
            "period",
            "timing",
            "prorata_rule",
            "status",
            "issue_date",
            "due_date",
            "created_at",
            "issued_at",
            "invoice_count",
            "warnings",
            "frequencies",
        ]
        read_only_fields = ["status", "due_date", "created_at", "issued_at"]
        extra_kwargs = {
            "issue_date": {"required": False},
            "timing": {"required": False},
            "prorata_rule": {"required": False},
        }

    def get_warnings(self, run) -> list[str]:
        return [w for w in run.note.splitlines() if w]

    @extend_schema_field(RunFrequencySerializer(many=True))
    def get_frequencies(self, run) -> list[dict]:
        """Each frequency in use and the months of it this run bills (start/end null: none)."""
        return RunFrequencySerializer(selectors.run_frequencies(run), many=True).data


class ReconciliationSerializer(serializers.Serializer):
    invoices_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    lines_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    sie_receivable = serializers.DecimalField(max_digits=16, decimal_places=2)
    balanced = serializers.BooleanField()


def wants_async(request) -> bool:
    """RFC 7240 ``Prefer: respond-async``: answer 202 with the background job instead of waiting."""
    return "respond-async" in request.headers.get("Prefer", "").replace(" ", "").split(",")


def job_accepted(job) -> Response:
    return Response(jobs.as_dict(job), status=status.HTTP_202_ACCEPTED, headers={"Location": jobs.api_url(job)})


ASYNC_NOTE = (
    " With the header `Prefer: respond-async` the work runs in the background: the answer is 202 with the job"
    " (poll its `url`, /api/v1/jobs/<id>/, until `status` is done or failed; `result_url` is the run's page)."
)


@extend_schema_view(
    create=extend_schema(
        description="Create the preview of a run (and queue the Peppol check of its drafts)." + ASYNC_NOTE,
        responses={201: InvoiceRunSerializer, 202: JobSerializer},
    )
)
class RunViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = InvoiceRunSerializer
    read_capability = VIEW_RUNS
    write_capability = CREATE_RUN
    filterset_fields = ["period", "status"]

    def get_queryset(self):
        return selectors.runs_for(self.request.user)

    def create(self, request, *args, **kwargs):
        if not wants_async(request):
            return super().create(request, *args, **kwargs)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v is not None}
        return job_accepted(
            usecases.start_run_create(acting_user=request.user, federation=request.user.federation, **data)
        )

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if v is not None}
        serializer.instance = services.invoice_run_create(
            acting_user=self.request.user, federation=self.request.user.federation, **data
        )
        serializer.instance.invoice_count = serializer.instance.invoices.count()
        if serializer.instance.invoice_count:  # the drafts' Peppol check, in the background
            usecases.start_run_validation(acting_user=self.request.user, run=serializer.instance)

    def perform_destroy(self, instance):
        services.invoice_run_discard(acting_user=self.request.user, run=instance)

    def _step(self, call):
        run = call(acting_user=self.request.user, run=self.get_object())
        return Response(InvoiceRunSerializer(selectors.runs_for(self.request.user).get(pk=run.pk)).data)

    @extend_schema(request=None, responses=InvoiceRunSerializer)
    @action(detail=True, methods=["post"], write_capability=APPROVE_RUN)
    def approve(self, request, pk=None):
        return self._step(services.invoice_run_approve)

    @extend_schema(
        request=None,
        responses={200: InvoiceRunSerializer, 202: JobSerializer},
        description="Number and issue every invoice of an approved run." + ASYNC_NOTE,
    )
    @action(detail=True, methods=["post"], write_capability=ISSUE_INVOICE)
    def issue(self, request, pk=None):
        if wants_async(request):
            return job_accepted(usecases.start_run_issue(acting_user=request.user, run=self.get_object()))
        return self._step(services.invoice_run_issue)

    @extend_schema(responses=ReconciliationSerializer)
    @action(detail=True, methods=["get"])
    def reconciliation(self, request, pk=None):
        rec = usecases.run_reconciliation(self.get_object())
        return Response(ReconciliationSerializer(rec.as_dict()).data)

    @extend_schema(responses={(200, "text/plain"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], read_capability=EXPORT_LEDGER)
    def sie(self, request, pk=None):
        run = self.get_object()
        if run.status != RunStatus.ISSUED:
            raise NotFound("Körningen är inte utfärdad.")
        return adapters.run_sie_download(run).response()

    @extend_schema(responses={(200, adapters.XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], read_capability=EXPORT_LEDGER)
    def xlsx(self, request, pk=None):
        run = self.get_object()
        return adapters.run_xlsx_download(run).response()


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "id",
            "description",
            "item",
            "quantity",
            "unit_code",
            "unit_price",
            "net",
            "vat_code",
            "invoice_reference",
            "period_start",
            "period_end",
            "order_number",
            "source_type",
        ]
        read_only_fields = fields


class InvoiceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    credits_number = serializers.CharField(source="credits.number", read_only=True, default=None)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "kind",
            "member",
            "member_name",
            "invoice_reference",
            "order_reference",
            "issued",
            "issue_date",
            "due_date",
            "period_start",
            "period_end",
            "net",
            "vat",
            "rounding",
            "total",
            "run",
            "credits",
            "credits_number",
            "note",
        ]
        read_only_fields = fields


def _runs_of_visible_invoices(user) -> QuerySet[InvoiceRun]:
    """A member contact filters its invoices by run without seeing the runs themselves."""
    return InvoiceRun.objects.filter(pk__in=selectors.invoices_for(user).values("run"))


class InvoiceFilter(ScopedFilterSet):
    scoped_fields = {"member": members_for, "run": _runs_of_visible_invoices}

    class Meta:
        model = Invoice
        fields = ["kind", "member", "run", "issued"]


class InvoiceDetailSerializer(InvoiceSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "lines"]


class CreditSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    lines = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=4),
        required=False,
        help_text="{radens id: antal}; utelämnat = hela fakturan",
    )

    def validate_lines(self, lines):
        """Keys are invoice line ids: plain ASCII digits, nothing else."""
        bad = [key for key in lines if not (key.isascii() and key.isdigit() and len(key) <= 18)]
        if bad:
            raise serializers.ValidationError(f"Okänt rad-id: {bad[0]!r} (ange radens id som heltal).")
        return {int(key): quantity for key, quantity in lines.items()}


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = InvoiceFilter
    read_capability = VIEW_INVOICES
    write_capability = CREDIT_INVOICE

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Invoice.objects.none()
        return selectors.invoices_for(self.request.user)

    def get_serializer_class(self):
        return InvoiceDetailSerializer if self.action == "retrieve" else InvoiceSerializer

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def peppol(self, request, pk=None):
        invoice = self.get_object()
        if not invoice.issued:
            raise NotFound("Fakturan är inte utfärdad.")
        return adapters.invoice_peppol_download(invoice).response()

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        invoice = self.get_object()
        return adapters.invoice_pdf_download(invoice).response()

    @extend_schema(request=CreditSerializer, responses=InvoiceDetailSerializer)
    @action(detail=True, methods=["post"])
    def credit(self, request, pk=None):
        body = CreditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        quantities = body.validated_data.get("lines") or None
        note = services.credit_note_create(
            acting_user=request.user,
            invoice=self.get_object(),
            quantities=quantities,
            reason=body.validated_data["reason"],
        )
        return Response(InvoiceDetailSerializer(note).data, status=status.HTTP_201_CREATED)


class MemberSettingSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"member": members_for}

    class Meta:
        model = MemberBillingSetting
        fields = ["id", "member", "per_reference", "buyer_reference"]
        extra_kwargs = {"per_reference": {"required": True}}
        validators = []  # saving a member's setting again updates it


class MemberSettingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """One invoice per member, or per member and invoice reference (POST again to change)."""

    serializer_class = MemberSettingSerializer
    capability = MANAGE_SETTINGS

    def get_queryset(self):
        return MemberBillingSetting.objects.filter(member__in=members_for(self.request.user)).order_by("member__name")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        member = get_object_or_404(members_for(self.request.user), pk=data.pop("member").pk)
        serializer.instance = services.member_billing_setting_update(
            acting_user=self.request.user, member=member, **data
        )


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillingProfile
        fields = ProfileForm.Meta.fields  # the settings page and the API edit the same settings


class ProfileView(GenericAPIView):
    """The federation's billing settings (accounts, series, timing): GET, and PATCH to change some."""

    serializer_class = ProfileSerializer
    capability = MANAGE_SETTINGS

    def get(self, request):
        return Response(ProfileSerializer(selectors.profile_for(request.user.federation)).data)

    def patch(self, request):
        profile = selectors.profile_for(request.user.federation)
        body = ProfileSerializer(profile, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        profile = services.billing_profile_update(
            acting_user=request.user, federation=request.user.federation, data=body.validated_data
        )
        return Response(ProfileSerializer(profile).data)


class FrequencyRuleSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"item": items_for}

    class Meta:
        model = FrequencyRule
        fields = ["id", "item", "activity", "frequency"]
        validators = []  # setting a service's or activity's frequency again changes it


class FrequencyRuleViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Invoicing frequency per service (item) or activity; POST again to change, DELETE for the default."""

    serializer_class = FrequencyRuleSerializer
    capability = MANAGE_SETTINGS

    def get_queryset(self):
        return selectors.frequency_rules_for(self.request.user).order_by("pk")

    def perform_create(self, serializer):
        serializer.instance = services.frequency_rule_set(
            acting_user=self.request.user, federation=self.request.user.federation, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.frequency_rule_delete(acting_user=self.request.user, rule=instance)


class ManualLineSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"member": members_for, "department": departments_for}
    quantity = NumberField(max_digits=14, decimal_places=4)
    unit_price = NumberField(max_digits=14, decimal_places=2, min_value=0)
    invoiced = serializers.BooleanField(read_only=True)
    billed_run = serializers.IntegerField(read_only=True, allow_null=True)
    created_by = serializers.StringRelatedField()
    approved_by = serializers.StringRelatedField()

    class Meta:
        model = ManualLine
        fields = [
            "id",
            "member",
            "department",
            "description",
            "quantity",
            "unit_price",
            "vat_code",
            "revenue_account",
            "activity",
            "period",
            "period_start",
            "period_end",
            "status",
            "invoiced",
            "billed_run",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
        ]
        read_only_fields = ["period_start", "period_end", "status", "created_at", "approved_at"]


class ManualLineViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Manual invoice lines: POST enters one (to approve), approve by another user, withdraw before billing."""

    serializer_class = ManualLineSerializer
    read_capability = VIEW_RUNS
    write_capability = MANAGE_MANUAL_LINES
    filterset_fields = ["status", "period"]

    def get_queryset(self):
        return selectors.manual_lines_for(self.request.user)

    def perform_create(self, serializer):
        line = services.manual_line_create(
            acting_user=self.request.user, federation=self.request.user.federation, **serializer.validated_data
        )
        serializer.instance = selectors.manual_lines_for(self.request.user).get(pk=line.pk)

    def _step(self, call):
        line = call(acting_user=self.request.user, line=self.get_object())
        return Response(ManualLineSerializer(selectors.manual_lines_for(self.request.user).get(pk=line.pk)).data)

    @extend_schema(request=None, responses=ManualLineSerializer)
    @action(detail=True, methods=["post"], write_capability=APPROVE_MANUAL_LINES)
    def approve(self, request, pk=None):
        return self._step(services.manual_line_approve)

    @extend_schema(request=None, responses=ManualLineSerializer)
    @action(detail=True, methods=["post"], write_capability=MANAGE_MANUAL_LINES)
    def withdraw(self, request, pk=None):
        return self._step(services.manual_line_withdraw)


router = SimpleRouter()
router.register("runs", RunViewSet, basename="run")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("member-settings", MemberSettingViewSet, basename="member-setting")
router.register("frequencies", FrequencyRuleViewSet, basename="frequency")
router.register("manual-lines", ManualLineViewSet, basename="manual-line")
