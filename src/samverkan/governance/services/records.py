"""Records management: the document management plan (dokumenthanteringsplan), disposal of what
the plan lets go (gallring), and personal data (GDPR art. 15 report, art. 17 erasure or
pseudonymisation).

The law keeps two record types whatever a plan says, and the service refuses a rule against it:
invoices and the orders behind them are accounting records kept seven years (bokföringslagen
7 kap. 2 §), and minutes are kept for ever. Disposal here touches only what Samverkan itself
holds as short-lived records: closed portal tickets with their comments and attachments, and
imported call records; invoices, orders, minutes and the case register are never deleted by it.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.billing.models import BilledTimeEntry, Invoice
from samverkan.core.audit import audit_record
from samverkan.core.models import User
from samverkan.core.permissions import require
from samverkan.core.services import model_update
from samverkan.domain.agreement_dates import retention_cutoff
from samverkan.governance.models import (
    Agreement,
    Attendance,
    CaseDocument,
    DisposalLog,
    RecordType,
    RetentionRule,
    Seat,
)
from samverkan.governance.policies import MANAGE_RECORDS
from samverkan.members.models import Contact
from samverkan.portal.models import Attachment, Comment, Status, Ticket, TimeEntry
from samverkan.telephony.models import AgentInterval, CallArchive

DEFAULT_PLAN = Path(__file__).resolve().parent.parent / "data" / "retention_default.csv"
INVOICE_MIN_YEARS = 7  # bokföringslagen 7 kap. 2 §
BATCH = 500  # rows deleted per statement
MAX_PER_RUN = 20_000  # rows per record type and run; the next run takes the rest
MAX_ROWS = 500  # rows per section of a personal data report
MIN_PHONE_DIGITS = 7
AUTOMATED = (RecordType.TICKETS, RecordType.ATTACHMENTS, RecordType.CALL_RECORDS)
NOT_AUTOMATED = {
    RecordType.ORDERS: "Beställningar hör till fakturaunderlaget och gallras inte automatiskt.",
    RecordType.INVOICES: "Fakturor ändras och gallras aldrig av Samverkan (bokföringslagen 7 kap. 2 §).",
    RecordType.MINUTES: "Protokoll bevaras för all framtid.",
    RecordType.CASE_DOCUMENTS: "Diariets handlingar gallras bara efter särskilt beslut.",
}


# ---- the plan ---------------------------------------------------------------------------------


def default_plan() -> list[dict[str, Any]]:
    """The default plan shipped in data/retention_default.csv (one row per record type)."""
    with DEFAULT_PLAN.open(encoding="utf-8") as handle:
        return [
            {
                "record_type": row["record_type"],
                "keep_years": int(row["keep_years"]) if row["keep_years"] else None,
                "dispose": row["dispose"].strip().lower() == "true",
                "legal_basis": row["legal_basis"],
            }
            for row in csv.DictReader(handle)
        ]


def validate_rule(record_type: str, keep_years: int | None, dispose: bool) -> None:
    """Refuse a rule against the law: invoices and orders before seven years, minutes at all."""
    if dispose and keep_years is None:
        raise ValidationError({"keep_years": _("Ange hur många år handlingarna bevaras innan de gallras.")})
    if record_type == RecordType.MINUTES and (dispose or keep_years is not None):
        raise ValidationError({"dispose": _("Protokoll bevaras för all framtid och får inte gallras.")})
    if record_type in (RecordType.INVOICES, RecordType.ORDERS) and dispose and keep_years < INVOICE_MIN_YEARS:
        raise ValidationError(
            {"keep_years": _("Räkenskapsinformation bevaras i minst sju år (bokföringslagen 7 kap. 2 §).")}
        )


@transaction.atomic
def retention_plan(*, acting_user, federation) -> list[RetentionRule]:
    """The federation's plan, with the default rows installed for record types that have none."""
    require(acting_user, MANAGE_RECORDS, federation=federation)
    have = set(RetentionRule.objects.filter(federation=federation).values_list("record_type", flat=True))
    for row in default_plan():
        if row["record_type"] not in have:
            rule = RetentionRule.objects.create(federation=federation, **row)
            audit_record(actor=acting_user, action="create", instance=rule, after=row)
    order = RecordType.values  # the plan reads in the order of the record types, not alphabetically
    return sorted(RetentionRule.objects.filter(federation=federation), key=lambda r: order.index(r.record_type))


