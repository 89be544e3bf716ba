"""Demo governance: LYST's October 2013 minutes (seed 001) and GSN's agenda of 26 October 2020
with the cooperation agreement and its revision table (seed 003).

The seeds are stored as data in `governance/data/*.json` and entered here through the ordinary
services, in the order a secretary would: cases with their historic numbers, the meeting and its
agenda, the minutes with attendance, adjusters and paragraphs numbered from 50, then the chair's
and the adjuster's approvals recorded (by the system, with the seed's day 2013-11-04 as their
time), which locks the minutes and posts the notice (dated November 2013, so the notice board
shows it as history). What the seeds do not say (the exact
meeting day, case opening dates, the 2013 term, Lystkom's present direktion) is DEMO DATA and
marked so in the data files and below.

`build` is idempotent: a body that already exists is left as it is, so a second run adds
nothing (locked minutes could not be rebuilt anyway).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from samverkan.core.actors import system_actor
from samverkan.core.models import User
from samverkan.governance.models import AgendaItemKind, Body, BodyKind, MeetingStatus, Office, SeatKind
from samverkan.governance.services import agreements, bodies, cases, meetings, minutes
from samverkan.members.models import Federation

DATA = Path(__file__).parent / "data"
DEMO_PASSWORD = "Samverkan-demo-2025"  # the shared demo password (members.demo)
DIREKTION = "Direktionen"
DIREKTION_TERM = (date(2023, 1, 1), date(2026, 12, 31))
# DEMO DATA: Lystkom's direktion, one member and one substitute per member municipality
# (kommunkod, member, party, office, substitute, party, username of an existing demo user).
# Leif Pettersson is the members demo's board user "ledamot".
DIREKTION_SEATS = [
    ("2481", "Leif Pettersson", "S", Office.CHAIR, "Maria Nordin", "C", "ledamot"),
    ("2421", "Johan Lindqvist", "C", Office.FIRST_VICE_CHAIR, "Eva Sjödin", "S", None),
    ("2462", "Kristina Öberg", "S", Office.SECOND_VICE_CHAIR, "Nils Forsberg", "M", None),
    ("2463", "Anders Holmgren", "KD", Office.NONE, "Sara Lundberg", "S", None),
    ("2425", "Ingrid Westman", "S", Office.NONE, "Olof Granström", "C", None),
]


@cache
def load(name: str) -> dict[str, Any]:
    """A seed's data file (read once per process)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _user(federation: Federation, username: str, spec: dict[str, str]) -> User:
    """A demo user with the shared demo password; an existing one is reused."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            email=f"{username}@demo.samverkan.se",
            federation=federation,
            roles=[spec["role"]],
        )
    return user


def _members_by_code(federation: Federation) -> dict[str, Any]:
    return {m.kommunkod: m for m in federation.members.all()}


# ---- LYST (seed 001) -------------------------------------------------------------------------


def build_lyst(lystkom: Federation) -> Body | None:
    """Samverkansnämnden LYST with its cases, the October 2013 meeting and adjusted minutes, and
    the 2014 meeting plan of § Lyst 57. None when the body is already there."""
    seed = load("lyst_2013_10.json")
    if Body.objects.filter(federation=lystkom, name=seed["body"]["name"]).exists():
        return None
    actor = system_actor()
    users = {name: _user(lystkom, name, spec) for name, spec in seed["users"].items()}
    body = bodies.body_create(acting_user=actor, federation=lystkom, **seed["body"])
    term = seed["term"]
    seats = {}
    for spec in seed["seats"]:
        seats[spec["person_name"]] = bodies.seat_add(
            acting_user=actor,
            body=body,
            person_name=spec["person_name"],
            party=spec["party"],
            office=spec["office"],
            kind=spec["kind"],
            user=users.get(spec["user"]) if spec["user"] else None,
            start=_date(term["start"]),
            end=_date(term["end"]),
        )
    case_by_number = {
        spec["number"]: cases.case_open(
            acting_user=actor,
            federation=lystkom,
            number=spec["number"],
            title=spec["title"],
            opened=_date(spec["opened"]),
        )
        for spec in seed["cases"]
    }
    meeting_spec = seed["meeting"]
    meeting = meetings.meeting_create(
        acting_user=actor,
        body=body,
        date=_date(meeting_spec["date"]),
        start_time=_time(meeting_spec["start_time"]),
        end_time=_time(meeting_spec["end_time"]),
        place=meeting_spec["place"],
    )
    items = _lyst_agenda(actor, meeting, seed, case_by_number)
    record = _lyst_minutes(actor, meeting, body, seed, users, seats, case_by_number, items)
    _approve(record, seed["minutes"], users)
    for planned in seed["plan_2014"]["meetings"]:
        meetings.meeting_create(
            acting_user=actor, body=body, date=_date(planned["date"]), topics="\n".join(planned["topics"])
        )
    _scanning_agreement(actor, lystkom, seed, record)
    return body


def _lyst_agenda(actor, meeting, seed, case_by_number) -> dict[int, Any]:
    """The agenda as sent (opening items, the cases, "Meddelanden") plus the item added at the
    meeting (§ Lyst 50); returns the agenda item of each paragraph number."""
    opening = {item.kind: item for item in meeting.agenda_items.all()}
    items = {50: opening.get(AgendaItemKind.APPROVE_AGENDA)}
    for spec in seed["paragraphs"]:
        if spec["case"] is None:
            continue
        case = case_by_number[spec["case"]]
        kind = AgendaItemKind.INFORMATION if spec["number"] == 51 else AgendaItemKind.CASE
        items[spec["number"]] = meetings.agenda_item_add(acting_user=actor, meeting=meeting, kind=kind, case=case)
    # "Ärende, meddelande utgår": on the agenda as sent, dropped at the meeting (no paragraph)
    meetings.agenda_item_add(acting_user=actor, meeting=meeting, kind=AgendaItemKind.INFORMATION, title="Meddelanden")
    scanning = next(p for p in seed["paragraphs"] if p["number"] == 58)
    items[58] = meetings.agenda_item_add(
        acting_user=actor, meeting=meeting, kind=AgendaItemKind.INFORMATION, title=scanning["title"], extra=True
    )
    return items


def _lyst_minutes(actor, meeting, body, seed, users, seats, case_by_number, items):
    spec = seed["minutes"]
    record = minutes.minutes_create(
        acting_user=actor,
        meeting=meeting,
        secretary=users[spec["secretary"]],
        chair_name=spec["chair_name"],
        adjustment_place_time=spec["adjustment_place_time"],
        kept_at=spec["kept_at"],
        agenda_changes=spec["agenda_changes"],
    )
    for row in seed["attendance"]:
        minutes.attendance_add(
            acting_user=actor,
            minutes=record,
            name=row["name"],
            title=row["title"],
            kind=row["kind"],
            paragraphs=row["paragraphs"],
            seat=seats.get(row["seat"]) if row["seat"] else None,
        )
    for row in spec["adjusters"]:
        minutes.adjuster_add(acting_user=actor, minutes=record, user=users[row["user"]], role=row["role"])
    minutes.paragraph_counter_set(
        acting_user=actor, body=body, year=meeting.date.year, next_number=spec["first_paragraph"]
    )
    for row in seed["paragraphs"]:
        paragraph = minutes.paragraph_add(
            acting_user=actor,
            minutes=record,
            title=row["title"],
            case=case_by_number[row["case"]] if row["case"] else None,
            text=row["text"],
            decision=row["decision"],
            dispatch_to="\n".join(row["dispatch_to"]),
            agenda_item=items.get(row["number"]),
        )
        if paragraph.number != row["number"]:  # the seed's numbering must come out of the counter
            raise RuntimeError(f"paragraph {paragraph.number} where the seed has {row['number']}")
    return record


def _approve(record, spec, users) -> None:
    """The chair's and the adjuster's approvals as given on paper on the seed's day, recorded by
    the system actor with that time (not today's), so the 2013 minutes show 2013 as their
    adjustment; the last approval locks the minutes and posts the notice with the seed's dates."""
    at = timezone.make_aware(datetime.combine(_date(spec["approved_on"]), time(12, 0)))
    for row in spec["adjusters"]:
        minutes.minutes_approve(
            acting_user=system_actor(),
            minutes=record,
            adjuster=users[row["user"]],
            at=at,
            posted_on=_date(spec["posted_on"]),
            taken_down_on=_date(spec["taken_down_on"]),
        )


def _scanning_agreement(actor, lystkom, seed, record) -> None:
    """§ Lyst 58: from 2014-01-01 the committee owns the scanning contract for Storuman."""
    spec = seed["scanning_agreement"]
    agreement = agreements.agreement_create(
        acting_user=actor,
        federation=lystkom,
        kind=spec["kind"],
        title=spec["title"],
        parties="\n".join(spec["parties"]),
        counterparty=spec["counterparty"],
        valid_from=_date(spec["valid_from"]),
        term=spec["note"],
    )
    paragraph = record.paragraphs.get(number=spec["paragraph"])
    minutes.decision_link_add(
        acting_user=actor, paragraph=paragraph, target=agreement, description="Nämnden äger avtalet från 2014-01-01"
    )


# ---- Lystkom's direktion (demo data) ---------------------------------------------------------


def build_direktion(lystkom: Federation) -> Body | None:
    """DEMO DATA: the federation's present board, a member and a substitute per municipality."""
    if Body.objects.filter(federation=lystkom, name=DIREKTION).exists():
        return None
    actor = system_actor()
    body = bodies.body_create(acting_user=actor, federation=lystkom, name=DIREKTION, kind=BodyKind.BOARD)
    members = _members_by_code(lystkom)
    start, end = DIREKTION_TERM
    for code, name, party, office, substitute, sub_party, username in DIREKTION_SEATS:
        member = members.get(code)
        if member is None:
            continue
        first_period = member.periods.order_by("start").first()
        joined = max(start, first_period.start) if first_period else start
        user = User.objects.filter(username=username, federation=lystkom).first() if username else None
        bodies.seat_add(
            acting_user=actor,
            body=body,
            person_name=name,
            party=party,
            office=office,
            appointed_by=member,
            user=user,
            start=joined,
            end=end,
        )
        bodies.seat_add(
            acting_user=actor,
            body=body,
            person_name=substitute,
            party=sub_party,
            kind=SeatKind.SUBSTITUTE,
            appointed_by=member,
            start=joined,
            end=end,
        )
    return body


# ---- GSN (seed 003) --------------------------------------------------------------------------


def build_gsn(gsn: Federation) -> Body | None:
    """Gemensamma servicenämnden with the agenda of 26 October 2020 and the cooperation
    agreement with its revision table. None when the body is already there."""
    seed = load("gsn_2020_10_26.json")
    if Body.objects.filter(federation=gsn, name=seed["body"]["name"]).exists():
        return None
    actor = system_actor()
    for username, spec in seed["users"].items():
        _user(gsn, username, spec)
    body = bodies.body_create(acting_user=actor, federation=gsn, **seed["body"])
    members = _members_by_code(gsn)
    for spec in seed["seats"]:
        bodies.seat_add(
            acting_user=actor,
            body=body,
            person_name=spec["person_name"],
            party=spec["party"],
            office=spec["office"],
            kind=spec["kind"],
            appointed_by=members.get(spec["appointed_by"]),
            start=_date(seed["term"]["start"]),
            end=_date(seed["term"]["end"]),
        )
    cases.case_settings_update(acting_user=actor, federation=gsn, case_number_pattern=seed["case_number_pattern"])
    case_by_key = {
        spec["key"]: cases.case_open(
            acting_user=actor,
            federation=gsn,
            number=spec["number"] or "",
            title=spec["title"],
            opened=_date(spec["opened"]),
        )
        for spec in seed["cases"]
    }
    _gsn_agenda(actor, body, seed, case_by_key)
    _gsn_agreement(actor, gsn, seed, case_by_key, members)
    return body


def _gsn_agenda(actor, body, seed, case_by_key):
    spec = seed["meeting"]
    meeting = meetings.meeting_create(
        acting_user=actor,
        body=body,
        date=_date(spec["date"]),
        start_time=_time(spec["start_time"]),
        end_time=_time(spec["end_time"]),
        place=spec["place"],
    )
    # GSN's agenda has two opening items: drop "approval of the agenda", use the seed's titles
    opening = {item.kind: item for item in meeting.agenda_items.all()}
    approve = opening.get(AgendaItemKind.APPROVE_AGENDA)
    if approve is not None:
        meetings.agenda_item_delete(acting_user=actor, item=approve)
    for row in seed["agenda"]:
        if row["kind"] in opening:
            meetings.agenda_item_update(acting_user=actor, item=opening[row["kind"]], data={"title": row["title"]})
            continue
        case = case_by_key[row["case"]] if row["case"] else None
        documents = [
            cases.document_register(
                acting_user=actor,
                case=case,
                kind=doc["kind"],
                date=_date(doc["date"]),
                title=doc["title"],
                counterparty=doc["counterparty"],
            )
            for doc in row["documents"]
        ]
        meetings.agenda_item_add(
            acting_user=actor,
            meeting=meeting,
            kind=row["kind"],
            title=row["title"],
            case=case,
            proposal=row["proposal"],
            presenter=row["presenter"],
            dispatch_to="\n".join(row["dispatch_to"]),
            documents=documents,
            extra=False,
        )
    # The seed is the agenda; the meeting was held but its minutes are not part of the seed.
    meetings.meeting_update(acting_user=actor, meeting=meeting, data={"status": MeetingStatus.HELD})
    return meeting


def _gsn_agreement(actor, gsn, seed, case_by_key, members):
    spec = seed["agreement"]
    agreement = agreements.agreement_create(
        acting_user=actor,
        federation=gsn,
        kind=spec["kind"],
        title=spec["title"],
        parties="\n".join(spec["parties"]),
        host_member=members.get(spec["host"]),
        valid_from=_date(spec["valid_from"]),
        term=spec["term"],
        renewal=spec["renewal"],
        review_by=_date(spec["review_by"]),
        case=case_by_key[spec["case"]],
    )
    for row in [spec["decided"], *spec["revisions"]]:
        agreements.revision_add(
            acting_user=actor,
            agreement=agreement,
            decided_on=_date(row["decided_on"]),
            decided_by=row["decided_by"],
            paragraph_ref=row["paragraph_ref"],
            case_ref=row["case_ref"],
            change=row["change"],
        )
    cases.link_add(acting_user=actor, case=case_by_key[spec["case"]], target=agreement, note=spec["title"])
    cases.link_add(
        acting_user=actor, case=case_by_key["fordelningsnyckel"], target=agreement, note="Punkt 9.1 fördelningsnyckeln"
    )
    return agreement


def build(stdout) -> None:
    lystkom = Federation.objects.filter(slug="lystkom").first()
    gsn = Federation.objects.filter(slug="gsn").first()
    built = []
    if lystkom is not None:
        if build_lyst(lystkom) is not None:
            built.append("LYST oktober 2013 (Lyst 50–58, justerat och anslaget)")
        if build_direktion(lystkom) is not None:
            built.append("Lystkoms direktion (demodata)")
    if gsn is not None and build_gsn(gsn) is not None:
        built.append("GSN 26 oktober 2020 med samarbetsavtalet")
    stdout.write("styrning: " + ("; ".join(built) if built else "redan byggt"))
