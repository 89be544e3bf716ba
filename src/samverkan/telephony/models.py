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
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from samverkan.domain.service_level import DEFAULT_SHORT_ABANDON_SECONDS, Convention, Outcome
from samverkan.members.models import Federation, Member, Service
from samverkan.telephony.validators import QUEUE_NAME_MAX, validate_queue_name


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
    name = models.CharField(_("könamn i växeln"), max_length=QUEUE_NAME_MAX, validators=[validate_queue_name])
    label = models.CharField(_("benämning"), max_length=200, blank=True)
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_queues",
        help_text=_("Tomt för köer som betjänar hela förbundet (t.ex. IT-support)."),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_queues",
        verbose_name=_("verksamhet"),
    )
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
            # the readers' rule (validators.queue_name_problem), also where the database does not enforce max_length
            models.CheckConstraint(
                condition=Q(GreaterThan(Length("name"), 0)) & Q(LessThanOrEqual(Length("name"), QUEUE_NAME_MAX)),
                name="telephony_queue_name_length",
            ),
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


class CallArchive(models.Model):
    """The calls one import added to one queue: a zstd-compressed Parquet file (see :mod:`..callstore`).

    Kept in the database rather than beside it so that every backup holds the calls; read
    back by DuckDB when interval counters are rebuilt or a later file is checked for calls
    already stored. Never changed after the import.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="archives")
    # no index of its own: (queue, first_entered) below starts with it (migration 0005)
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="archives", db_index=False)
    calls = models.PositiveIntegerField(_("samtal"))
    first_entered = models.DateTimeField(_("första samtal"))
    last_entered = models.DateTimeField(_("sista samtal"))
    data = models.BinaryField(_("samtal (Parquet)"))

    class Meta:
        ordering = ["batch", "queue"]
        verbose_name = _("samtalsarkiv")
        verbose_name_plural = _("samtalsarkiv")
        constraints = [
            models.UniqueConstraint(fields=["batch", "queue"], name="telephony_archive_once_per_batch_queue"),
        ]
        indexes = [models.Index(fields=["queue", "first_entered"], name="telephony_archive_queue_time")]

    def __str__(self) -> str:
        return f"{self.queue_id}/{self.batch_id}: {self.calls}"


class QuarterHour(models.Model):
    """A 15-minute interval: its start and the Swedish calendar of that start.

    The calendar is stored so that reports group by plain columns on every backend.
    """

    start = models.DateTimeField(_("intervallets början"))
    local_day = models.DateField(_("dag"))
    local_year = models.PositiveSmallIntegerField(_("år"))
    local_month = models.PositiveIntegerField(_("månad (ÅÅÅÅMM)"))
    local_weekday = models.PositiveSmallIntegerField(_("veckodag (1 = måndag)"))
    local_hour = models.PositiveSmallIntegerField(_("timme"))

    class Meta:
        abstract = True


class CallInterval(QuarterHour):
    """Counters of one queue's calls from one import in one 15-minute interval.

    Measured against the queue's own T and short-abandon limit (rebuilt from the archives
    when those change), so every report is a sum of these rows.
    """

    # No index of its own for the queue: (queue, start) and the unique (queue, batch, start) start with
    # it; one index less to maintain for each of an import's ~380 000 rows (migration 0005). No per-row
    # foreign keys either: on PostgreSQL one check per statement refuses a row whose queue or import does
    # not exist, and deleting a queue or import that still has rows (migration 0006).
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="intervals", db_index=False, db_constraint=False
    )
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="intervals", db_constraint=False)
    offered = models.PositiveIntegerField(_("inkomna"))
    answered = models.PositiveIntegerField(_("besvarade"))
    short_abandoned = models.PositiveIntegerField(_("korta avbrott"))
    answered_within = models.PositiveIntegerField(_("besvarade inom T"))
    abandoned_within = models.PositiveIntegerField(_("avbrutna inom T"))
    answered_wait_total = models.BigIntegerField(_("summa väntetid, besvarade (s)"))
    talk_total = models.BigIntegerField(_("summa samtalstid (s)"))
    talk_count = models.PositiveIntegerField(_("samtal med känd samtalstid"))
    longest_wait = models.PositiveIntegerField(_("längsta väntetid (s)"))

    class Meta:
        ordering = ["queue", "start"]
        verbose_name = _("samtalsintervall")
        verbose_name_plural = _("samtalsintervall")
        constraints = [
            models.UniqueConstraint(fields=["queue", "batch", "start"], name="telephony_interval_unique"),
        ]
        indexes = [
            models.Index(fields=["queue", "start"], name="telephony_interval_queue_time"),
            models.Index(fields=["local_year", "queue"], name="telephony_interval_year_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.queue_id} {self.start:%Y-%m-%d %H:%M}"


class AgentInterval(QuarterHour):
    """One agent's available and talk seconds in one 15-minute interval, from one import.

    Available: logged in to at least one queue and not paused there (domain.agent_time);
    talk: answered calls' talk time, in the interval the call was answered. Occupancy is
    talk / available, counted per agent because one team answers every member's queue.
    """

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="agent_intervals")
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="agent_intervals")
    agent = models.CharField(_("agent"), max_length=100)
    available_seconds = models.PositiveIntegerField(_("tillgänglig tid (s)"))
    talk_seconds = models.BigIntegerField(_("samtalstid (s)"))

    class Meta:
        ordering = ["agent", "start"]
        verbose_name = _("agentintervall")
        verbose_name_plural = _("agentintervall")
        constraints = [
            models.UniqueConstraint(fields=["batch", "agent", "start"], name="telephony_agent_interval_unique"),
        ]
        indexes = [models.Index(fields=["federation", "local_year"], name="telephony_agent_fed_year")]

    def __str__(self) -> str:
        return f"{self.agent} {self.start:%Y-%m-%d %H:%M}"