@transaction.atomic
def rule_update(*, acting_user, rule: RetentionRule, keep_years: int | None, dispose: bool, legal_basis: str):
    require(acting_user, MANAGE_RECORDS, obj=rule)
    validate_rule(rule.record_type, keep_years, dispose)
    data = {"keep_years": keep_years, "dispose": dispose, "legal_basis": legal_basis}
    return model_update(instance=rule, acting_user=acting_user, data=data)[0]


# ---- disposal ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DisposalLine:
    record_type: str
    label: str
    cutoff: date | None
    count: int
    note: str = ""


@dataclass(frozen=True)
class DisposalResult:
    federation: str
    today: date
    dry_run: bool
    lines: list[DisposalLine] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "federation": self.federation,
            "today": self.today.isoformat(),
            "dry_run": self.dry_run,
            "lines": [
                {**asdict(line), "cutoff": line.cutoff.isoformat() if line.cutoff else None} for line in self.lines
            ],
        }


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _billed_time() -> Q:
    return Q(time_entries__id__in=BilledTimeEntry.objects.values("time_entry_id"))


def _due(federation, record_type: str, cutoff: date):
    """The rows of a record type dated before `cutoff`. Tickets with billed time are invoice
    basis and stay until the invoices may go."""
    closed = {"status": Status.CLOSED, "closed_at__lt": _start_of(cutoff)}
    if record_type == RecordType.TICKETS:
        return Ticket.objects.filter(federation=federation, **closed).exclude(_billed_time())
    if record_type == RecordType.ATTACHMENTS:
        return Attachment.objects.filter(
            ticket__federation=federation, **{f"ticket__{k}": v for k, v in closed.items()}
        )
    return CallArchive.objects.filter(batch__federation=federation, last_entered__lt=_start_of(cutoff))


def _delete_batch(record_type: str, ids: list[int]) -> None:
    if record_type == RecordType.TICKETS:
        files = list(Attachment.objects.filter(ticket_id__in=ids).values_list("file", flat=True))
        TimeEntry.objects.filter(ticket_id__in=ids).delete()
        Ticket.objects.filter(id__in=ids).delete()
    elif record_type == RecordType.ATTACHMENTS:
        files = list(Attachment.objects.filter(id__in=ids).values_list("file", flat=True))
        Attachment.objects.filter(id__in=ids).delete()
    else:
        files = []
        CallArchive.objects.filter(id__in=ids).delete()
    if files:
        storage = Attachment._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in files if name])


@transaction.atomic
def records_dispose(*, acting_user, federation, today: date, dry_run: bool = False) -> DisposalResult:
    """Dispose of what the plan says is due (or, dry run, count it), per record type in batches of
    BATCH rows and at most MAX_PER_RUN rows a run. Each disposal writes a DisposalLog row, audited."""
    require(acting_user, MANAGE_RECORDS, federation=federation)
    rules = {rule.record_type: rule for rule in retention_plan(acting_user=acting_user, federation=federation)}
    result = DisposalResult(federation=federation.slug, today=today, dry_run=dry_run)
    labels = dict(RecordType.choices)
    for record_type in RecordType.values:
        rule = rules.get(record_type)
        label = str(labels[record_type])
        if record_type not in AUTOMATED:
            result.lines.append(DisposalLine(record_type, label, None, 0, _(NOT_AUTOMATED[record_type])))
            continue
        if rule is None or not rule.dispose or rule.keep_years is None:
            result.lines.append(DisposalLine(record_type, label, None, 0, _("Bevaras enligt planen.")))
            continue
        cutoff = retention_cutoff(today, rule.keep_years)
        due = _due(federation, record_type, cutoff)
        if dry_run:
            result.lines.append(DisposalLine(record_type, label, cutoff, due.count()))
            continue
        count = 0
        while count < MAX_PER_RUN:
            ids = list(due.order_by("id").values_list("id", flat=True)[: min(BATCH, MAX_PER_RUN - count)])
            if not ids:
                break
            _delete_batch(record_type, ids)
            count += len(ids)
        note = _("Fler återstår; körs igen nästa gång.") if count >= MAX_PER_RUN and due.exists() else ""
        if count:
            log = DisposalLog.objects.create(
                federation=federation,
                record_type=record_type,
                cutoff=cutoff,
                count=count,
                details=note or rule.legal_basis,
                run_by=acting_user,
            )
            audit_record(
                actor=acting_user,
                action="dispose",
                instance=log,
                after={"record_type": record_type, "cutoff": cutoff.isoformat(), "count": count},
            )
        result.lines.append(DisposalLine(record_type, label, cutoff, count, note))
    return result


