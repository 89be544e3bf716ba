"""Shared rows for the meetings tests: a body with seats, a case with documents."""

from __future__ import annotations

from datetime import date

from samverkan.core.models import User
from samverkan.core.roles import BOARD
from samverkan.governance.models import Body, BodyKind, Case, CaseDocument, DocumentKind, Seat, SeatKind


def make_body(world, *, federation=None, name="Samverkansnämnden LYST") -> Body:
    body = Body.objects.create(
        federation=federation or world.federation, name=name, kind=BodyKind.JOINT_COMMITTEE, paragraph_prefix="Lyst"
    )
    if federation is None:
        Seat.objects.create(
            body=body,
            person_name="Tomas Mörtsell",
            user=world.users["board"],
            kind=SeatKind.MEMBER,
            start=date(2011, 1, 1),
        )
        substitute = User.objects.create_user(
            username="t-substitute", federation=world.federation, roles=[BOARD], email="ersattare@test.se"
        )
        Seat.objects.create(
            body=body, person_name="Peter Lindström", user=substitute, kind=SeatKind.SUBSTITUTE, start=date(2011, 1, 1)
        )
        Seat.objects.create(body=body, person_name="Lilly Bäcklund", kind=SeatKind.MEMBER, start=date(2011, 1, 1))
        Seat.objects.create(  # term over before the meetings: gets nothing
            body=body,
            person_name="Gammal Ledamot",
            kind=SeatKind.MEMBER,
            start=date(2007, 1, 1),
            end=date(2010, 12, 31),
        )
    return body


def make_case(world, *, federation=None, number="2013-16", sequence=16) -> Case:
    case = Case.objects.create(
        federation=federation or world.federation,
        year=2013,
        sequence=sequence,
        number=number,
        title="Avtal för scanningtjänster",
        opened=date(2013, 9, 1),
    )
    CaseDocument.objects.create(
        case=case,
        sequence=1,
        kind=DocumentKind.MEMO,
        date=date(2013, 10, 1),
        title="Tjänsteskrivelse scanning",
        registered_by=world.users["admin"],
    )
    CaseDocument.objects.create(
        case=case,
        sequence=2,
        kind=DocumentKind.INCOMING,
        date=date(2013, 10, 2),
        title="Anbud med affärshemligheter",
        secrecy="OSL 31 kap. 16 §",
        registered_by=world.users["admin"],
    )
    return case
