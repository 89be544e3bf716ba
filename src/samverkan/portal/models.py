"""Tickets, their comments, attachments, followers, time, surveys and the desk's settings.

Due times and breach flags are stored on the ticket (recomputed by services on every
change) so queue views and statistics over a million tickets are plain indexed queries;
the live timer state shown on a ticket is computed from the pauses by ``portal.sla``.
"""

from __future__ import annotations

import os
from datetime import time

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.domain import ticket_workflow as workflow
from samverkan.domain.priority import Impact, Priority, Urgency


class Channel(models.TextChoices):
    PHONE = "phone", _("Telefon")
    PORTAL = "portal", _("Serviceportal")
    EMAIL = "email", _("E-post")
    VISIT = "visit", _("Besök")


class TicketType(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    REQUEST = "request", _("Tjänstebegäran")
    ORDER = "order", _("Beställning")
    QUESTION = "question", _("Fråga")


class Status(models.TextChoices):
    """The workflow's statuses (domain.ticket_workflow) with their Swedish labels."""

    NEW = workflow.Status.NEW.value, _("Ny")
    ASSIGNED = workflow.Status.ASSIGNED.value, _("Tilldelad")
    IN_PROGRESS = workflow.Status.IN_PROGRESS.value, _("Pågår")
    WAITING_REQUESTER = workflow.Status.WAITING_REQUESTER.value, _("Väntar på beställare")
    WAITING_THIRD_PARTY = workflow.Status.WAITING_THIRD_PARTY.value, _("Väntar på extern part")
    RESOLVED = workflow.Status.RESOLVED.value, _("Löst")
    CLOSED = workflow.Status.CLOSED.value, _("Stängd")


OPEN_STATUSES = tuple(Status(status) for status in workflow.OPEN)

PRIORITY_LABELS = {
    Priority.CRITICAL: _("Kritisk"),
    Priority.HIGH: _("Hög"),
    Priority.MEDIUM: _("Medel"),
    Priority.LOW: _("Låg"),
    Priority.PLANNING: _("Planerad"),
}
IMPACT_LABELS = {
    Impact.HIGH: _("Hög (många användare)"),
    Impact.MEDIUM: _("Medel (en grupp)"),
    Impact.LOW: _("Låg (en person)"),
}
URGENCY_LABELS = {
    Urgency.HIGH: _("Hög (arbetet står still)"),
    Urgency.MEDIUM: _("Medel (det finns en tillfällig lösning)"),
    Urgency.LOW: _("Låg (kan vänta)"),
}
# "1 – Kritisk": translated when shown (lazy), the same text in migrations
PriorityChoices = [(p.value, format_lazy("{} – {}", p.value, PRIORITY_LABELS[p])) for p in Priority]
ImpactChoices = [(i.value, format_lazy("{} – {}", i.value, IMPACT_LABELS[i])) for i in Impact]
UrgencyChoices = [(u.value, format_lazy("{} – {}", u.value, URGENCY_LABELS[u])) for u in Urgency]


class Team(models.Model):
    """A desk that owns tickets (kundtjänst, IT-support, telefoni) with its opening hours."""

    federation = models.ForeignKey("members.Federation", on_delete=models.PROTECT, related_name="teams")
    code = models.SlugField(_("kod"))
    name = models.CharField(_("namn"), max_length=100)
    opens = models.TimeField(_("öppnar"), default=time(8, 0))
    closes = models.TimeField(_("stänger"), default=time(16, 30))
    email = models.EmailField(_("e-post"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        constraints = [
            models.UniqueConstraint(fields=["federation", "code"], name="portal_team_code_unique"),
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="portal_team_hours_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("namn"), max_length=100)

    class Meta:
        ordering = ["team", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="portal_category_unique")]

    def __str__(self) -> str:
        return f"{self.team} / {self.name}"


class ClosedDay(models.Model):
    """A day the desk is closed besides Swedish public holidays (staff conference …)."""

    federation = models.ForeignKey("members.Federation", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("datum"))
    reason = models.CharField(_("anledning"), max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["federation", "day"], name="portal_closed_day_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}"


class SlaTargetSetting(models.Model):
    """Response/resolution targets (business minutes) per priority, optionally per team."""

    federation = models.ForeignKey("members.Federation", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="sla_targets")
    priority = models.PositiveSmallIntegerField(_("prioritet"), choices=PriorityChoices)
    response_minutes = models.PositiveIntegerField(_("svarstid (arbetsminuter)"))
    resolution_minutes = models.PositiveIntegerField(_("lösningstid (arbetsminuter)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["federation", "team", "priority"], name="portal_sla_target_unique"),
            models.CheckConstraint(
                condition=Q(response_minutes__gt=0) & Q(response_minutes__lte=F("resolution_minutes")),
                name="portal_sla_target_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"P{self.priority}: {self.response_minutes}/{self.resolution_minutes} min"


class Ticket(models.Model):
    federation = models.ForeignKey("members.Federation", on_delete=models.PROTECT, related_name="tickets")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("medlem")
    )
    department = models.ForeignKey(
        "members.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("förvaltning"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requested_tickets",
        verbose_name=_("beställare"),
    )
    requester_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    requester_email = models.EmailField(_("kontaktens e-post"), blank=True)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    type = models.CharField(_("typ"), max_length=10, choices=TicketType.choices, default=TicketType.INCIDENT)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("team"))
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets", verbose_name=_("kategori")
    )
    impact = models.PositiveSmallIntegerField(_("påverkan"), choices=ImpactChoices, default=Impact.LOW)
    urgency = models.PositiveSmallIntegerField(_("brådska"), choices=UrgencyChoices, default=Urgency.MEDIUM)
    priority = models.PositiveSmallIntegerField(_("prioritet"), choices=PriorityChoices, default=Priority.LOW)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        verbose_name=_("handläggare"),
    )
    order_reference = models.CharField(_("beställningsreferens"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    updated_at = models.DateTimeField(_("ändrad"), default=timezone.now)
    first_response_at = models.DateTimeField(_("första svar"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("löst"), null=True, blank=True)
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("svar senast"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("löst senast"), null=True, blank=True)
    response_breached = models.BooleanField(_("svarstid överskriden"), null=True, blank=True)
    resolution_breached = models.BooleanField(_("lösningstid överskriden"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("eskalerad"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_tickets",
        verbose_name=_("sammanslaget med"),
    )
    reopen_count = models.PositiveSmallIntegerField(_("återöppnat"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        indexes = [
            models.Index(fields=["federation", "status", "-created_at"], name="portal_ticket_queue"),
            # Lists read in the order shown (-created_at, -id) and stop after a page, for each scope:
            # a department's / member's tickets, an agent's own, a requester's own within the scope.
            models.Index(fields=["department", "-created_at", "-id"], name="portal_ticket_dept_order"),
            models.Index(fields=["member", "-created_at", "-id"], name="portal_ticket_member_order"),
            models.Index(fields=["assignee", "-created_at", "-id"], name="portal_ticket_assignee_order"),
            models.Index(fields=["department", "requester", "-created_at", "-id"], name="portal_ticket_dept_requester"),
            models.Index(fields=["member", "requester", "-created_at", "-id"], name="portal_ticket_member_requester"),
            models.Index(fields=["federation", "resolution_due_at"], name="portal_ticket_due"),
            # The desk's queue: open tickets newest first, read in index order and stopped at a page.
            models.Index(
                fields=["federation", "-created_at", "-id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="portal_ticket_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=5), name="portal_ticket_priority"),
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="portal_ticket_not_merged_self"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def state(self) -> workflow.TicketState:
        """What the workflow needs to know to decide the ticket's next status."""
        return workflow.TicketState(
            workflow.Status(self.status), assigned=self.assignee_id is not None, merged=self.merged_into_id is not None
        )

    @cached_property
    def priority_label(self) -> str:
        return str(PRIORITY_LABELS[Priority(self.priority)])


class PauseReason(models.TextChoices):
    WAITING_REQUESTER = workflow.Pause.WAITING_REQUESTER.value, _("Väntar på beställare")
    RESOLVED = workflow.Pause.RESOLVED.value, _("Löst")


class TicketPause(models.Model):
    """An interval the resolution clock stands still; ``ended_at`` empty while it lasts."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=20, choices=PauseReason.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")), name="portal_pause_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.reason} {self.started_at}–{self.ended_at or ''}"


class Comment(models.Model):
    class Via(models.TextChoices):
        WEB = "web", _("Webb")
        EMAIL = "email", _("E-post")
        API = "api", _("API")
        SYSTEM = "system", _("System")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    body = models.TextField(_("text"))
    internal = models.BooleanField(_("intern anteckning"), default=False)
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.WEB)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="portal_comment_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.body[:40]}"


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT (settings.PRIVATE_STORAGE_ROOT, read on every use so tests and
    deployments can move it); there is no URL — a view checks access and streams the file."""

    @property
    def base_location(self):
        return settings.PRIVATE_STORAGE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no public URL")


private_storage = PrivateStorage()


class Attachment(models.Model):
    """A file on a ticket, stored under a random name outside MEDIA_ROOT and served by a view."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, max_length=200)
    original_name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    internal = models.BooleanField(_("intern"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Follower(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_tickets")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "user"], name="portal_follower_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.ticket_id}"


class TicketLink(models.Model):
    """A relation between two tickets of the same federation, stored once (lower id first)."""

    from_ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_from")
    to_ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_to")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_ticket", "to_ticket"], name="portal_link_unique"),
            models.CheckConstraint(condition=Q(from_ticket__lt=F("to_ticket")), name="portal_link_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.from_ticket_id} ↔ {self.to_ticket_id}"


class StandardText(models.Model):
    """A canned reply; ``{namn}``, ``{arende}``, ``{rubrik}``, ``{handlaggare}``, ``{team}`` are filled in."""

    federation = models.ForeignKey("members.Federation", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="standard_texts", verbose_name=_("team")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    body = models.TextField(_("text"))
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("standardtext")
        constraints = [models.UniqueConstraint(fields=["federation", "title"], name="portal_standard_text_unique")]

    def __str__(self) -> str:
        return self.title


class TimeEntry(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="time_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("datum"))
    minutes = models.PositiveIntegerField(_("minuter"))
    billable = models.BooleanField(_("debiterbar"), default=True)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["day", "billable"], name="portal_time_day")]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0) & Q(minutes__lte=24 * 60), name="portal_time_minutes")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.day} {self.minutes} min"


class SurveyResponse(models.Model):
    """The requester's 1–10 answer after resolution; feeds NKI per team and period."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="survey")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    score = models.PositiveSmallIntegerField(_("betyg (1–10)"))
    comment = models.TextField(_("kommentar"), blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=10), name="portal_survey_scale")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}"


class SavedView(models.Model):
    """An agent's named queue filter (the query string of the desk)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(_("namn"), max_length=100)
    query = models.CharField(max_length=500)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="portal_saved_view_unique")]

    def __str__(self) -> str:
        return self.name