# ---- personal data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass(frozen=True)
class PersonalDataReport:
    query: str
    created_at: datetime
    sections: list[Section]

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "created_at": self.created_at.isoformat(),
            "sections": [
                {
                    "key": s.key,
                    "label": s.label,
                    "note": s.note,
                    "rows": [dict(zip(s.columns, row, strict=True)) for row in s.rows],
                }
                for s in self.sections
            ],
        }


@dataclass(frozen=True)
class _Person:
    query: str
    users: list[User]

    @property
    def terms(self) -> list[str]:
        """The strings that identify the person in free text: the query, names and e-mails."""
        found = {self.query}
        for user in self.users:
            found |= {user.email, user.get_full_name(), user.username}
        return sorted((t for t in found if t and len(t) >= 3), key=len, reverse=True)


def _person(federation, query: str) -> _Person:
    query = query.strip()
    if len(query) < 3:
        raise ValidationError(
            {"query": _("Ange minst tre tecken: namn, e-postadress, telefonnummer eller användarnamn.")}
        )
    parts = query.split()
    name = Q(first_name__iexact=parts[0], last_name__iexact=" ".join(parts[1:])) if len(parts) > 1 else Q(pk=None)
    users = User.objects.filter(Q(username__iexact=query) | Q(email__iexact=query) | name, federation=federation)
    return _Person(query, list(users))


def _mentions(fields: list[str], terms: list[str]) -> Q:
    condition = Q(pk=None)
    for term in terms:
        for name in fields:
            condition |= Q(**{f"{name}__icontains": term})
    return condition


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _sources(federation, person: _Person) -> dict[str, Any]:
    """Querysets of every row that names the person, by section key."""
    terms, users = person.terms, person.users
    phone = _digits(person.query)
    by_phone = Q(pk=None)
    if len(phone) >= MIN_PHONE_DIGITS:  # numbers are written with spaces and dashes: compare digits
        numbers = Contact.objects.filter(member__federation=federation).exclude(phone="").values_list("pk", "phone")
        by_phone = Q(pk__in=[pk for pk, number in numbers if _digits(number).endswith(phone[-MIN_PHONE_DIGITS:])])
    contacts = Contact.objects.filter(member__federation=federation).filter(
        _mentions(["name", "email"], terms) | by_phone
    )
    return {
        "tickets": Ticket.objects.filter(federation=federation).filter(
            Q(requester__in=users) | _mentions(["requester_name", "requester_email", "title", "description"], terms)
        ),
        "comments": Comment.objects.filter(ticket__federation=federation).filter(
            Q(author__in=users) | _mentions(["author_name", "body"], terms)
        ),
        "attachments": Attachment.objects.filter(ticket__federation=federation, uploaded_by__in=users),
        "contacts": contacts,
        "seats": Seat.objects.filter(body__federation=federation).filter(
            Q(user__in=users) | _mentions(["person_name"], terms)
        ),
        "attendance": Attendance.objects.filter(meeting__body__federation=federation).filter(
            _mentions(["name"], terms)
        ),
        "case_documents": CaseDocument.objects.filter(case__federation=federation).filter(
            _mentions(["counterparty", "title"], terms)
        ),
        "agreements": Agreement.objects.filter(federation=federation, responsible__in=users),
        "invoices": Invoice.objects.filter(federation=federation).filter(_mentions(["invoice_reference"], terms)),
        "agent_time": AgentInterval.objects.filter(federation=federation).filter(
            Q(agent__in=terms) | Q(agent__in=[u.username for u in users])
        ),
    }


