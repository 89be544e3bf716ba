"""Bodies and seats, the case register (diarium), meetings with agendas and minutes, the public
notice board, agreements, and the records plan.

Paragraphs are numbered per body and year across meetings (Lyst 50 … 58, seed 001) from a
counter row locked while a number is taken; minutes are locked once the chair and every
adjuster have approved them, and from then on the database refuses changes (triggers, as for
issued invoices) — a correction is a new paragraph in a later meeting.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.members.models import Federation, Member
from samverkan.portal.models import PrivateStorage


class BodyKind(models.TextChoices):
    BOARD = "board", _("Direktion")
    JOINT_COMMITTEE = "joint_committee", _("Gemensam nämnd")
    PRESIDIUM = "presidium", _("Presidium")
    AUDITORS = "auditors", _("Revisorer")
    OTHER = "other", _("Annat organ")


class Body(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="bodies")
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=20, choices=BodyKind.choices)
    paragraph_prefix = models.CharField(
        _("paragrafbeteckning"), max_length=20, blank=True, help_text=_("Till exempel ”Lyst” i ”Lyst 50”.")
    )

    class Meta:
        ordering = ["federation", "name"]
        constraints = [models.UniqueConstraint(fields=["federation", "name"], name="governance_unique_body")]
        verbose_name = _("organ")
        verbose_name_plural = _("organ")

    def __str__(self) -> str:
        return self.name


class SeatKind(models.TextChoices):
    MEMBER = "member", _("Ledamot")
    SUBSTITUTE = "substitute", _("Ersättare")


class Office(models.TextChoices):
    NONE = "", _("–")
    CHAIR = "chair", _("Ordförande")
    FIRST_VICE_CHAIR = "first_vice_chair", _("Förste vice ordförande")
    SECOND_VICE_CHAIR = "second_vice_chair", _("Andre vice ordförande")


class Seat(models.Model):
    """One person's seat in a body for a term; a person may sit in several bodies."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    person_name = models.CharField(_("namn"), max_length=200)
    party = models.CharField(_("parti"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="seats"
    )
    appointed_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="seats", verbose_name=_("utsedd av")
    )
    kind = models.CharField(_("slag"), max_length=20, choices=SeatKind.choices, default=SeatKind.MEMBER)
    office = models.CharField(_("uppdrag"), max_length=20, choices=Office.choices, blank=True, default="")
    start = models.DateField(_("mandatperiod från"))
    end = models.DateField(_("mandatperiod till"), null=True, blank=True)

    class Meta:
        ordering = ["body", "kind", "person_name"]
        verbose_name = _("uppdrag i organ")
        verbose_name_plural = _("uppdrag i organ")

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_kind_display()})"


