"""Queues, imported call records and import batches.

A queue belongs to a federation and usually to one member (each member's switchboard is a
queue) and one service; it carries its own threshold T, goal and service-level convention
because the seeds measure differently: customer service 90 % of answered calls within 30 s,
IT support 80 % of all incoming calls within 60 s.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.domain.service_level import DEFAULT_SHORT_ABANDON_SECONDS, Convention, Outcome
from samverkan.members.models import Federation, Member, Service


class ConventionChoice(models.TextChoices):
    ABANDON_ADJUSTED = (
        Convention.ABANDON_ADJUSTED.value,
        _("Besvarade inom T / (besvarade + avbrutna efter korta avbrott)"),
    )
    ANSWERED = Convention.ANSWERED.value, _("Besvarade inom T / besvarade")
    OFFERED = Convention.OFFERED.value, _("Besvarade inom T / alla inkomna")
    ASTERISK_SL2 = Convention.ASTERISK_SL2.value, _("(Besvarade + avbrutna inom T) / (besvarade + avbrutna)")


class OutcomeChoice(models.TextChoices):
    ANSWERED = Outcome.ANSWERED.value, _("Besvarat")
    ABANDONED = Outcome.ABANDONED.value, _("Avbrutet av den som ringde")
    TIMEOUT = Outcome.TIMEOUT.value, _("Tidsgräns i kön")
    EXIT_KEY = Outcome.EXIT_KEY.value, _("Lämnade kön med knapptryck")
    EXIT_EMPTY = Outcome.EXIT_EMPTY.value, _("Ingen agent inloggad")


class Queue(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="call_queues")
    name = models.CharField(_("könamn i växeln"), max_length=100)
    label = models.CharField(_("benämning"), max_length=200, blank=True)
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_queues",
        help_text=_("Tomt för köer som betjänar hela förbundet (t.ex. IT-support)."),
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="call_queues")
    within_seconds = models.PositiveIntegerField(_("svarstid T (sekunder)"), default=20)
    goal = models.DecimalField(_("mål (andel)"), max_digits=5, decimal_places=4, default=Decimal("0.9000"))
    convention = models.CharField(
        _("beräkning av servicenivå"),
        max_length=20,
        choices=ConventionChoice.choices,
        default=ConventionChoice.ABANDON_ADJUSTED,
    )
    short_abandon_seconds = models.PositiveIntegerField(
        _("korta avbrott (sekunder)"), default=DEFAULT_SHORT_ABANDON_SECONDS
    )

    class Meta:
        ordering = ["federation", "name"]
        verbose_name = _("kö")
        verbose_name_plural = _("köer")
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="telephony_queue_name_unique"),
            models.CheckConstraint(condition=Q(goal__gt=0) & Q(goal__lte=1), name="telephony_queue_goal_ratio"),
        ]

    def __str__(self) -> str:
        return self.label or self.name


class ImportBatch(models.Model):
    class Format(models.TextChoices):
        QUEUE_LOG = "queue_log", _("Asterisk queue_log")
        CSV = "csv", _("CSV med samtalsposter")

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="call_imports")
    file_name = models.CharField(_("fil"), max_length=255)
    file_format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    sha256 = models.CharField(_("kontrollsumma"), max_length=64)
    imported_at = models.DateTimeField(_("importerad"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    lines = models.PositiveIntegerField(_("rader"), default=0)
    records_read = models.PositiveIntegerField(_("samtal i filen"), default=0)
    records_created = models.PositiveIntegerField(_("nya samtal"), default=0)
    skipped_lines = models.JSONField(_("överhoppade rader"), default=list, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("import av samtal")
        constraints = [
            models.UniqueConstraint(fields=["federation", "sha256"], name="telephony_import_once_per_file"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})" if self.imported_at else self.file_name


class CallRecord(models.Model):
    """One call's visit to one queue; (queue, callid) is the natural key that makes imports idempotent."""

    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="calls")
    callid = models.CharField(_("samtals-id"), max_length=64)
    entered = models.DateTimeField(_("in i kön"))
    outcome = models.CharField(_("utfall"), max_length=12, choices=OutcomeChoice.choices)
    wait_seconds = models.PositiveIntegerField(_("väntetid (s)"))
    talk_seconds = models.PositiveIntegerField(_("samtalstid (s)"), null=True, blank=True)
    agent = models.CharField(_("agent"), max_length=100, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="calls")
    # Swedish local calendar of ``entered``, stored at import so reports group by plain columns
    # (set-based SQL on every backend; SQLite would otherwise convert time zones row by row in Python)
    local_day = models.DateField(_("dag"))
    local_year = models.PositiveSmallIntegerField(_("år"))
    local_month = models.PositiveIntegerField(_("månad (ÅÅÅÅMM)"))
    local_weekday = models.PositiveSmallIntegerField(_("veckodag (1 = måndag)"))
    local_hour = models.PositiveSmallIntegerField(_("timme"))

    class Meta:
        ordering = ["entered"]
        verbose_name = _("samtal")
        verbose_name_plural = _("samtal")
        constraints = [
            models.UniqueConstraint(fields=["queue", "callid"], name="telephony_call_once_per_queue"),
        ]
        indexes = [
            models.Index(fields=["queue", "entered"], name="telephony_call_queue_time"),
            models.Index(fields=["local_year", "queue"], name="telephony_call_year_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.callid} @ {self.queue_id}"


LOCAL_FIELDS = ("local_day", "local_year", "local_month", "local_weekday", "local_hour")


def local_calendar(entered) -> dict:
    """The ``local_*`` fields for an aware datetime (Swedish time, the project's TIME_ZONE)."""
    from django.utils import timezone

    local = timezone.localtime(entered)
    values = (local.date(), local.year, local.year * 100 + local.month, local.isoweekday(), local.hour)
    return dict(zip(LOCAL_FIELDS, values, strict=True))
