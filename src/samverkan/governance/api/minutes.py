"""API of governance: minutes, paragraphs, attendance, adjusters, adjustment, decision links and
the public notice board (/api/v1/governance/…). Reads need VIEW_MEETINGS (a board member: the
bodies they sit in and the minutes they adjust), writes EDIT_MEETINGS, approval ADJUST_MINUTES;
the notice board is public. Every write goes through services.minutes, which refuse locked minutes."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core.models import User
from samverkan.core.params import id_field
from samverkan.core.scoping import ScopedSerializer
from samverkan.governance.models import (
    Adjuster,
    AdjusterRole,
    Attendance,
    AttendanceKind,
    Body,
    Case,
    Meeting,
    Minutes,
    Paragraph,
)
from samverkan.governance.policies import ADJUST_MINUTES, EDIT_MEETINGS, VIEW_MEETINGS, VIEW_NOTICE_BOARD
from samverkan.governance.selectors import minutes as selectors
from samverkan.governance.selectors.meetings import agenda_cases_for, meetings_for
from samverkan.governance.services import minutes as services


class AttendanceSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=AttendanceKind.choices)

    class Meta:
        model = Attendance
        fields = ["id", "name", "title", "kind", "paragraphs"]
        read_only_fields = ["id"]


class AdjusterSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"user": selectors.adjuster_users_for}

    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    name = serializers.SerializerMethodField()
    role = serializers.ChoiceField(choices=AdjusterRole.choices, default=AdjusterRole.ADJUSTER)

    class Meta:
        model = Adjuster
        fields = ["id", "user", "name", "role", "approved_at"]
        read_only_fields = ["id", "name", "approved_at"]

    def get_name(self, obj) -> str:
        return obj.user.get_full_name() or obj.user.get_username()


class ParagraphSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"case": agenda_cases_for}

    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none(), allow_null=True, required=False)
    case_number = serializers.CharField(source="case.number", read_only=True, default="")
    label = serializers.SerializerMethodField()

    class Meta:
        model = Paragraph
        fields = [
            "id", "minutes", "label", "year", "number", "case", "case_number",
            "title", "text", "decision", "dispatch_to", "reservations",
        ]  # fmt: skip
        read_only_fields = ["id", "minutes", "label", "year", "number", "case_number"]

    def get_label(self, obj) -> str:
        return selectors.paragraph_label(obj)


class MinutesSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"meeting": meetings_for, "secretary": selectors.adjuster_users_for}

    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.none())
    secretary = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    body = serializers.CharField(source="meeting.body.name", read_only=True)
    date = serializers.DateField(source="meeting.date", read_only=True)

    class Meta:
        model = Minutes
        fields = [
            "id", "meeting", "body", "date", "secretary", "chair_name", "adjustment_place_time",
            "kept_at", "agenda_changes", "locked_at",
        ]  # fmt: skip
        read_only_fields = ["id", "body", "date", "locked_at"]


class MinutesDetailSerializer(MinutesSerializer):
    paragraphs = serializers.SerializerMethodField()
    attendance = serializers.SerializerMethodField()
    adjusters = serializers.SerializerMethodField()
    posting = serializers.SerializerMethodField()

    class Meta(MinutesSerializer.Meta):
        fields = [*MinutesSerializer.Meta.fields, "paragraphs", "attendance", "adjusters", "posting"]
        read_only_fields = [*MinutesSerializer.Meta.read_only_fields, "meeting"]

    def get_paragraphs(self, obj) -> list[dict]:
        return ParagraphSerializer(selectors.minutes_paragraphs(obj), many=True, context=self.context).data

    def get_attendance(self, obj) -> list[dict]:
        return AttendanceSerializer(selectors.minutes_attendance(obj), many=True).data

    def get_adjusters(self, obj) -> list[dict]:
        return AdjusterSerializer(selectors.minutes_adjusters(obj), many=True, context=self.context).data

    def get_posting(self, obj) -> dict | None:
        posting = getattr(obj, "posting", None) if obj.locked_at else None
        if posting is None:
            return None
        return {"posted_on": posting.posted_on, "taken_down_on": posting.taken_down_on, "kept_at": posting.kept_at}


def _ctx(request) -> dict:
    return {"request": request}


class MinutesList(APIView):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    serializer_class = MinutesSerializer

    @extend_schema(responses=MinutesSerializer(many=True))
    def get(self, request):
        rows = selectors.minutes_for(request.user).order_by("-meeting__date")
        return Response(MinutesSerializer(rows, many=True, context=_ctx(request)).data)

    @extend_schema(request=MinutesSerializer, responses={201: MinutesDetailSerializer})
    def post(self, request):
        serializer = MinutesSerializer(data=request.data, context=_ctx(request))
        serializer.is_valid(raise_exception=True)
        minutes = services.minutes_create(acting_user=request.user, **serializer.validated_data)
        return Response(MinutesDetailSerializer(minutes, context=_ctx(request)).data, status=status.HTTP_201_CREATED)


class MinutesDetail(APIView):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    serializer_class = MinutesDetailSerializer

    def get(self, request, pk: int):
        minutes = selectors.minutes_get(request.user, pk)
        return Response(MinutesDetailSerializer(minutes, context=_ctx(request)).data)

    def patch(self, request, pk: int):
        minutes = selectors.minutes_get(request.user, pk)
        serializer = MinutesDetailSerializer(minutes, data=request.data, partial=True, context=_ctx(request))
        serializer.is_valid(raise_exception=True)
        services.minutes_update(acting_user=request.user, minutes=minutes, data=serializer.validated_data)
        return Response(MinutesDetailSerializer(minutes, context=_ctx(request)).data)


class ApproveSerializer(serializers.Serializer):
    posted_on = serializers.DateField(required=False, allow_null=True)
    taken_down_on = serializers.DateField(required=False, allow_null=True)


class MinutesApprove(APIView):
    capability = ADJUST_MINUTES
    serializer_class = ApproveSerializer

    @extend_schema(request=ApproveSerializer, responses=MinutesDetailSerializer)
    def post(self, request, pk: int):
        minutes = selectors.minutes_get(request.user, pk)
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.minutes_approve(acting_user=request.user, minutes=minutes, **serializer.validated_data)
        minutes.refresh_from_db()
        return Response(MinutesDetailSerializer(minutes, context=_ctx(request)).data)


class ParagraphList(APIView):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    serializer_class = ParagraphSerializer

    @extend_schema(responses=ParagraphSerializer(many=True))
    def get(self, request, pk: int):
        minutes = selectors.minutes_get(request.user, pk)
        return Response(
            ParagraphSerializer(selectors.minutes_paragraphs(minutes), many=True, context=_ctx(request)).data
        )

    @extend_schema(request=ParagraphSerializer, responses={201: ParagraphSerializer})
    def post(self, request, pk: int):
        minutes = selectors.minutes_get(request.user, pk)
        serializer = ParagraphSerializer(data=request.data, context=_ctx(request))
        serializer.is_valid(raise_exception=True)
        paragraph = services.paragraph_add(acting_user=request.user, minutes=minutes, **serializer.validated_data)
        return Response(ParagraphSerializer(paragraph, context=_ctx(request)).data, status=status.HTTP_201_CREATED)


class DecisionTargetSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=sorted(services.DECISION_TARGETS))
    object_id = id_field()


class DecisionLinkSerializer(DecisionTargetSerializer):
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DecisionEffectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    target_type = serializers.CharField()
    object_id = serializers.IntegerField()
    target = serializers.CharField()
    description = serializers.CharField()


class ParagraphEffectsSerializer(ParagraphSerializer):
    effects = DecisionEffectSerializer(many=True, read_only=True)

    class Meta(ParagraphSerializer.Meta):
        fields = [*ParagraphSerializer.Meta.fields, "effects"]


def _effects(paragraph) -> list[dict]:
    return [
        {
            "id": link.pk,
            "target_type": f"{link.content_type.app_label}.{link.content_type.model}",
            "object_id": link.object_id,
            "target": str(link.target) if link.target is not None else "",
            "description": link.description,
        }
        for link in selectors.paragraph_effects(paragraph)
    ]


class ParagraphDetail(APIView):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    serializer_class = ParagraphSerializer

    @extend_schema(responses=ParagraphEffectsSerializer)
    def get(self, request, pk: int):
        paragraph = selectors.paragraph_get(request.user, pk)
        return Response({**ParagraphSerializer(paragraph, context=_ctx(request)).data, "effects": _effects(paragraph)})

    def patch(self, request, pk: int):
        paragraph = selectors.paragraph_get(request.user, pk)
        serializer = ParagraphSerializer(paragraph, data=request.data, partial=True, context=_ctx(request))
        serializer.is_valid(raise_exception=True)
        services.paragraph_update(acting_user=request.user, paragraph=paragraph, data=serializer.validated_data)
        return Response(ParagraphSerializer(paragraph, context=_ctx(request)).data)


class DecisionLinks(APIView):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    serializer_class = DecisionEffectSerializer

    @extend_schema(responses=DecisionEffectSerializer(many=True))
    def get(self, request, pk: int):
        return Response(_effects(selectors.paragraph_get(request.user, pk)))

    @extend_schema(request=DecisionLinkSerializer, responses={201: DecisionEffectSerializer(many=True)})
    def post(self, request, pk: int):
        paragraph = selectors.paragraph_get(request.user, pk)
        serializer = DecisionLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        app_label, model = data["target_type"].split(".")
        model_class = ContentType.objects.get_by_natural_key(app_label, model).model_class()
        target = model_class.objects.filter(pk=data["object_id"]).first()
        if target is None or services.decision_target_federation_id(target) != paragraph.body.federation_id:
            raise ValidationError({"object_id": _("Det finns inget sådant i förbundet.")})
        services.decision_link_add(
            acting_user=request.user, paragraph=paragraph, target=target, description=data["description"]
        )
        return Response(_effects(paragraph), status=status.HTTP_201_CREATED)


class DecisionLinkDetail(APIView):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    serializer_class = DecisionEffectSerializer

    def get(self, request, pk: int):
        link = selectors.decision_link_get(request.user, pk)
        return Response(next(e for e in _effects(link.paragraph) if e["id"] == link.pk))

    def delete(self, request, pk: int):
        services.decision_link_remove(acting_user=request.user, link=selectors.decision_link_get(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DecisionsFor(APIView):
    """The paragraphs that decided one object elsewhere in Samverkan:
    ?target_type=allocation.allocationrun&object_id=7 (only paragraphs the user may read)."""

    capability = VIEW_MEETINGS
    serializer_class = ParagraphSerializer

    @extend_schema(parameters=[DecisionTargetSerializer], responses=ParagraphSerializer(many=True))
    def get(self, request):
        serializer = DecisionTargetSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        app_label, model = serializer.validated_data["target_type"].split(".")
        model_class = ContentType.objects.get_by_natural_key(app_label, model).model_class()
        target = model_class(pk=serializer.validated_data["object_id"])
        readable = selectors.paragraphs_for(request.user)
        rows = [p for p in selectors.decisions_for(target) if readable.filter(pk=p.pk).exists()]
        return Response(ParagraphSerializer(rows, many=True, context=_ctx(request)).data)


class AttendanceList(APIView):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    serializer_class = AttendanceSerializer

    @extend_schema(responses=AttendanceSerializer(many=True))
    def get(self, request, pk: int):
        minutes = selectors.minutes_get(request.user, pk)
        return Response(AttendanceSerializer(selectors.minutes_attendance(minutes), many=True).data)

    @extend_schema(request=AttendanceSerializer, responses={201: AttendanceSerializer})
    def post(self, request, pk: int):
        minutes = selectors.minutes_get(request.user, pk)
        serializer = AttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.attendance_add(acting_user=request.user, minutes=minutes, **serializer.validated_data)
        return Response(AttendanceSerializer(row).data, status=status.HTTP_201_CREATED)


class AttendanceDetail(APIView):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    serializer_class = AttendanceSerializer

    def get(self, request, pk: int):
        return Response(AttendanceSerializer(selectors.attendance_get(request.user, pk)).data)

    def patch(self, request, pk: int):
        row = selectors.attendance_get(request.user, pk)
        serializer = AttendanceSerializer(row, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.attendance_update(acting_user=request.user, attendance=row, data=serializer.validated_data)
        return Response(AttendanceSerializer(row).data)

    def delete(self, request, pk: int):
        services.attendance_remove(acting_user=request.user, attendance=selectors.attendance_get(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AdjusterList(APIView):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    serializer_class = AdjusterSerializer

    @extend_schema(responses=AdjusterSerializer(many=True))
    def get(self, request, pk: int):
        minutes = selectors.minutes_get(request.user, pk)
        return Response(AdjusterSerializer(selectors.minutes_adjusters(minutes), many=True, context=_ctx(request)).data)

    @extend_schema(request=AdjusterSerializer, responses={201: AdjusterSerializer})
    def post(self, request, pk: int):
        minutes = selectors.minutes_get(request.user, pk)
        serializer = AdjusterSerializer(data=request.data, context=_ctx(request))
        serializer.is_valid(raise_exception=True)
        adjuster = services.adjuster_add(acting_user=request.user, minutes=minutes, **serializer.validated_data)
        return Response(AdjusterSerializer(adjuster, context=_ctx(request)).data, status=status.HTTP_201_CREATED)


class AdjusterDetail(APIView):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    serializer_class = AdjusterSerializer

    def get(self, request, pk: int):
        return Response(AdjusterSerializer(selectors.adjuster_get(request.user, pk), context=_ctx(request)).data)

    def delete(self, request, pk: int):
        services.adjuster_remove(acting_user=request.user, adjuster=selectors.adjuster_get(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


MAX_PARAGRAPH_NUMBER = 2**31 - 1  # ParagraphCounter.last is a PositiveIntegerField


class CounterSerializer(ScopedSerializer, serializers.Serializer):
    scoped_fields = {"body": selectors.counter_bodies_for}

    body = serializers.PrimaryKeyRelatedField(queryset=Body.objects.none())
    year = serializers.IntegerField(min_value=1900, max_value=2200)
    next_number = serializers.IntegerField(min_value=1, max_value=MAX_PARAGRAPH_NUMBER)


class CounterResultSerializer(serializers.Serializer):
    body = serializers.IntegerField()
    year = serializers.IntegerField()
    next_number = serializers.IntegerField()


class ParagraphCounterSet(APIView):
    capability = EDIT_MEETINGS
    serializer_class = CounterSerializer

    @extend_schema(request=CounterSerializer, responses=CounterResultSerializer)
    def post(self, request):
        serializer = CounterSerializer(data=request.data, context=_ctx(request))
        serializer.is_valid(raise_exception=True)
        counter = services.paragraph_counter_set(acting_user=request.user, **serializer.validated_data)
        return Response({"body": counter.body_id, "year": counter.year, "next_number": counter.last + 1})


class PostingSerializer(serializers.Serializer):
    taken_down_on = serializers.DateField()


class PostingDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    minutes = serializers.IntegerField()
    posted_on = serializers.DateField()
    taken_down_on = serializers.DateField()
    kept_at = serializers.CharField()


class NoticePostingDetail(APIView):
    """A posted notice; PATCH moves its take-down date (never before the appeal period ends)."""

    read_capability = VIEW_MEETINGS
    write_capability = EDIT_MEETINGS
    serializer_class = PostingDetailSerializer

    def _data(self, posting) -> dict:
        return {
            "id": posting.pk,
            "minutes": posting.minutes_id,
            "posted_on": posting.posted_on,
            "taken_down_on": posting.taken_down_on,
            "kept_at": posting.kept_at,
        }

    def get(self, request, pk: int):
        return Response(self._data(selectors.posting_get(request.user, pk)))

    @extend_schema(request=PostingSerializer, responses=PostingDetailSerializer)
    def patch(self, request, pk: int):
        posting = selectors.posting_get(request.user, pk)
        serializer = PostingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.notice_extend(acting_user=request.user, posting=posting, **serializer.validated_data)
        return Response(self._data(posting))


class NoticeBoard(APIView):
    """The public notice board of a federation: current notices and the history."""

    capability = VIEW_NOTICE_BOARD
    authentication_classes: list = []

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, slug: str):
        federation = selectors.federation_by_slug(slug)
        return Response(selectors.notice_board(federation, timezone.localdate()).as_dict())


urlpatterns = [
    path("minutes/", MinutesList.as_view(), name="minutes-list"),
    path("minutes/<int:pk>/", MinutesDetail.as_view(), name="minutes-detail"),
    path("minutes/<int:pk>/approve/", MinutesApprove.as_view(), name="minutes-approve"),
    path("minutes/<int:pk>/paragraphs/", ParagraphList.as_view(), name="paragraph-list"),
    path("minutes/<int:pk>/attendance/", AttendanceList.as_view(), name="attendance-list"),
    path("minutes/<int:pk>/adjusters/", AdjusterList.as_view(), name="adjuster-list"),
    path("paragraphs/<int:pk>/", ParagraphDetail.as_view(), name="paragraph-detail"),
    path("paragraphs/<int:pk>/decision-links/", DecisionLinks.as_view(), name="decision-links"),
    path("decision-links/<int:pk>/", DecisionLinkDetail.as_view(), name="decision-link-detail"),
    path("decisions/", DecisionsFor.as_view(), name="decisions-for"),
    path("attendance/<int:pk>/", AttendanceDetail.as_view(), name="attendance-detail"),
    path("adjusters/<int:pk>/", AdjusterDetail.as_view(), name="adjuster-detail"),
    path("paragraph-counters/", ParagraphCounterSet.as_view(), name="paragraph-counter"),
    path("notice-postings/<int:pk>/", NoticePostingDetail.as_view(), name="notice-posting-detail"),
    path("notice-board/<slug:slug>/", NoticeBoard.as_view(), name="notice-board"),
]
