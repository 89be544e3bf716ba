"""REST endpoints for members; every queryset comes from a scoped selector."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from samverkan.core.scoping import ScopedFilterSet, ScopedSerializer
from samverkan.members import selectors, services
from samverkan.members.models import Department, Federation, HandOver, Member, MemberFigure, MembershipPeriod, Service
from samverkan.members.policies import MANAGE_FIGURES, MANAGE_MEMBERS, VIEW_DEPARTMENTS, VIEW_MEMBERS


class ReadOrAdminMixin:
    read_capability = VIEW_MEMBERS
    write_capability = MANAGE_MEMBERS


class MemberFilter(ScopedFilterSet):
    scoped_fields = {"federation": selectors.federations_for}

    class Meta:
        model = Member
        fields = ["kommunkod", "federation"]


class DepartmentFilter(ScopedFilterSet):
    scoped_fields = {"member": selectors.members_for}

    class Meta:
        model = Department
        fields = ["member", "active"]


class HandOverFilter(ScopedFilterSet):
    scoped_fields = {"member": selectors.members_for, "service": selectors.services_for}

    class Meta:
        model = HandOver
        fields = ["member", "service"]


class FigureFilter(ScopedFilterSet):
    scoped_fields = {"member": selectors.members_for}

    class Meta:
        model = MemberFigure
        fields = ["member", "kind", "reference_date"]


class FederationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Federation
        fields = [
            "id",
            "slug",
            "name",
            "organisation_form",
            "orgnr",
            "vat_number",
            "f_skatt",
            "street",
            "postal_code",
            "city",
            "email",
            "bankgiro",
            "peppol_id",
        ]


class FederationViewSet(ReadOrAdminMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = FederationSerializer

    def get_queryset(self):
        return selectors.federations_for(self.request.user)


class MembershipPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = MembershipPeriod
        fields = ["id", "start", "end"]


class MembershipChangeSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Inträdesdatum (join) eller sista dag som medlem (leave).")


class MemberSerializer(serializers.ModelSerializer):
    joined = serializers.DateField(write_only=True, required=False)
    peppol_participant = serializers.CharField(read_only=True)
    periods = MembershipPeriodSerializer(many=True, read_only=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "federation",
            "name",
            "kommunkod",
            "orgnr",
            "street",
            "postal_code",
            "city",
            "invoice_email",
            "peppol_id",
            "peppol_participant",
            "joined",
            "periods",
        ]
        read_only_fields = ["federation"]
        validators = []


class MemberViewSet(ReadOrAdminMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = MemberSerializer
    filterset_class = MemberFilter

    def get_queryset(self):
        return selectors.members_for(self.request.user).prefetch_related("periods")

    def _membership_change(self, request, service, date_argument: str):
        member = self.get_object()
        body = MembershipChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        on = body.validated_data["date"]
        period = service(acting_user=request.user, member=member, **{date_argument: on})
        return Response(MembershipPeriodSerializer(period).data)

    @extend_schema(request=MembershipChangeSerializer, responses=MembershipPeriodSerializer)
    @action(detail=True, methods=["post"])
    def join(self, request, pk=None):
        """A new membership period from `date` (rejoining after leaving, or a mid-year join)."""
        return self._membership_change(request, services.member_join, "start")

    @extend_schema(request=MembershipChangeSerializer, responses=MembershipPeriodSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        """Ends the open membership period and the member's open hand-overs on `date`."""
        return self._membership_change(request, services.member_leave, "end")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        joined = data.pop("joined", None)
        if joined is None:
            raise ValidationError({"joined": ["Inträdesdatum krävs."]})
        serializer.instance = services.member_create(
            acting_user=self.request.user, federation=self.request.user.federation, joined=joined, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("joined", None)
        serializer.instance = services.member_update(
            member=serializer.instance, acting_user=self.request.user, data=data
        )


class DepartmentSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"member": selectors.members_for}

    class Meta:
        model = Department
        fields = ["id", "member", "name", "code", "invoice_reference", "active"]


class DepartmentViewSet(
    ReadOrAdminMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    read_capability = VIEW_DEPARTMENTS
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter

    def get_queryset(self):
        return selectors.departments_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        member = get_object_or_404(selectors.members_for(self.request.user), pk=data.pop("member").pk)
        serializer.instance = services.department_create(acting_user=self.request.user, member=member, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("member", None)
        serializer.instance = services.department_update(
            department=serializer.instance, acting_user=self.request.user, data=data
        )


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["id", "code", "name", "description"]


class ServiceViewSet(ReadOrAdminMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ServiceSerializer

    def get_queryset(self):
        return selectors.services_for(self.request.user)


class HandOverSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"member": selectors.members_for, "service": selectors.services_for}

    class Meta:
        model = HandOver
        fields = ["id", "member", "service", "start", "end", "extent", "note"]


class HandOverViewSet(ReadOrAdminMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = HandOverSerializer
    filterset_class = HandOverFilter

    def get_queryset(self):
        return HandOver.objects.filter(member__in=selectors.members_for(self.request.user)).select_related("service")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        member = get_object_or_404(selectors.members_for(self.request.user), pk=data.pop("member").pk)
        serializer.instance = services.handover_create(acting_user=self.request.user, member=member, **data)


class FigureSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"member": selectors.members_for}

    class Meta:
        model = MemberFigure
        fields = ["id", "member", "kind", "reference_date", "value", "source"]
        validators = []  # storing the same figure again is an idempotent no-op, not an error


class FigureViewSet(ReadOrAdminMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    write_capability = MANAGE_FIGURES
    serializer_class = FigureSerializer
    filterset_class = FigureFilter

    def get_queryset(self):
        return MemberFigure.objects.filter(member__in=selectors.members_for(self.request.user))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        member = get_object_or_404(selectors.members_for(self.request.user), pk=data.pop("member").pk)
        services.figures_store(acting_user=self.request.user, rows=[services.FigureRow(member=member, **data)])
        serializer.instance = MemberFigure.objects.get(
            member=member, kind=data["kind"], reference_date=data["reference_date"]
        )


class ServiceParticipants(generics.ListAPIView):
    """Members taking part in a service on a date (`?on=YYYY-MM-DD`, default today)."""

    serializer_class = MemberSerializer
    capability = VIEW_MEMBERS

    @extend_schema(parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="Datum, YYYY-MM-DD")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no pk
            return Member.objects.none()
        service = get_object_or_404(selectors.services_for(self.request.user), pk=self.kwargs["pk"])
        raw = self.request.query_params.get("on")
        try:
            on = serializers.DateField().to_internal_value(raw) if raw else timezone.localdate()
        except ValidationError as exc:
            raise ValidationError({"on": exc.detail}) from None
        return selectors.members_with_service(service, on).filter(pk__in=selectors.members_for(self.request.user))


router = SimpleRouter()
router.register("federations", FederationViewSet, basename="federation")
router.register("members", MemberViewSet, basename="member")
router.register("departments", DepartmentViewSet, basename="department")
router.register("services", ServiceViewSet, basename="service")
router.register("handovers", HandOverViewSet, basename="handover")
router.register("figures", FigureViewSet, basename="figure")
