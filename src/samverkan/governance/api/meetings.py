"""API of governance: meetings, agenda items (CRUD and reorder), the notice, the plan as iCalendar
(/api/v1/governance/…). Reads need VIEW_MEETINGS (a board member: the bodies they sit in),
writes EDIT_MEETINGS; every write goes through services.meetings."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core.params import id_or_none, year_or
from samverkan.core.scoping import ScopedSerializer
from samverkan.governance.exporters import ical
from samverkan.governance.models import AgendaItem, AgendaItemKind, Body, Case, CaseDocument, Meeting
from samverkan.governance.policies import EDIT_MEETINGS, VIEW_MEETINGS
from samverkan.governance.selectors import meetings as selectors
from samverkan.governance.services import meetings as services


class AgendaDocumentSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = CaseDocument
        fields = ["id", "case_number", "sequence", "kind", "date", "title", "secrecy"]
        read_only_fields = fields


class AgendaItemSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"case": selectors.agenda_cases_for, "documents": selectors.agenda_documents_for}

    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none(), allow_null=True, required=False)
    documents = serializers.PrimaryKeyRelatedField(queryset=CaseDocument.objects.none(), many=True, required=False)
    case_number = serializers.CharField(source="case.number", read_only=True, default="")
    document_details = AgendaDocumentSerializer(source="documents", many=True, read_only=True)
    position = serializers.IntegerField(min_value=1, required=False)
    kind = serializers.ChoiceField(choices=AgendaItemKind.choices, default=AgendaItemKind.CASE)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "position",
            "kind",
            "title",
            "case",
            "case_number",
            "proposal",
            "presenter",
            "documents",
            "document_details",
            "dispatch_to",
            "extra",
        ]
        read_only_fields = ["id", "meeting", "case_number", "document_details"]
        extra_kwargs = {"extra": {"required": False, "default": None, "allow_null": True}}


class MeetingSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"body": selectors.meeting_bodies_for}

    body = serializers.PrimaryKeyRelatedField(queryset=Body.objects.none())
    body_name = serializers.CharField(source="body.name", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "body",
            "body_name",
            "date",
            "start_time",
            "end_time",
            "place",
            "topics",
            "status",
            "notice_sent_at",
        ]
        read_only_fields = ["id", "body_name", "notice_sent_at"]


class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "agenda"]
        read_only_fields = [*MeetingSerializer.Meta.read_only_fields, "body", "agenda"]


def _meeting(request, pk: int) -> Meeting:
    return selectors.meeting_get(request.user, pk)


class MeetingList(generics.ListCreateAPIView):
    """Meetings the user may read (`?organ=` body id, `?ar=` year); POST plans a meeting with
    the fixed opening items."""

    serializer_class = MeetingSerializer
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS

    @extend_schema(
        parameters=[
            OpenApiParameter("organ", int, description="Organets id"),
            OpenApiParameter("ar", int, description="År"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.meetings_for(self.request.user).order_by("date", "start_time")
        body = id_or_none(self.request.query_params.get("organ"))
        if body:
            qs = qs.filter(body_id=body)
        year = year_or(self.request.query_params.get("ar"), 0)
        if year:
            qs = qs.filter(date__year=year)
        return qs

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("status", None)
        serializer.instance = services.meeting_create(acting_user=self.request.user, **data)


class MeetingDetail(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = MeetingDetailSerializer
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS

    def get_queryset(self):
        return selectors.meetings_for(self.request.user)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.MEETING_FIELDS}
        serializer.instance = services.meeting_update(
            acting_user=self.request.user, meeting=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.meeting_delete(acting_user=self.request.user, meeting=instance)


class AgendaList(generics.ListCreateAPIView):
    """A meeting's agenda in order; POST adds an item (at `position`, else last)."""

    serializer_class = AgendaItemSerializer
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return AgendaItem.objects.none()
        return selectors.agenda_items_for(self.request.user).filter(meeting=_meeting(self.request, self.kwargs["pk"]))

    def perform_create(self, serializer):
        meeting = _meeting(self.request, self.kwargs["pk"])
        serializer.instance = services.agenda_item_add(
            acting_user=self.request.user, meeting=meeting, **serializer.validated_data
        )


