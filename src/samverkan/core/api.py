from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from samverkan.core import selectors
from samverkan.core.models import AuditEvent, User
from samverkan.core.permissions import roles_permission
from samverkan.core.roles import ADMIN


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "role", "federation", "member", "department"]


class MeView(APIView):
    """The signed-in user and the role that scopes everything else."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class TokenThrottle(AnonRateThrottle):
    rate = "20/min"


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(APIView):
    """Exchange username and password for an API token (`Authorization: Token …`)."""

    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(request=AuthTokenSerializer, responses=TokenResponseSerializer)
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor_repr", "action", "object_type", "object_id", "object_repr", "before", "after"]


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("object_type", str, description="Objekttyp, t.ex. members.Member (delsträng)"),
            OpenApiParameter("actor", str, description="Användarnamn (delsträng)"),
            OpenApiParameter("action", str, description="Händelse: create, update, delete …"),
        ]
    )
)
class AuditEventList(generics.ListAPIView):
    """The audit trail of the admin's federation, newest first."""

    serializer_class = AuditEventSerializer
    permission_classes = [roles_permission(ADMIN)]

    def get_queryset(self):
        params = self.request.query_params
        return selectors.audit_events(
            user=self.request.user,
            object_type=params.get("object_type", ""),
            actor=params.get("actor", ""),
            action=params.get("action", ""),
        )


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "member",
            "department",
            "is_active",
            "password",
        ]
        extra_kwargs = {"role": {"required": True, "allow_blank": False}}

    def get_fields(self):
        """Member and department choices are the admin's own federation's (a foreign id is a 400)."""
        from samverkan.members.selectors import departments_for, members_for

        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, selector in (("member", members_for), ("department", departments_for)):
            fields[name].queryset = selector(user) if user is not None else fields[name].queryset.none()
        return fields


def run_service(call):
    """Call a service; its Django ValidationError becomes DRF's 400 with the same messages."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework.exceptions import ValidationError

    try:
        return call()
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from None


class UserListCreate(generics.ListCreateAPIView):
    """Accounts of the admin's federation; creating one assigns its role and scope (audited)."""

    serializer_class = UserSerializer
    permission_classes = [roles_permission(ADMIN)]

    def get_queryset(self):
        return selectors.users_for(self.request.user).order_by("username")

    def perform_create(self, serializer):
        from samverkan.core import services

        data = dict(serializer.validated_data)
        data.pop("is_active", None)
        password = data.pop("password", None) or None
        serializer.instance = run_service(
            lambda: services.user_create(
                acting_user=self.request.user, federation=self.request.user.federation, password=password, **data
            )
        )


class UserDetail(generics.RetrieveUpdateAPIView):
    serializer_class = UserSerializer
    permission_classes = [roles_permission(ADMIN)]

    def get_queryset(self):
        return selectors.users_for(self.request.user)

    def perform_update(self, serializer):
        from samverkan.core import services

        data = dict(serializer.validated_data)
        data.pop("password", None)
        serializer.instance = run_service(
            lambda: services.user_update(user=serializer.instance, acting_user=self.request.user, data=data)
        )