class CaseCounter(models.Model):
    """The last case number taken in a federation's series for a year (locked while taking one)."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["federation", "year"], name="governance_one_case_counter")]

    def __str__(self) -> str:
        return f"{self.federation_id} {self.year}: {self.last}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Pågående")
    CLOSED = "closed", _("Avslutat")


class Case(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField(_("år"))
    sequence = models.PositiveIntegerField(_("löpnummer"))
    number = models.CharField(_("diarienummer"), max_length=40)  # formatted, e.g. "2013-16", "KS 2019/492"
    title = models.CharField(_("ärendemening"), max_length=300)
    opened = models.DateField(_("öppnat"))
    closed = models.DateField(_("avslutat"), null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handläggare"),
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    secret_title = models.BooleanField(
        _("ärendemeningen omfattas av sekretess"), default=False
    )  # the public register then shows only the number

    class Meta:
        ordering = ["federation", "-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "number"], name="governance_unique_case_number"),
            models.UniqueConstraint(fields=["federation", "year", "sequence"], name="governance_unique_case_sequence"),
        ]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DocumentKind(models.TextChoices):
    INCOMING = "incoming", _("Inkommande")
    OUTGOING = "outgoing", _("Utgående")
    DRAFT = "draft", _("Upprättad (utkast)")
    MEMO = "memo", _("Upprättad")
    ATTACHMENT = "attachment", _("Bilaga")


class CaseDocument(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    sequence = models.PositiveIntegerField(_("handlingsnummer"))
    kind = models.CharField(_("slag"), max_length=20, choices=DocumentKind.choices)
    date = models.DateField(_("datum"))
    title = models.CharField(_("rubrik"), max_length=300)
    counterparty = models.CharField(_("avsändare/mottagare"), max_length=300, blank=True)
    file = models.FileField(_("fil"), storage=PrivateStorage(), max_length=200, blank=True)
    secrecy = models.CharField(
        _("sekretess (OSL kap. och §)"),
        max_length=40,
        blank=True,
        help_text=_("Till exempel ”OSL 21 kap. 7 §”. Tomt betyder allmän offentlig handling."),
    )
    registered_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "sequence"]
        constraints = [models.UniqueConstraint(fields=["case", "sequence"], name="governance_unique_document_number")]
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")

    def __str__(self) -> str:
        return f"{self.case.number}:{self.sequence}"


class CaseLink(models.Model):
    """What a case concerns elsewhere in Samverkan (an allocation run, a price list version, an
    agreement, a hand-over, an invoice run …)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "content_type", "object_id"], name="governance_unique_case_link")
        ]
        verbose_name = _("koppling")
        verbose_name_plural = _("kopplingar")

    def __str__(self) -> str:
        return f"{self.case.number} → {self.content_type.model} {self.object_id}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planerat")
    NOTICE_SENT = "notice_sent", _("Kallelse skickad")
    HELD = "held", _("Genomfört")
    ADJUSTED = "adjusted", _("Protokollet justerat")
    CANCELLED = "cancelled", _("Inställt")


class Meeting(models.Model):
    """A meeting of a body; the meeting plan of a year is its planned meetings with their topics."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("klockan från"), null=True, blank=True)
    end_time = models.TimeField(_("klockan till"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    topics = models.TextField(_("planerade ämnen"), blank=True)  # the meeting plan's line
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    notice_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)

    class Meta:
        ordering = ["body", "date"]
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")

    def __str__(self) -> str:
        return f"{self.body} {self.date:%Y-%m-%d}"


class AgendaItemKind(models.TextChoices):
    ADJUSTERS = "adjusters", _("Val av justerare")
    APPROVE_AGENDA = "approve_agenda", _("Godkännande av dagordningen")
    EXTRA_ITEMS = "extra_items", _("Extra ärenden")
    CASE = "case", _("Ärende")
    INFORMATION = "information", _("Information")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("ordning"))
    kind = models.CharField(_("slag"), max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.CASE)
    title = models.CharField(_("rubrik"), max_length=300)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items")
    proposal = models.TextField(_("förslag till beslut"), blank=True)
    documents = models.ManyToManyField(CaseDocument, blank=True, related_name="agenda_items")
    presenter = models.CharField(_("föredragande"), max_length=200, blank=True)
    # appended by the meetings helper: seed 003's "Beslut skickas till" (the minutes copy it to
    # Paragraph.dispatch_to) and items added after the notice went out (extra ärenden)
    dispatch_to = models.TextField(_("beslut skickas till"), blank=True)  # one recipient per line
    extra = models.BooleanField(_("extra ärende"), default=False)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="governance_unique_agenda_position")
        ]
        verbose_name = _("punkt på föredragningslistan")
        verbose_name_plural = _("punkter på föredragningslistan")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class AttendanceKind(models.TextChoices):
    MEMBER = "member", _("Ledamot")
    SERVING_SUBSTITUTE = "serving_substitute", _("Tjänstgörande ersättare")
    SUBSTITUTE = "substitute", _("Ersättare (ej tjänstgörande)")
    OTHER = "other", _("Övriga närvarande")
    ABSENT = "absent", _("Frånvarande")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(Seat, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("titel eller parti"), max_length=200, blank=True)
    kind = models.CharField(_("slag"), max_length=20, choices=AttendanceKind.choices)
    paragraphs = models.CharField(_("närvarande vid §"), max_length=40, blank=True)  # "51-52"

    class Meta:
        ordering = ["meeting", "kind", "name"]
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")

    def __str__(self) -> str:
        return self.name


class Minutes(models.Model):
    """The minutes of one meeting. Locked (locked_at set) when every adjuster has approved."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    secretary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    chair_name = models.CharField(_("ordförande"), max_length=200)
    adjustment_place_time = models.CharField(_("justeringens plats och tid"), max_length=200, blank=True)
    kept_at = models.CharField(_("förvaringsplats för protokollet"), max_length=200, blank=True)
    agenda_changes = models.TextField(_("ändringar i föredragningslistan"), blank=True)
    locked_at = models.DateTimeField(_("justerat"), null=True, blank=True)

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")

    def __str__(self) -> str:
        return f"{self.meeting}"


