"""API of governance: the case register (cases, documents with multipart upload, links) and
the public register (no login; masked by the selector)."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from samverkan.core.api_errors import BoundedJSONParser
from samverkan.core.params import id_or_none, year_or
from samverkan.core.scoping import ScopedSerializer
from samverkan.governance.models import Case, CaseDocument, CaseLink
from samverkan.governance.policies import EDIT_CASES, VIEW_CASES, VIEW_PUBLIC_REGISTER
from samverkan.governance.selectors import cases as selectors
from samverkan.governance.services import cases as services


class CaseSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"officer": selectors.officers_for}
    number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="Tomt: nästa nummer. Ett befintligt nummer registrerar ett äldre ärende (bara vid skapande).",
    )

    class Meta:
        model = Case
        fields = ["id", "number", "year", "sequence", "title", "opened", "closed", "officer", "status", "secret_title"]
        read_only_fields = ["year", "sequence", "closed", "status"]
        validators = []  # numbers are the service's


class CaseCloseSerializer(serializers.Serializer):
    closed = serializers.DateField()


class DocumentSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"case": selectors.cases_for}
    upload = serializers.FileField(write_only=True, required=False, help_text="Filen (multipart).")
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "case",
            "sequence",
            "kind",
            "date",
            "title",
            "counterparty",
            "secrecy",
            "upload",
            "has_file",
            "registered_at",
        ]
        read_only_fields = ["sequence", "registered_at"]

    def get_has_file(self, document: CaseDocument) -> bool:
        return bool(document.file)


class LinkSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"case": selectors.cases_for}
    type = serializers.ChoiceField(choices=sorted(selectors.LINK_TYPES), write_only=True)
    target_id = serializers.IntegerField(write_only=True, min_value=1)
    type_label = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = CaseLink
        fields = ["id", "case", "type", "target_id", "note", "type_label", "label", "url"]

    def _shown(self, link: CaseLink):
        return next(s for s in selectors.case_links(link.case) if s.link.pk == link.pk)

    def get_type_label(self, link: CaseLink) -> str:
        return self._shown(link).type_label

    def get_label(self, link: CaseLink) -> str:
        return self._shown(link).label

    def get_url(self, link: CaseLink) -> str | None:
        return self._shown(link).url


class CaseViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cases of the user's federation; `?q=` searches numbers, titles, document titles and
    counterparties, `?year=` picks a year, `?link_type=agreement&link_id=5` gives the cases
    linked to that object."""

    read_capability = VIEW_CASES
    write_capability = EDIT_CASES
    serializer_class = CaseSerializer

    def get_queryset(self):
        query = self.request.query_params.get("q", "")
        if query and self.action == "list":
            return selectors.case_search(self.request.user, query)
        params = self.request.query_params
        link_id = id_or_none(params.get("link_id"))
        if self.action == "list" and params.get("link_type") and link_id:
            target = selectors.link_target_get(self.request.user, params["link_type"], link_id)
            return selectors.cases_linked_to(self.request.user, target).order_by("-year", "-sequence")
        cases = selectors.cases_for(self.request.user).order_by("-year", "-sequence")
        year = params.get("year")
        return cases.filter(year=year_or(year, 0)) if year else cases

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("link_type", OpenApiTypes.STR, enum=sorted(selectors.LINK_TYPES)),
            OpenApiParameter("link_id", OpenApiTypes.INT),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.case_open(
            acting_user=self.request.user, federation=self.request.user.federation, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("number", None)
        serializer.instance = services.case_update(
            acting_user=self.request.user, case=selectors.case_get(self.request.user, serializer.instance.pk), data=data
        )

    @extend_schema(request=CaseCloseSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        body = CaseCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_close(
            acting_user=request.user, case=self.get_object(), closed=body.validated_data["closed"]
        )
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)


class DocumentViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Documents of the user's cases; create with multipart (`upload`) or JSON (no file)."""

    read_capability = VIEW_CASES
    write_capability = EDIT_CASES
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser, BoundedJSONParser]

    def get_queryset(self):
        documents = selectors.documents_for(self.request.user).order_by("case", "sequence")
        case = id_or_none(self.request.query_params.get("case"))
        return documents.filter(case_id=case) if case else documents

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        case = selectors.case_get(self.request.user, data.pop("case").pk)
        upload = data.pop("upload", None)
        serializer.instance = services.document_register(
            acting_user=self.request.user, case=case, upload=upload, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("case", None)
        data.pop("upload", None)
        serializer.instance = services.document_update(
            acting_user=self.request.user,
            document=selectors.document_get(self.request.user, serializer.instance.pk),
            data=data,
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The document's file (VIEW_CASES; secrecy-marked documents included)."""
        document = self.get_object()
        if not document.file:
            raise Http404
        name = document.file.name.rsplit("/", 1)[-1]
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = FileResponse(document.file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class LinkViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """What cases concern: POST {case, type, target_id, note}; another federation's target → 404."""

    read_capability = VIEW_CASES
    write_capability = EDIT_CASES
    serializer_class = LinkSerializer

    def get_queryset(self):
        links = selectors.links_for(self.request.user).order_by("case", "pk")
        case = id_or_none(self.request.query_params.get("case"))
        return links.filter(case_id=case) if case else links

    def perform_create(self, serializer):
        data = serializer.validated_data
        case = selectors.case_get(self.request.user, data["case"].pk)
        target = selectors.link_target_get(self.request.user, data["type"], data["target_id"])
        serializer.instance = services.link_add(
            acting_user=self.request.user, case=case, target=target, note=data.get("note", "")
        )

    def perform_destroy(self, instance):
        services.link_remove(acting_user=self.request.user, link=instance)


class PublicDocumentSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    kind = serializers.CharField()
    date = serializers.DateField()
    secret = serializers.BooleanField()
    secrecy = serializers.CharField()
    title = serializers.CharField(allow_null=True)
    counterparty = serializers.CharField(allow_null=True)


class PublicCaseSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField(allow_null=True)
    opened = serializers.DateField()
    closed = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    documents = PublicDocumentSerializer(many=True)


class PublicRegisterView(generics.GenericAPIView):
    """The public register of a federation (by slug) for a year (`?year=`, default the latest):
    a secret title is null, a secrecy-marked document has only its number, date, kind and the
    OSL reference. No login."""

    capability = VIEW_PUBLIC_REGISTER
    serializer_class = PublicCaseSerializer
    queryset = Case.objects.none()  # for the schema; rows come from selectors.public_register
    authentication_classes: list = []  # public: a session cookie adds nothing and needs no CSRF

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT)], responses=PublicCaseSerializer(many=True))
    def get(self, request, slug: str):
        federation = selectors.public_federation_get(slug)
        years = selectors.public_register_years(federation)
        year = year_or(request.query_params.get("year"), years[0] if years else 0)
        cases = selectors.public_register(federation, year) if years else []
        return Response(
            {"federation": federation.slug, "year": year or None, "years": years, "cases": [c.as_dict() for c in cases]}
        )


router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("case-documents", DocumentViewSet, basename="case-document")
router.register("case-links", LinkViewSet, basename="case-link")
urlpatterns = [
    *router.urls,
    path("public-register/<slug:slug>/", PublicRegisterView.as_view(), name="public-register"),
]