def _d(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _sections(federation, person: _Person) -> list[Section]:
    src = _sources(federation, person)
    cut = MAX_ROWS
    agent = src["agent_time"]
    agent_rows = []
    if agent.exists():
        first = agent.order_by("start").first()
        last = agent.order_by("-start").first()
        agent_rows = [[first.agent, str(agent.count()), _d(first.start), _d(last.start)]]
    return [
        Section(
            "users",
            _("Användarkonton"),
            [_("Användarnamn"), _("Namn"), _("E-post"), _("Roller")],
            [[u.username, u.get_full_name(), u.email, ", ".join(sorted(u.roles))] for u in person.users],
        ),
        Section(
            "tickets",
            _("Ärenden i portalen"),
            [_("Ärende"), _("Rubrik"), _("Kontaktperson"), _("E-post"), _("Skapat")],
            [
                [t.reference, t.title, t.requester_name, t.requester_email, _d(t.created_at)]
                for t in src["tickets"][:cut]
            ],
        ),
        Section(
            "comments",
            _("Kommentarer"),
            [_("Ärende"), _("Skriven av"), _("Tid"), _("Text")],
            [[f"#{c.ticket_id}", c.author_name, _d(c.created_at), c.body[:200]] for c in src["comments"][:cut]],
        ),
        Section(
            "attachments",
            _("Uppladdade bilagor"),
            [_("Ärende"), _("Filnamn"), _("Uppladdad")],
            [[f"#{a.ticket_id}", a.original_name, _d(a.uploaded_at)] for a in src["attachments"][:cut]],
        ),
        Section(
            "contacts",
            _("Kontaktpersoner hos medlemmar"),
            [_("Medlem"), _("Namn"), _("Befattning"), _("E-post"), _("Telefon")],
            [
                [c.member.name, c.name, c.title, c.email, c.phone]
                for c in src["contacts"].select_related("member")[:cut]
            ],
        ),
        Section(
            "seats",
            _("Uppdrag i organ"),
            [_("Organ"), _("Namn"), _("Slag"), _("Från"), _("Till")],
            [
                [s.body.name, s.person_name, s.get_kind_display(), _d(s.start), _d(s.end)]
                for s in src["seats"].select_related("body")[:cut]
            ],
        ),
        Section(
            "attendance",
            _("Närvaro vid sammanträden"),
            [_("Sammanträde"), _("Namn"), _("Slag")],
            [
                [str(a.meeting), a.name, a.get_kind_display()]
                for a in src["attendance"].select_related("meeting__body")[:cut]
            ],
        ),
        Section(
            "case_documents",
            _("Handlingar i diariet"),
            [_("Diarienummer"), _("Rubrik"), _("Avsändare/mottagare"), _("Datum")],
            [
                [d.case.number, "" if d.secrecy else d.title, d.counterparty, _d(d.date)]
                for d in src["case_documents"].select_related("case")[:cut]
            ],
        ),
        Section(
            "agreements",
            _("Ansvarig för avtal"),
            [_("Avtal"), _("Gäller från")],
            [[a.title, _d(a.valid_from)] for a in src["agreements"][:cut]],
        ),
        Section(
            "invoices",
            _("Fakturor med personen som referens"),
            [_("Faktura"), _("Fakturadatum"), _("Fakturareferens")],
            [[str(i), _d(i.issue_date), i.invoice_reference] for i in src["invoices"][:cut]],
        ),
        Section(
            "agent_time",
            _("Tid som agent i telefonin"),
            [_("Agent"), _("Kvartar"), _("Första"), _("Sista")],
            agent_rows,
            note=_("Samtalsposterna lagrar samtals-id och agent, inte den uppringandes nummer."),
        ),
    ]


@transaction.atomic
def personal_data_report(*, acting_user, federation, query: str) -> PersonalDataReport:
    """Everything Samverkan stores about one person (GDPR art. 15), by a user's name, username
    or e-mail, or a name, e-mail or phone number found in tickets, contacts and the minutes.
    Taking the extract is audited (what was searched for, not what was found)."""
    require(acting_user, MANAGE_RECORDS, federation=federation)
    person = _person(federation, query)
    report = PersonalDataReport(query=person.query, created_at=timezone.now(), sections=_sections(federation, person))
    audit_record(
        actor=acting_user,
        action="personal_data_report",
        object_type="governance.PersonalData",
        object_repr=person.query[:200],
        federation=federation,
    )
    return report


class EraseMode:
    PSEUDONYMISE = "pseudonymise"
    ERASE = "erase"


@dataclass(frozen=True)
class ErasureResult:
    mode: str
    replacement: str
    changed: dict[str, int]
    left: list[tuple[str, int, str]]  # (what, how many, why)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "replacement": self.replacement,
            "changed": self.changed,
            "left": [{"what": w, "count": n, "reason": r} for w, n, r in self.left],
        }


def _scrub(text: str, terms: list[str], replacement: str) -> str:
    for term in terms:
        text = re.sub(re.escape(term), replacement, text, flags=re.IGNORECASE)
    return text


