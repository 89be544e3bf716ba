from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from samverkan.core import jobs, selectors
from samverkan.core.auth import client_address, login_wait, throttled_message
from samverkan.core.models import AuditEvent, JobStatus
from samverkan.core.policies import FOLLOW_JOBS, VIEW_AUDIT_LOG


class TokenThrottle(AnonRateThrottle):
    """At most 20 requests a minute per client address (behind a trusted proxy, the client's)."""

    rate = "20/min"

    def get_ident(self, request):
        return client_address(request)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(APIView):
    """Exchange username and password for an API token (`Authorization: Token …`)."""

    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(request=AuthTokenSerializer, responses=TokenResponseSerializer)
    def post(self, request):
        """An account that must wait after failed passwords (core.auth.login_wait) gets 429 with Retry-After."""
        username = request.data.get("username")
        wait = login_wait(username) if isinstance(username, str) and username else 0
        if wait:
            raise Throttled(wait=wait, detail=throttled_message(wait))
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
    capability = VIEW_AUDIT_LOG

    def get_queryset(self):
        params = self.request.query_params
        return selectors.audit_events(
            user=self.request.user,
            object_type=params.get("object_type", ""),
            actor=params.get("actor", ""),
            action=params.get("action", ""),
        )


class JobSerializer(serializers.Serializer):
    """A background job (core.jobs.as_dict): status queued|running|done|failed, done of total,
    the Swedish message, the result's page (when done) or the error (when failed)."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=JobStatus.choices)
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    message = serializers.CharField()
    result_url = serializers.CharField()
    result_label = serializers.CharField()
    error = serializers.CharField()
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    page_url = serializers.CharField()
    url = serializers.CharField()


class JobDetail(generics.RetrieveAPIView):
    """A background job the caller started (or may follow): poll it until status is done or failed."""

    serializer_class = JobSerializer
    capability = FOLLOW_JOBS

    def get_queryset(self):
        return selectors.jobs_for(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        job = self.get_object()
        if jobs.is_stale(job):
            job = jobs.give_up(job)
        return Response(JobSerializer(jobs.as_dict(job)).data)
