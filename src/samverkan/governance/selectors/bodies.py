"""Reads of bodies and seats. A board member sees only the bodies they currently sit in;
admins, secretaries and economists see every body of their federation."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from samverkan.core.models import User
from samverkan.core.permissions import has_capability, scope
from samverkan.core.roles import ADMIN, ECONOMIST, SECRETARY
from samverkan.governance.models import Body, Office, Seat
from samverkan.governance.policies import VIEW_MEETINGS

# Roles that see every body of the federation (the board sees only its own).
_ALL_BODIES = frozenset({ADMIN, SECRETARY, ECONOMIST})


def _current_seat(user: Any) -> Q:
    today = timezone.localdate()
    return Q(seats__user=user) & (Q(seats__end__isnull=True) | Q(seats__end__gte=today))


def bodies_for(user: Any) -> QuerySet[Body]:
    """The bodies `user` may read: the federation's, or for a board member only those with a
    current seat held by them (Seat.user)."""
    if not has_capability(user, VIEW_MEETINGS):
        return Body.objects.none()
    bodies = scope(user, Body.objects.select_related("federation"), member=None, department=None)
    if user.is_superuser or user.is_system or not user.roles.isdisjoint(_ALL_BODIES):
        return bodies
    return bodies.filter(pk__in=Body.objects.filter(_current_seat(user)).values("pk"))


def body_get(user: Any, pk: int) -> Body:
    return get_object_or_404(bodies_for(user), pk=pk)


def seats_for(user: Any) -> QuerySet[Seat]:
    """Seats of the bodies `user` may read (all terms, ended ones included)."""
    return Seat.objects.filter(body__in=bodies_for(user)).select_related("body", "appointed_by", "user")


def seat_get(user: Any, pk: int) -> Seat:
    return get_object_or_404(seats_for(user), pk=pk)


def body_seats(body: Body, *, current_on=None) -> QuerySet[Seat]:
    """A body's seats, chair first; only those current on `current_on` when given."""
    rank = Case(
        When(office=Office.CHAIR, then=Value(0)),
        When(office=Office.FIRST_VICE_CHAIR, then=Value(1)),
        When(office=Office.SECOND_VICE_CHAIR, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    seats = body.seats.select_related("appointed_by", "user")
    seats = seats.order_by("kind", rank, "appointed_by__name", "person_name")
    if current_on is not None:
        seats = seats.filter(Q(end__isnull=True) | Q(end__gte=current_on), start__lte=current_on)
    return seats


def seat_users_for(user: Any) -> QuerySet[User]:
    """People of the user's federation who may be tied to a seat (their login)."""
    if not has_capability(user, VIEW_MEETINGS):
        return User.objects.none()
    people = User.objects.filter(is_active=True, is_system=False)
    if user.is_superuser or user.is_system:
        return people
    return people.filter(federation_id=user.federation_id)