class AdjusterRole(models.TextChoices):
    CHAIR = "chair", _("Ordförande")
    ADJUSTER = "adjuster", _("Justerare")


class Adjuster(models.Model):
    """Who must approve the minutes; `approved_at` is their recorded, audited act."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="adjusters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("roll"), max_length=10, choices=AdjusterRole.choices)
    approved_at = models.DateTimeField(_("godkänt"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["minutes", "user"], name="governance_adjuster_once")]
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ParagraphCounter(models.Model):
    """The last paragraph number a body used in a year (locked while taking the next)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="governance_one_paragraph_counter")]

    def __str__(self) -> str:
        return f"{self.body_id} {self.year}: {self.last}"


class Paragraph(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="paragraphs")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="paragraphs")
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("paragraf"))
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="paragraphs")
    title = models.CharField(_("rubrik"), max_length=300)
    text = models.TextField(_("ärendebeskrivning"), blank=True)
    decision = models.TextField(_("beslut"), blank=True)
    dispatch_to = models.TextField(_("sänds till"), blank=True)  # one recipient per line
    reservations = models.TextField(_("reservationer"), blank=True)

    class Meta:
        ordering = ["body", "year", "number"]
        constraints = [models.UniqueConstraint(fields=["body", "year", "number"], name="governance_unique_paragraph")]
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")

    def __str__(self) -> str:
        return f"{self.body.paragraph_prefix or '§'} {self.number}".strip()


