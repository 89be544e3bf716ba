"""API of governance: bodies and seats (scoped; a board member sees the bodies they sit in)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from samverkan.core.params import id_or_none
from samverkan.core.scoping import ScopedSerializer
from samverkan.governance.models import Body, Seat
from samverkan.governance.policies import EDIT_BODIES, VIEW_MEETINGS
from samverkan.governance.selectors import bodies as selectors
from samverkan.governance.services import bodies as services
from samverkan.members.selectors import members_for


class BodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "name", "kind", "paragraph_prefix"]
        validators = []  # the service checks the name is unique (a Swedish 400)


class SeatSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"body": selectors.bodies_for, "user": selectors.seat_users_for, "appointed_by": members_for}

    class Meta:
        model = Seat
        fields = ["id", "body", "person_name", "party", "kind", "office", "appointed_by", "user", "start", "end"]


class SeatEndSerializer(serializers.Serializer):
    end = serializers.DateField(help_text="Sista dag i uppdraget.")


class BodyViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_BODIES
    serializer_class = BodySerializer

    def get_queryset(self):
        return selectors.bodies_for(self.request.user).order_by("name")

    def perform_create(self, serializer):
        serializer.instance = services.body_create(
            acting_user=self.request.user, federation=self.request.user.federation, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.body_update(
            acting_user=self.request.user,
            body=selectors.body_get(self.request.user, serializer.instance.pk),
            data=dict(serializer.validated_data),
        )


class SeatViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = VIEW_MEETINGS
    write_capability = EDIT_BODIES
    serializer_class = SeatSerializer

    def get_queryset(self):
        seats = selectors.seats_for(self.request.user).order_by("body", "kind", "person_name")
        body = id_or_none(self.request.query_params.get("body"))
        return seats.filter(body_id=body) if body else seats

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        body = selectors.body_get(self.request.user, data.pop("body").pk)
        serializer.instance = services.seat_add(acting_user=self.request.user, body=body, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("body", None)  # a seat does not move to another body
        serializer.instance = services.seat_update(
            acting_user=self.request.user, seat=selectors.seat_get(self.request.user, serializer.instance.pk), data=data
        )

    @extend_schema(request=SeatEndSerializer, responses=SeatSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the seat's term on `end` (kept for the record)."""
        body = SeatEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        seat = services.seat_end(acting_user=request.user, seat=self.get_object(), end=body.validated_data["end"])
        return Response(SeatSerializer(seat, context=self.get_serializer_context()).data)


router = SimpleRouter()
router.register("bodies", BodyViewSet, basename="body")
router.register("seats", SeatViewSet, basename="seat")
urlpatterns = router.urls
