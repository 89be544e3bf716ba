from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from samverkan.core.roles import Role


class UserManager(DjangoUserManager):
    def create_user(self, username, email=None, password=None, *, roles=(), **extra_fields):
        """Like Django's, and grants `roles` (the tests' and the demo's shortcut; pages and API
        go through `users.services`)."""
        user = super().create_user(username, email, password, **extra_fields)
        UserRole.objects.bulk_create(UserRole(user=user, role=role) for role in roles)
        return user


class User(AbstractUser):
    """A person with one or more roles in one federation; platform superusers have no federation.

    What the user may do is the union of the roles' capabilities (`core.permissions`); scoping
    follows the widest role. The system actor (`core.actors`) is a user too, so that work done
    by the system is audited like any other.
    """

    federation = models.ForeignKey(
        "members.Federation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("förbund"),
    )
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("medlem"),
    )
    department = models.ForeignKey(
        "members.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("förvaltning"),
    )
    is_system = models.BooleanField(_("systemaktör"), default=False, editable=False)

    objects = UserManager()

    @cached_property
    def roles(self) -> frozenset[str]:
        if self.pk is None:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))

    def forget_roles(self) -> None:
        """Drop the cached roles after they were changed in the database."""
        self.__dict__.pop("roles", None)


class UserRole(models.Model):
    """One role a user holds; a user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"


class AuditEvent(models.Model):
    """Who changed money, membership or access data, when, and from what to what."""

    at = models.DateTimeField(_("tid"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_repr = models.CharField(_("användare"), max_length=150, blank=True)
    federation = models.ForeignKey(
        "members.Federation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("händelse"), max_length=40)
    object_type = models.CharField(_("objekttyp"), max_length=80, db_index=True)
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("objekt"), max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"


class LoginFailure(models.Model):
    """One failed login; enough of them in a day make that account wait longer before the next try."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} från {self.address or '?'}"