class DecisionLink(models.Model):
    """What a paragraph decided elsewhere in Samverkan (an approved allocation run, an adopted
    price list, a new member's admission), shown on both sides."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.PROTECT, related_name="effects")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    description = models.CharField(_("vad beslutet ändrade"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "content_type", "object_id"], name="governance_unique_decision_link"
            )
        ]
        verbose_name = _("beslutskoppling")
        verbose_name_plural = _("beslutskopplingar")

    def __str__(self) -> str:
        return f"{self.paragraph} → {self.content_type.model} {self.object_id}"


class NoticePosting(models.Model):
    """The notice of adjusted minutes on the public notice board (anslagstavla). Rows are kept
    after take-down: the page keeps the history."""

    minutes = models.OneToOneField(Minutes, on_delete=models.PROTECT, related_name="posting")
    posted_on = models.DateField(_("anslaget uppsatt"))
    taken_down_on = models.DateField(_("anslaget tas ned"))
    kept_at = models.CharField(_("förvaringsplats för protokollet"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-posted_on"]
        verbose_name = _("anslag")
        verbose_name_plural = _("anslag")

    def __str__(self) -> str:
        return f"{self.minutes} {self.posted_on:%Y-%m-%d}–{self.taken_down_on:%Y-%m-%d}"


class AgreementKind(models.TextChoices):
    CHARTER = "charter", _("Förbundsordning")
    COOPERATION = "cooperation", _("Samverkansavtal")
    SUPPLIER = "supplier", _("Leverantörsavtal")
    CALL_OFF = "call_off", _("Avrop på ramavtal")
    OTHER = "other", _("Annat avtal")


class Agreement(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(_("slag"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("benämning"), max_length=300)
    parties = models.TextField(_("parter"), blank=True)  # one per line
    counterparty = models.CharField(_("motpart/leverantör"), max_length=200, blank=True)
    host_member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("värdkommun")
    )
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    term = models.CharField(_("avtalstid"), max_length=200, blank=True)
    renewal = models.CharField(_("förlängning"), max_length=300, blank=True)
    notice_months = models.PositiveSmallIntegerField(_("uppsägningstid (månader)"), null=True, blank=True)
    notice_deadline = models.DateField(_("senast uppsägning"), null=True, blank=True)
    review_by = models.DateField(_("bör revideras senast"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig"),
    )
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements")
    file = models.FileField(_("avtalet"), storage=PrivateStorage(), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("påminnelse skickad"), null=True, blank=True)

    class Meta:
        ordering = ["federation", "title"]
        verbose_name = _("avtal")
        verbose_name_plural = _("avtal")

    def __str__(self) -> str:
        return self.title


class AgreementRevision(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="revisions")
    decided_on = models.DateField(_("beslutsdatum"))
    decided_by = models.CharField(_("beslutat av"), max_length=200)
    paragraph_ref = models.CharField(_("§"), max_length=40, blank=True)
    case_ref = models.CharField(_("Dnr"), max_length=40, blank=True)
    paragraph = models.ForeignKey(Paragraph, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    change = models.TextField(_("vad revideringen ändrade"), blank=True)
    review_by = models.DateField(_("bör revideras senast"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "decided_on"]
        verbose_name = _("revidering")
        verbose_name_plural = _("revideringar")

    def __str__(self) -> str:
        return f"{self.agreement} {self.decided_on:%Y-%m-%d}"


class RecordType(models.TextChoices):
    TICKETS = "tickets", _("Ärenden i portalen")
    ATTACHMENTS = "attachments", _("Bilagor till ärenden")
    CALL_RECORDS = "call_records", _("Samtalsposter")
    ORDERS = "orders", _("Beställningar")
    INVOICES = "invoices", _("Fakturor")
    MINUTES = "minutes", _("Protokoll")
    CASE_DOCUMENTS = "case_documents", _("Handlingar i diariet")


class RetentionRule(models.Model):
    """The document management plan (dokumenthanteringsplan): how long each record type is kept."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="retention_rules")
    record_type = models.CharField(_("handlingstyp"), max_length=20, choices=RecordType.choices)
    keep_years = models.PositiveSmallIntegerField(_("bevaras i år"), null=True, blank=True)  # None = for ever
    dispose = models.BooleanField(_("gallras"), default=False)
    legal_basis = models.CharField(_("grund"), max_length=200, blank=True)

    class Meta:
        ordering = ["federation", "record_type"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "record_type"], name="governance_one_rule_per_type")
        ]
        verbose_name = _("gallringsregel")
        verbose_name_plural = _("dokumenthanteringsplan")

    def __str__(self) -> str:
        return self.get_record_type_display()


class DisposalLog(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="disposal_logs")
    record_type = models.CharField(_("handlingstyp"), max_length=20, choices=RecordType.choices)
    cutoff = models.DateField(_("gallrat till och med"))
    count = models.PositiveIntegerField(_("antal"))
    details = models.TextField(_("detaljer"), blank=True)
    run_at = models.DateTimeField(_("utfört"), auto_now_add=True)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-run_at"]
        verbose_name = _("gallringslogg")
        verbose_name_plural = _("gallringslogg")

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} {self.cutoff:%Y-%m-%d}: {self.count}"


# ---- case register settings (appended by the bodies/cases helper) ----------------------------


class GovernanceSettings(models.Model):
    """Per-federation settings of governance; today the case-number pattern of the diarium
    (`samverkan.domain.case_numbers`: "{year}-{n:02}" → "2013-16", "KS {year}/{n}" → "KS 2019/492")."""

    federation = models.OneToOneField(Federation, on_delete=models.CASCADE, related_name="governance_settings")
    case_number_pattern = models.CharField(
        _("mönster för diarienummer"),
        max_length=40,
        default="{year}-{n:02}",
        help_text=_("{year} är året och {n} löpnumret; {n:02} fyller ut med nollor till två siffror."),
    )

    class Meta:
        verbose_name = _("inställningar för styrning")
        verbose_name_plural = _("inställningar för styrning")

    def __str__(self) -> str:
        return f"{self.federation_id}: {self.case_number_pattern}"
