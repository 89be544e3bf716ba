"""REST API of the portal. Querysets from scoped selectors; writes through services."""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.http import FileResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from samverkan.catalogue import selectors as catalogue_selectors
from samverkan.catalogue.models import ORDER_API_FIELDS, ORDER_API_READ_ONLY, Order
from samverkan.catalogue.policies import APPROVE_ORDER, DELIVER_ORDER, PLACE_ORDER, VIEW_ORDERS
from samverkan.core.actors import system_actor
from samverkan.core.api_errors import BoundedJSONParser, PayloadTooLarge
from samverkan.core.models import User
from samverkan.core.params import id_field, query_params, year_field
from samverkan.core.scoping import ScopedSerializer
from samverkan.domain.sla import SlaStatus
from samverkan.members.models import Department, Member
from samverkan.members.selectors import departments_for, members_for
from samverkan.portal import selectors, usecases
from samverkan.portal.forms import desk_agents_for
from samverkan.portal.models import (
    Attachment,
    Channel,
    Comment,
    ImpactChoices,
    PriorityChoices,
    StandardText,
    Status,
    Team,
    Ticket,
    TicketType,
    TimeEntry,
    UrgencyChoices,
)
from samverkan.portal.policies import (
    ANSWER_SURVEY,
    COMMENT_ON_TICKET,
    CREATE_TICKET,
    EXPORT_BILLABLE_TIME,
    IMPORT_MAIL,
    MANAGE_STANDARD_TEXTS,
    VIEW_TICKET_STATISTICS,
    VIEW_TICKETS,
    WORK_DESK,
)
from samverkan.portal.services.attachments import attachment_add
from samverkan.portal.services.comments import comment_add
from samverkan.portal.services.inbound_mail import inbound_mail_receive
from samverkan.portal.services.surveys import survey_answer
from samverkan.portal.services.tickets import ticket_assign, ticket_create
from samverkan.portal.services.time_entries import time_entry_add
from samverkan.portal.services.workflow import ticket_change_status
from samverkan.portal.sla import SlaContext


class SlaTimerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[s.value for s in SlaStatus])
    elapsed_minutes = serializers.IntegerField(help_text="Arbetsminuter hittills.")
    target_minutes = serializers.IntegerField(help_text="Mål i arbetsminuter.")
    due_at = serializers.DateTimeField(allow_null=True)
    paused = serializers.BooleanField()


class SlaSerializer(serializers.Serializer):
    response = SlaTimerSerializer()
    resolution = SlaTimerSerializer()


@extend_schema_field(SlaSerializer)
class SlaField(serializers.Field):
    """The ticket's two SLA timers, computed (not stored); documented by SlaSerializer."""

    def to_representation(self, ticket: Ticket):
        context = self.context.setdefault("sla_context", SlaContext())
        state = context.state(ticket)

        def timer(t):
            return {
                "status": t.status.value,
                "elapsed_minutes": t.elapsed_minutes,
                "target_minutes": t.target_minutes,
                "due_at": t.due_at,
                "paused": t.paused,
            }

        return {"response": timer(state.response), "resolution": timer(state.resolution)}


class TicketSerializer(serializers.ModelSerializer):
    sla = SlaField(source="*", read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "title",
            "description",
            "status",
            "channel",
            "type",
            "team",
            "category",
            "impact",
            "urgency",
            "priority",
            "member",
            "department",
            "requester",
            "requester_name",
            "assignee",
            "order_reference",
            "created_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "merged_into",
            "sla",
        ]
        read_only_fields = fields


class TicketCreateSerializer(ScopedSerializer, serializers.Serializer):
    scoped_fields = {"team": selectors.teams_for, "member": members_for, "department": departments_for}

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none())
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.none())
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.none(), required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=Ticket._meta.get_field("channel").choices, required=False)
    type = serializers.ChoiceField(choices=Ticket._meta.get_field("type").choices, required=False)
    impact = serializers.ChoiceField(choices=ImpactChoices, required=False, default=3)
    urgency = serializers.ChoiceField(choices=UrgencyChoices, required=False, default=2)
    order_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)


class CommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comment
        fields = ["id", "author_name", "body", "internal", "via", "created_at"]
        read_only_fields = ["id", "author_name", "via", "created_at"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "internal", "uploaded_at"]


class TimeEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeEntry
        fields = ["id", "day", "minutes", "billable", "note", "user"]
        read_only_fields = ["id", "user"]