class AgendaDetail(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = AgendaItemSerializer
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    lookup_url_kwarg = "item"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return AgendaItem.objects.none()
        # through the meeting (a pk lookup): an id too large for the database is a 404, not a 500
        return selectors.agenda_items_for(self.request.user).filter(meeting=_meeting(self.request, self.kwargs["pk"]))

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in {*services.ITEM_FIELDS, "documents"}}
        if data.get("extra") is None:
            data.pop("extra", None)
        serializer.instance = services.agenda_item_update(
            acting_user=self.request.user, item=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.agenda_item_delete(acting_user=self.request.user, item=instance)


class ReorderSerializer(serializers.Serializer):
    order = serializers.ListField(child=serializers.IntegerField(), help_text="Alla punkternas id i ny ordning.")


class AgendaReorder(APIView):
    capability = EDIT_MEETINGS

    @extend_schema(request=ReorderSerializer, responses=AgendaItemSerializer(many=True))
    def post(self, request, pk: int):
        payload = ReorderSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        items = services.agenda_reorder(
            acting_user=request.user, meeting=_meeting(request, pk), order=payload.validated_data["order"]
        )
        return Response(AgendaItemSerializer(items, many=True, context={"request": request}).data)


class NoticeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoticeResultSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    sent_at = serializers.DateTimeField()
    members = serializers.ListField(child=serializers.CharField())
    for_information = serializers.ListField(child=serializers.CharField())
    without_email = serializers.ListField(child=serializers.CharField())
    resent = serializers.BooleanField()


class NoticeSend(APIView):
    """Send the notice (again: with a `note`); mail goes out when the transaction commits."""

    capability = EDIT_MEETINGS

    @extend_schema(request=NoticeSerializer, responses={201: NoticeResultSerializer})
    def post(self, request, pk: int):
        payload = NoticeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = services.notice_send(
            acting_user=request.user,
            meeting=_meeting(request, pk),
            note=payload.validated_data["note"],
            base_url=request.build_absolute_uri("/"),
        )
        return Response(result.as_dict(), status=status.HTTP_201_CREATED)


class PlanCalendar(APIView):
    """A body's meeting plan for a year as iCalendar (text/calendar), one VEVENT per meeting."""

    capability = VIEW_MEETINGS

    @extend_schema(responses={(200, "text/calendar"): str})
    def get(self, request, body: int, year: int):
        body_obj = get_object_or_404(selectors.meeting_bodies_for(request.user), pk=body)
        name = _("Sammanträdesplan %(year)s för %(body)s") % {"year": year, "body": body_obj.name}
        content = ical.meeting_plan_ics(
            selectors.meeting_plan(request.user, body_obj, year),
            name=name,
            host=request.get_host().split(":")[0] or "samverkan",
        )
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="sammantradesplan-{body_obj.pk}-{year}.ics"'
        return response


urlpatterns = [
    path("meetings/", MeetingList.as_view(), name="meeting-list"),
    path("meetings/<int:pk>/", MeetingDetail.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/agenda/", AgendaList.as_view(), name="agenda-list"),
    path("meetings/<int:pk>/agenda/reorder/", AgendaReorder.as_view(), name="agenda-reorder"),
    path("meetings/<int:pk>/agenda/<int:item>/", AgendaDetail.as_view(), name="agenda-detail"),
    path("meetings/<int:pk>/notice/", NoticeSend.as_view(), name="meeting-notice"),
    path("meeting-plans/<int:body>/<int:year>.ics", PlanCalendar.as_view(), name="meeting-plan-ical"),
]
