from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.accounts import selectors, services
from samverkan.accounts.policies import MANAGE_USERS, VIEW_OWN_ACCOUNT
from samverkan.core.models import User
from samverkan.core.roles import Role
from samverkan.core.scoping import ScopedSerializer
from samverkan.members.selectors import departments_for, members_for


class RolesField(serializers.ListField):
    child = serializers.ChoiceField(choices=Role.choices)


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "roles", "federation", "member", "department"]
        read_only_fields = fields

    def get_roles(self, user) -> list[str]:
        return sorted(user.roles)


class MeView(APIView):
    """The signed-in user and the roles that scope everything else."""

    capability = VIEW_OWN_ACCOUNT

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class UserSerializer(ScopedSerializer, serializers.ModelSerializer):
    scoped_fields = {"member": members_for, "department": departments_for}

    roles = RolesField(min_length=1)
    password = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = User
        fields = [
            *("id", "username", "first_name", "last_name", "email", "roles"),
            *("member", "department", "is_active", "password"),
        ]

    def to_representation(self, instance):
        return {**super().to_representation(instance), "roles": sorted(instance.roles)}


class UserListCreate(generics.ListCreateAPIView):
    """Accounts of the admin's federation; creating one assigns its roles and scope (audited)."""

    serializer_class = UserSerializer
    capability = MANAGE_USERS

    def get_queryset(self):
        return selectors.users_for(self.request.user).order_by("username")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("is_active", None)
        password = data.pop("password", None) or None
        serializer.instance = services.user_create(
            acting_user=self.request.user, federation=self.request.user.federation, password=password, **data
        )


class UserDetail(generics.RetrieveUpdateAPIView):
    serializer_class = UserSerializer
    capability = MANAGE_USERS

    def get_queryset(self):
        return selectors.users_for(self.request.user)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("password", None)
        serializer.instance = services.user_update(acting_user=self.request.user, user=serializer.instance, data=data)
