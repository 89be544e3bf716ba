"""API of finance: the ledger — import a SIE file; read the imported years, the chart of accounts
and the vouchers. Every read is scoped to the user's federation (another federation's id: 404)."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from samverkan.core import job_uploads
from samverkan.core.api import JobSerializer
from samverkan.core.api_errors import PayloadTooLarge
from samverkan.core.params import query_params
from samverkan.finance.models import Account, FiscalYear, Transaction, Voucher
from samverkan.finance.policies import IMPORT_LEDGER, VIEW_LEDGER
from samverkan.finance.selectors import ledger as selectors
from samverkan.finance.services.ledger import MAX_SIE_BYTES
from samverkan.finance.tasks import start_sie


class LedgerImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=f"SIE 1–4 (PC8 eller Latin-1), högst {MAX_SIE_BYTES // 1024 // 1024} MB.")
    encoding = serializers.ChoiceField(
        choices=["cp437", "latin-1"],
        required=False,
        allow_blank=True,
        default="",
        help_text="Tom: känns av automatiskt.",
    )

    def validate_file(self, upload):
        if upload.size > MAX_SIE_BYTES:
            raise PayloadTooLarge(
                _("Filen är för stor (%(size)s); högst %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_SIE_BYTES)}
            )
        return upload


class FiscalYearSerializer(serializers.ModelSerializer):
    federation = serializers.CharField(source="federation.slug", read_only=True)

    class Meta:
        model = FiscalYear
        fields = [
            "id",
            "federation",
            "year",
            "start",
            "end",
            "company_name",
            "orgnr",
            "program",
            "sie_type",
            "has_vouchers",
            "source_name",
            "source_sha256",
            "imported_at",
        ]
        read_only_fields = fields


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ["number", "name", "account_type", "sru"]
        read_only_fields = fields


class TransactionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transaction
        fields = [
            "account",
            "object_list",
            "activity",
            "project",
            "period",
            "date",
            "amount",
            "quantity",
            "text",
            "kind",
            "line",
        ]
        read_only_fields = fields


class VoucherSerializer(serializers.ModelSerializer):
    fiscal_year = serializers.IntegerField(source="fiscal_year_id", read_only=True)
    transactions = TransactionSerializer(many=True, read_only=True)

    class Meta:
        model = Voucher
        fields = ["id", "fiscal_year", "series", "number", "date", "text", "registered", "line", "transactions"]
        read_only_fields = fields


class VoucherQuery(serializers.Serializer):
    account = serializers.CharField(
        required=False, max_length=20, help_text="Konto eller början av ett (30 → 3010, 3041 …)."
    )
    series = serializers.CharField(required=False, max_length=20)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class ImportView(APIView):
    """POST a SIE file (multipart `file`, optional `encoding`): 202 and the background job that
    imports it (poll its `url`). Done: the job's `message` is the change summary and `result_url`
    the year's page; the year replaces an earlier import of the same year. A bad line: status
    "failed", the line's number in `error`, nothing written."""

    capability = IMPORT_LEDGER
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": LedgerImportSerializer}, responses={202: JobSerializer})
    def post(self, request):
        serializer = LedgerImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = start_sie(
            acting_user=request.user,
            upload=serializer.validated_data["file"],
            encoding=serializer.validated_data.get("encoding") or "",
        )
        return job_uploads.accepted(job)


class FiscalYearViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FiscalYearSerializer
    read_capability = VIEW_LEDGER
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self):
        return selectors.fiscal_years(self.request.user)

    @extend_schema(parameters=[VoucherQuery], responses=VoucherSerializer(many=True))
    @action(detail=True, methods=["get"])
    def vouchers(self, request, pk=None):
        params = query_params(VoucherQuery, request)
        qs = selectors.vouchers(
            request.user,
            self.get_object(),
            account=params.get("account", ""),
            series=params.get("series", ""),
            start=params.get("start"),
            end=params.get("end"),
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(VoucherSerializer(page, many=True).data)


class AccountViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AccountSerializer
    read_capability = VIEW_LEDGER
    lookup_field = "number"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Account.objects.none()
        return selectors.accounts(self.request.user, self.request.user.federation_id)


class VoucherViewSet(viewsets.GenericViewSet):
    serializer_class = VoucherSerializer
    read_capability = VIEW_LEDGER
    lookup_value_regex = r"\d{1,18}"

    def retrieve(self, request, pk=None):
        return Response(VoucherSerializer(selectors.voucher_get(request.user, pk)).data)


router = SimpleRouter()
router.register("fiscal-years", FiscalYearViewSet, basename="fiscal-year")
router.register("accounts", AccountViewSet, basename="account")
router.register("vouchers", VoucherViewSet, basename="voucher")
urlpatterns = [path("ledger/import/", ImportView.as_view(), name="ledger-import"), *router.urls]
