"""API of the agreement register (/api/v1/governance/agreements/…): list, detail with computed
dates and revisions, create/update (JSON, or multipart with `file`), revisions, file download."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core.api_errors import BoundedJSONParser
from samverkan.core.scoping import ScopedSerializer
from samverkan.governance.models import Agreement, AgreementRevision
from samverkan.governance.policies import EDIT_AGREEMENTS, VIEW_AGREEMENTS
from samverkan.governance.selectors import agreements as selectors
from samverkan.governance.services import agreements as services
from samverkan.members.selectors import members_for


class RevisionSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"paragraph": selectors.paragraphs_for}

    class Meta:
        model = AgreementRevision
        fields = ["id", *services.REVISION_FIELDS]
        read_only_fields = ["id"]


class AgreementSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"host_member": members_for, "responsible": selectors.staff_for, "case": selectors.cases_for}
    file = serializers.FileField(write_only=True, required=False)
    has_file = serializers.SerializerMethodField()
    next_notice_deadline = serializers.SerializerMethodField()
    next_term_end = serializers.SerializerMethodField()
    review_date = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            *services.AGREEMENT_FIELDS,
            "file",
            "has_file",
            "reminded_at",
            "next_notice_deadline",
            "next_term_end",
            "review_date",
        ]
        read_only_fields = ["id", "reminded_at"]

    def _dates(self, agreement):
        cache = self.context.setdefault("_dates", {})
        if agreement.pk not in cache:
            cache[agreement.pk] = selectors.agreement_dates(agreement, timezone.localdate())
        return cache[agreement.pk]

    def get_has_file(self, agreement) -> bool:
        return bool(agreement.file)

    def get_next_notice_deadline(self, agreement) -> str | None:
        notice = self._dates(agreement).notice
        return notice.deadline.isoformat() if notice else None

    def get_next_term_end(self, agreement) -> str | None:
        notice = self._dates(agreement).notice
        return notice.term_end.isoformat() if notice else None

    def get_review_date(self, agreement) -> str | None:
        review = self._dates(agreement).review_by
        return review.isoformat() if review else None


class AgreementDetailSerializer(AgreementSerializer):
    revisions = RevisionSerializer(many=True, read_only=True)

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "revisions"]


class AgreementList(generics.ListAPIView):
    """Agreements of the federation with their next notice deadline and review date; POST creates one."""

    serializer_class = AgreementSerializer
    read_capability = VIEW_AGREEMENTS
    write_capability = EDIT_AGREEMENTS
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.agreements_for(self.request.user).prefetch_related("revisions")

    @extend_schema(request=AgreementSerializer, responses={201: AgreementDetailSerializer})
    def post(self, request):
        payload = AgreementSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        agreement = services.agreement_create(
            acting_user=request.user, federation=request.user.federation, **payload.validated_data
        )
        return Response(
            AgreementDetailSerializer(agreement, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class AgreementDetail(generics.RetrieveAPIView):
    serializer_class = AgreementDetailSerializer
    read_capability = VIEW_AGREEMENTS
    write_capability = EDIT_AGREEMENTS
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.agreements_for(self.request.user).prefetch_related("revisions")

    @extend_schema(request=AgreementSerializer, responses=AgreementDetailSerializer)
    def patch(self, request, pk: int):
        agreement = self.get_object()
        payload = AgreementSerializer(agreement, data=request.data, partial=True, context={"request": request})
        payload.is_valid(raise_exception=True)
        agreement = services.agreement_update(acting_user=request.user, agreement=agreement, **payload.validated_data)
        return Response(AgreementDetailSerializer(agreement, context={"request": request}).data)


class RevisionList(APIView):
    """POST a revision of the agreement (decided on, by, §, Dnr, optional paragraph id, change, review date)."""

    read_capability = VIEW_AGREEMENTS
    write_capability = EDIT_AGREEMENTS

    @extend_schema(responses=RevisionSerializer(many=True))
    def get(self, request, pk: int):
        agreement = selectors.agreement_get(request.user, pk)
        return Response(RevisionSerializer(agreement.revisions.all(), many=True, context={"request": request}).data)

    @extend_schema(request=RevisionSerializer, responses={201: RevisionSerializer})
    def post(self, request, pk: int):
        agreement = selectors.agreement_get(request.user, pk)
        payload = RevisionSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        revision = services.revision_add(acting_user=request.user, agreement=agreement, **payload.validated_data)
        return Response(RevisionSerializer(revision, context={"request": request}).data, status=status.HTTP_201_CREATED)


class AgreementFile(APIView):
    capability = VIEW_AGREEMENTS

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk: int):
        agreement = selectors.agreement_get(request.user, pk)
        if not agreement.file:
            raise Http404
        name = agreement.file.name.rsplit("/", 1)[-1]
        response = FileResponse(agreement.file.open("rb"), as_attachment=True, filename=name)
        response["X-Content-Type-Options"] = "nosniff"
        return response


urlpatterns = [
    path("agreements/", AgreementList.as_view(), name="agreement-list"),
    path("agreements/<int:pk>/", AgreementDetail.as_view(), name="agreement-detail"),
    path("agreements/<int:pk>/revisions/", RevisionList.as_view(), name="agreement-revisions"),
    path("agreements/<int:pk>/file/", AgreementFile.as_view(), name="agreement-file"),
]