def _rewrite(
    rows, *, fields: list[str], terms: list[str], replacement: str, users: set[int], link: str, email: str
) -> int:
    """Scrub the person from each row's text fields, unlink their account (`link`) and clear
    their e-mail field (`email`, "" for none); returns the number of rows changed."""
    lowered = {t.lower() for t in terms}
    names = [*fields, link, *([email] if email else [])]
    count = 0
    for row in rows[:MAX_PER_RUN]:
        before = [getattr(row, name) for name in names]
        for name in fields:
            limit = row._meta.get_field(name).max_length
            setattr(row, name, _scrub(getattr(row, name), terms, replacement)[:limit])
        if getattr(row, link) in users:
            setattr(row, link, None)
        if email and getattr(row, email).lower() in lowered:
            setattr(row, email, "")
        if before != [getattr(row, name) for name in names]:
            row.save(update_fields=[name.removesuffix("_id") for name in names])
            count += 1
    return count


@transaction.atomic
def personal_data_erase(*, acting_user, federation, person: str, mode: str = EraseMode.PSEUDONYMISE) -> ErasureResult:
    """Remove one person from tickets, comments and member contacts (GDPR art. 17), or replace
    them by a pseudonym that is the same for the same person. Left unchanged, and said why:
    minutes (seats, attendance), the case register, invoices, and tickets when the plan keeps
    tickets for ever. The audit rows name the changed rows and the mode, never the data."""
    require(acting_user, MANAGE_RECORDS, federation=federation)
    if mode not in (EraseMode.PSEUDONYMISE, EraseMode.ERASE):
        raise ValidationError({"mode": _("Välj pseudonymisering eller radering.")})
    who = _person(federation, person)
    terms = who.terms
    digest = hashlib.sha256(f"{federation.pk}:{who.query.lower()}".encode()).hexdigest()[:8]
    replacement = f"Person {digest}" if mode == EraseMode.PSEUDONYMISE else "[borttaget]"
    src = _sources(federation, who)
    changed: dict[str, int] = {}
    left: list[tuple[str, int, str]] = []
    keep_tickets = RetentionRule.objects.filter(
        federation=federation, record_type=RecordType.TICKETS, dispose=False
    ).exists()
    if keep_tickets:
        left.append(
            (
                _("Ärenden och kommentarer"),
                src["tickets"].count() + src["comments"].count(),
                _("Dokumenthanteringsplanen bevarar ärenden i portalen."),
            )
        )
    else:
        users = {u.pk for u in who.users}
        common = {"terms": terms, "replacement": replacement, "users": users}
        changed["tickets"] = _rewrite(
            src["tickets"].order_by("id"),
            fields=["requester_name", "title", "description"],
            link="requester_id",
            email="requester_email",
            **common,
        )
        changed["comments"] = _rewrite(
            src["comments"].order_by("id"), fields=["author_name", "body"], link="author_id", email="", **common
        )
        changed["attachments"] = src["attachments"].update(uploaded_by=None)
    contacts = src["contacts"]
    if mode == EraseMode.ERASE:
        changed["contacts"] = len(contacts)
        contacts.delete()
    else:
        changed["contacts"] = contacts.update(name=replacement, email="", phone="")
    minutes = src["seats"].count() + src["attendance"].count()
    if minutes:
        left.append((_("Uppdrag och närvaro i protokoll"), minutes, _("Protokoll bevaras för all framtid.")))
    for key, label, reason in (
        (
            "case_documents",
            _("Handlingar i diariet"),
            _("Allmänna handlingar bevaras enligt dokumenthanteringsplanen."),
        ),
        ("invoices", _("Fakturor"), _("Räkenskapsinformation bevaras i sju år (bokföringslagen 7 kap. 2 §).")),
        ("agreements", _("Avtal"), _("Ansvarig för avtal ändras på avtalet.")),
        ("agent_time", _("Agenttid i telefonin"), _("Statistik gallras enligt planen för samtalsposter.")),
    ):
        count = src[key].count()
        if count:
            left.append((label, count, reason))
    if who.users:
        left.append((_("Användarkonton"), len(who.users), _("Konton avslutas under Användare.")))
    audit_record(
        actor=acting_user,
        action=f"personal_data_{mode}",
        object_type="governance.PersonalData",
        object_repr=replacement,
        federation=federation,
        after={"changed": changed},
    )
    return ErasureResult(mode=mode, replacement=replacement, changed=changed, left=left)