@extend_schema_serializer(component_name="TicketStatusChange")
class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)


class AssignSerializer(ScopedSerializer, serializers.Serializer):
    scoped_fields = {"assignee": desk_agents_for}

    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), allow_null=True, required=False)


class SurveySerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=10)
    comment = serializers.CharField(required=False, allow_blank=True)


class TicketFilterSerializer(serializers.Serializer):
    """Query parameters of the ticket list (all optional); the same filters as the queue page."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Fritextsökning.")
    status = serializers.ChoiceField(
        choices=[("open", "Alla öppna"), *Status.choices], required=False, allow_blank=True
    )
    team = id_field(required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, allow_blank=True)
    type = serializers.ChoiceField(choices=TicketType.choices, required=False, allow_blank=True)
    priority = serializers.ChoiceField(choices=PriorityChoices, required=False, allow_blank=True)
    assignee = serializers.RegexField(
        r"^(me|none|[1-9][0-9]{0,17})$",
        required=False,
        allow_blank=True,
        help_text='"me", "none" eller en användares id.',
        error_messages={"invalid": 'Ange "me", "none" eller ett användar-id.'},
    )
    mine = serializers.BooleanField(required=False, default=False, help_text="Bara mina ärenden.")


class StatisticsQuery(serializers.Serializer):
    year = year_field(required=False, help_text="Kalenderår, standard innevarande år.")
    team = serializers.CharField(required=False, allow_blank=True, max_length=50, help_text="Teamets kod.")


class BillableTimeRowSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    member_name = serializers.CharField()
    department_id = serializers.IntegerField(allow_null=True)
    department_name = serializers.CharField(allow_blank=True)
    invoice_reference = serializers.CharField(allow_blank=True)
    team_code = serializers.CharField()
    minutes = serializers.IntegerField()
    entries = serializers.IntegerField()


class BillableTimeQuery(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise ValidationError({"end": "Slutdatum före startdatum."})
        return attrs


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    internal = serializers.BooleanField(required=False, default=False)


class TicketViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tickets the user may see; `?q=` searches title, description and visible comments."""

    serializer_class = TicketSerializer
    read_capability = VIEW_TICKETS
    write_capability = CREATE_TICKET  # the actions below name their own
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Ticket.objects.none()
        if self.action != "list":
            return selectors.tickets_for(self.request.user)
        filters = query_params(TicketFilterSerializer, self.request)
        mine = filters.pop("mine", False)
        return selectors.ticket_list(self.request.user, filters=filters, mine=mine)

    @extend_schema(parameters=[TicketFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_object(self):
        return selectors.ticket_get(self.request.user, self.kwargs["pk"])

    @extend_schema(request=TicketCreateSerializer, responses={201: TicketSerializer})
    def create(self, request, *args, **kwargs):
        serializer = TicketCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        ticket = ticket_create(acting_user=request.user, **serializer.validated_data)
        return Response(TicketSerializer(ticket, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StatusSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"], write_capability=WORK_DESK)
    def status(self, request, pk=None):
        ticket = self.get_object()
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = ticket_change_status(
            acting_user=request.user, ticket=ticket, status=serializer.validated_data["status"]
        )
        return Response(TicketSerializer(ticket).data)

    @extend_schema(request=AssignSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"], write_capability=WORK_DESK)
    def assign(self, request, pk=None):
        ticket = self.get_object()
        serializer = AssignSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        ticket = ticket_assign(
            acting_user=request.user, ticket=ticket, assignee=serializer.validated_data.get("assignee")
        )
        return Response(TicketSerializer(ticket).data)

    @extend_schema(request=CommentSerializer, responses=CommentSerializer(many=True))
    @action(detail=True, methods=["get", "post"], write_capability=COMMENT_ON_TICKET)
    def comments(self, request, pk=None):
        ticket = self.get_object()
        if request.method == "POST":
            serializer = CommentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            comment = comment_add(
                acting_user=request.user,
                ticket=ticket,
                body=serializer.validated_data["body"],
                internal=serializer.validated_data.get("internal", False),
                via=Comment.Via.API,
            )
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        return Response(CommentSerializer(selectors.comments_for(request.user, ticket), many=True).data)

    @extend_schema(request=UploadSerializer, responses=AttachmentSerializer(many=True))
    @action(detail=True, methods=["get", "post"], write_capability=COMMENT_ON_TICKET)
    def attachments(self, request, pk=None):
        ticket = self.get_object()
        if request.method == "POST":
            serializer = UploadSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            attachment = attachment_add(
                acting_user=request.user,
                ticket=ticket,
                upload=serializer.validated_data["file"],
                internal=serializer.validated_data["internal"],
            )
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
        return Response(AttachmentSerializer(selectors.attachments_for(request.user, ticket), many=True).data)

    @extend_schema(request=TimeEntrySerializer, responses=TimeEntrySerializer(many=True))
    @action(detail=True, methods=["get", "post"], read_capability=WORK_DESK, write_capability=WORK_DESK)
    def time(self, request, pk=None):
        ticket = self.get_object()
        if request.method == "POST":
            serializer = TimeEntrySerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            entry = time_entry_add(acting_user=request.user, ticket=ticket, **serializer.validated_data)
            return Response(TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
        return Response(TimeEntrySerializer(ticket.time_entries.all(), many=True).data)

    @extend_schema(request=SurveySerializer, responses={201: SurveySerializer})
    @action(detail=True, methods=["post"], write_capability=ANSWER_SURVEY)
    def survey(self, request, pk=None):
        ticket = self.get_object()
        serializer = SurveySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        survey_answer(acting_user=request.user, ticket=ticket, **serializer.validated_data)
        return Response(serializer.data, status=status.HTTP_201_CREATED)


class AttachmentDownload(APIView):
    capability = VIEW_TICKETS

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk: int):
        attachment = selectors.attachment_get(request.user, pk)
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"  # as the page route: inert
        return response


class StandardTextSerializer(serializers.ModelSerializer):
    class Meta:
        model = StandardText
        fields = ["id", "title", "body", "team", "active"]
        read_only_fields = fields


class StandardTextList(generics.ListAPIView):
    serializer_class = StandardTextSerializer
    capability = MANAGE_STANDARD_TEXTS

    def get_queryset(self):
        return selectors.standard_texts_for(self.request.user)


class StatisticsView(APIView):
    """Ticket counts per channel/type/team/member/month, SLA attainment and NKI for a year."""

    capability = VIEW_TICKET_STATISTICS

    @extend_schema(parameters=[StatisticsQuery], responses={200: dict})
    def get(self, request):
        params = query_params(StatisticsQuery, request)
        year = params.get("year", timezone.localdate().year)
        team = params.get("team") or None
        user = request.user
        return Response(
            {
                "year": year,
                **{
                    f"by_{by}": selectors.ticket_counts(user, year=year, by=by, team=team)
                    for by in ("channel", "type", "team", "member", "month")
                },
                "sla_attainment": {
                    kind: [
                        {"team": r.team, "measured": r.measured, "met": r.met, "ratio": r.ratio}
                        for r in selectors.sla_attainment(user, year=year, kind=kind)
                    ]
                    for kind in ("response", "resolution")
                },
                "nki": [
                    {"team": t.code, "nki": r.nki, "respondents": r.respondents}
                    for t, r in selectors.nki_per_team(user, year=year)
                ],
            }
        )


class BillableTimeView(APIView):
    """Billable minutes per member, department and team for `start`–`end` (inclusive dates)."""

    capability = EXPORT_BILLABLE_TIME

    @extend_schema(parameters=[BillableTimeQuery], responses=BillableTimeRowSerializer(many=True))
    def get(self, request):
        params = query_params(BillableTimeQuery, request)
        start, end = params["start"], params["end"]
        federation = request.user.federation
        rows = selectors.billable_time(federation, start, end) if federation else []
        return Response([row.__dict__ for row in rows])


class RawMessageParser(BaseParser):
    """A raw mail of at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes; a larger one is a 413."""

    media_type = "message/rfc822"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise PayloadTooLarge(_("Förfrågan är för stor."))
        return raw


class InboundMailResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Den nya kommentarens id.")
    ticket = serializers.IntegerField()


INBOUND_KEY_VARIABLE = "SAMVERKAN_INBOUND_MAIL_KEY"
INBOUND_KEY_MIN_LENGTH = 32


class InboundKeyAuthentication(BaseAuthentication):
    """The mail server signs in with the shared key in the `X-Samverkan-Inbound-Key` header and
    then acts as the system actor; without it, nobody. The key is the environment variable
    SAMVERKAN_INBOUND_MAIL_KEY of the server (at least 32 characters; unset or shorter, the
    endpoint refuses every request)."""

    def authenticate(self, request):
        key = os.environ.get(INBOUND_KEY_VARIABLE, "")
        if len(key) < INBOUND_KEY_MIN_LENGTH:
            return None
        given = request.headers.get("X-Samverkan-Inbound-Key", "")
        if not hmac.compare_digest(key.encode(), given.encode()):  # bytes: a header may hold any character
            return None
        return system_actor(), None


class InboundKeyScheme(OpenApiAuthenticationExtension):
    target_class = InboundKeyAuthentication
    name = "inboundKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Samverkan-Inbound-Key"}


class InboundMailView(APIView):
    """POST a raw MIME reply (Content-Type: message/rfc822), meant for the mail server; the
    comment is written as the sender's."""

    capability = IMPORT_MAIL
    authentication_classes = [InboundKeyAuthentication]
    parser_classes = [RawMessageParser]

    @extend_schema(request={"message/rfc822": bytes}, responses={201: InboundMailResultSerializer})
    def post(self, request):
        raw = request.data if isinstance(request.data, bytes) else b""
        comment = inbound_mail_receive(acting_user=request.user, raw=raw)
        return Response({"id": comment.pk, "ticket": comment.ticket_id}, status=status.HTTP_201_CREATED)


# --- An order is a ticket (issue 16): placing an order and its steps open and write its ticket


class OrderPlaceSerializer(ScopedSerializer, serializers.ModelSerializer):
    """An order as placed, with the ticket that is its conversation."""

    scoped_fields = {"item": catalogue_selectors.items_for, "department": departments_for}
    ticket = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [*ORDER_API_FIELDS, "ticket"]
        read_only_fields = ORDER_API_READ_ONLY
        extra_kwargs = {"invoice_reference": {"required": False}}

    def get_ticket(self, order) -> int | None:
        ticket = selectors.order_ticket_for(order)
        return ticket.pk if ticket else None


class OrderRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class OrderDeliverSerializer(serializers.Serializer):
    delivered_on = serializers.DateField()
    asset_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class OrderViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Placing orders and their workflow steps; each also writes into the order's ticket
    (``portal.usecases``). Reading orders is the catalogue's API."""

    serializer_class = OrderPlaceSerializer
    read_capability = VIEW_ORDERS
    write_capability = PLACE_ORDER  # the actions below name their own

    def get_queryset(self):
        return catalogue_selectors.orders_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)  # item and department are the user's (scoped_fields)
        serializer.instance = usecases.place_order(acting_user=self.request.user, **data).order

    def _answer(self, placed):
        return Response(OrderPlaceSerializer(placed.order, context={"request": self.request}).data)

    @extend_schema(request=None, responses=OrderPlaceSerializer)
    @action(detail=True, methods=["post"], write_capability=APPROVE_ORDER)
    def approve(self, request, pk=None):
        return self._answer(usecases.approve_order(acting_user=request.user, order=self.get_object()))

    @extend_schema(request=OrderRejectSerializer, responses=OrderPlaceSerializer)
    @action(detail=True, methods=["post"], write_capability=APPROVE_ORDER)
    def reject(self, request, pk=None):
        body = OrderRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data.get("reason", "")
        return self._answer(usecases.reject_order(acting_user=request.user, order=self.get_object(), reason=reason))

    @extend_schema(request=None, responses=OrderPlaceSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._answer(usecases.cancel_order(acting_user=request.user, order=self.get_object()))

    @extend_schema(request=OrderDeliverSerializer, responses=OrderPlaceSerializer)
    @action(detail=True, methods=["post"], write_capability=DELIVER_ORDER)
    def deliver(self, request, pk=None):
        body = OrderDeliverSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = self.get_object()
        return self._answer(usecases.deliver_order(acting_user=request.user, order=order, **body.validated_data))


router = SimpleRouter()
router.register("tickets", TicketViewSet, basename="ticket")
router.register("orders", OrderViewSet, basename="order")

urlpatterns = [
    *router.urls,
    path("attachments/<int:pk>/download/", AttachmentDownload.as_view(), name="attachment-download"),
    path("standard-texts/", StandardTextList.as_view(), name="standard-text-list"),
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    path("billable-time/", BillableTimeView.as_view(), name="billable-time"),
    path("inbound-mail/", InboundMailView.as_view(), name="inbound-mail"),
]
