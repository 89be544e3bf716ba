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


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Väntar på att starta")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klart")
    FAILED = "failed", _("Misslyckades")


class Job(models.Model):
    """One piece of long work a person (or the system) started: what, for whom, how far, and how it ended.

    The work itself runs as a django-tasks task (``task_id``) in a worker, or in the command's own
    process; this row is what the page polls and what the command's progress bar mirrors. It is
    written outside the work's transaction, so it survives the work's rollback and tells why.
    """

    federation = models.ForeignKey(
        "members.Federation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("slag"), max_length=80)
    label = models.CharField(_("arbete"), max_length=200)
    capability = models.CharField(_("behörighet"), max_length=80, blank=True)
    started_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("klart"), default=0)
    total = models.PositiveIntegerField(_("totalt"), default=0)
    message = models.CharField(_("meddelande"), max_length=300, blank=True)
    result_url = models.CharField(_("resultat"), max_length=300, blank=True)
    result_label = models.CharField(_("länktext för resultatet"), max_length=100, blank=True)
    origin_url = models.CharField(_("startad från"), max_length=300, blank=True)
    error = models.TextField(_("fel"), blank=True)
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("senaste livstecken"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
