"""Writes of bodies and seats: audited, one transaction each, checked against the acting user's
federation (a seat's appointing member and user must be the body's federation's)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.permissions import require, require_same_federation
from samverkan.core.services import model_create, model_update
from samverkan.governance.models import Body, Office, Seat, SeatKind
from samverkan.governance.policies import EDIT_BODIES

BODY_FIELDS = ("name", "kind", "paragraph_prefix")
SEAT_FIELDS = ("person_name", "party", "user", "appointed_by", "kind", "office", "start", "end")


def _unique_name(federation_id: int, name: str, exclude: int | None = None) -> None:
    others = Body.objects.filter(federation_id=federation_id, name__iexact=name.strip())
    if exclude:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ValidationError({"name": _("Det finns redan ett organ med det namnet.")})


@transaction.atomic
def body_create(*, acting_user, federation, name: str, kind: str, paragraph_prefix: str = "") -> Body:
    require(acting_user, EDIT_BODIES, federation=federation)
    _unique_name(federation.pk, name)
    return model_create(
        model=Body,
        acting_user=acting_user,
        federation=federation,
        name=name.strip(),
        kind=kind,
        paragraph_prefix=paragraph_prefix.strip(),
    )


@transaction.atomic
def body_update(*, acting_user, body: Body, data: dict[str, Any]) -> Body:
    require(acting_user, EDIT_BODIES, obj=body)
    data = {k: v for k, v in data.items() if k in BODY_FIELDS}
    if "name" in data:
        data["name"] = data["name"].strip()
        _unique_name(body.federation_id, data["name"], exclude=body.pk)
    body, _changed = model_update(instance=body, acting_user=acting_user, data=data)
    return body


def _check_seat(body: Body, values: dict[str, Any], exclude: int | None = None) -> None:
    """A term ends after it starts; an office is held by a member (not a substitute) and by one
    person at a time in a body."""
    start, end = values.get("start"), values.get("end")
    if start and end and end < start:
        raise ValidationError({"end": _("Mandatperioden slutar innan den börjar.")})
    office = values.get("office") or ""
    if office and values.get("kind") == SeatKind.SUBSTITUTE:
        raise ValidationError({"office": _("Ordförande och vice ordförande är ledamöter, inte ersättare.")})
    if office and start:
        holders = body.seats.filter(office=office, start__lte=end or date.max).exclude(end__lt=start)
        if exclude:
            holders = holders.exclude(pk=exclude)
        if holders.exists():
            raise ValidationError(
                {
                    "office": _("Uppdraget som %(office)s innehas redan av någon annan under perioden.")
                    % {"office": Office(office).label.lower()}
                }
            )


@transaction.atomic
def seat_add(
    *,
    acting_user,
    body: Body,
    person_name: str,
    start: date,
    kind: str = SeatKind.MEMBER,
    office: str = "",
    party: str = "",
    appointed_by=None,
    user=None,
    end: date | None = None,
) -> Seat:
    require(acting_user, EDIT_BODIES, obj=body)
    require_same_federation(acting_user, federation=body.federation_id, appointed_by=appointed_by, user=user)
    values = {
        "person_name": person_name.strip(),
        "party": party.strip(),
        "appointed_by": appointed_by,
        "user": user,
        "kind": kind,
        "office": office or "",
        "start": start,
        "end": end,
    }
    _check_seat(body, values)
    return model_create(model=Seat, acting_user=acting_user, body=body, **values)


@transaction.atomic
def seat_update(*, acting_user, seat: Seat, data: dict[str, Any]) -> Seat:
    require(acting_user, EDIT_BODIES, obj=seat.body)
    data = {k: v for k, v in data.items() if k in SEAT_FIELDS}
    require_same_federation(
        acting_user, federation=seat.body.federation_id, appointed_by=data.get("appointed_by"), user=data.get("user")
    )
    values = {name: getattr(seat, name) for name in SEAT_FIELDS} | data
    _check_seat(seat.body, values, exclude=seat.pk)
    seat, _changed = model_update(instance=seat, acting_user=acting_user, data=data)
    return seat


@transaction.atomic
def seat_end(*, acting_user, seat: Seat, end: date) -> Seat:
    """End a seat's term on `end` (the last day); the seat is kept for the record."""
    require(acting_user, EDIT_BODIES, obj=seat.body)
    if end < seat.start:
        raise ValidationError({"end": _("Mandatperioden kan inte sluta innan den börjar.")})
    seat, _changed = model_update(instance=seat, acting_user=acting_user, data={"end": end})
    return seat
