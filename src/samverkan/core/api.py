from drf_spectacular.utils import extend_schema
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


class AuditEventList(generics.ListAPIView):
    serializer_class = AuditEventSerializer
    permission_classes = [roles_permission(ADMIN)]

    def get_queryset(self):
        return selectors.audit_events(
            user=self.request.user,
            object_type=self.request.query_params.get("object_type", ""),
        )
