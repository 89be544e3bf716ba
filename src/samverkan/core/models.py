from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.core.roles import Role


class User(AbstractUser):
    """A person with one role in one federation; platform superusers have no federation."""

    federation = models.ForeignKey(
        "members.Federation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("förbund"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, blank=True)
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

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="member_contact") | Q(member__isnull=False),
                name="member_contact_has_member",
                violation_error_message=_("En medlemskontakt måste kopplas till en medlem."),
            ),
            models.CheckConstraint(
                condition=~Q(role="orderer") | Q(department__isnull=False),
                name="orderer_has_department",
                violation_error_message=_("En beställare måste kopplas till en förvaltning."),
            ),
            models.CheckConstraint(
                condition=Q(role="") | Q(federation__isnull=False),
                name="role_needs_federation",
                violation_error_message=_("En roll gäller alltid i ett förbund."),
            ),
        ]

    def has_role(self, *roles: str) -> bool:
        return self.is_active and (self.is_superuser or self.role in roles)


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
    """One failed login; enough of them in a window lock the username for that address."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} från {self.address or '?'}"
