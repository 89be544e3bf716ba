"""Use cases of the portal reached from pages, the API and the demo alike.

An order is a ticket (issue 16): placing an order opens a ticket of type order in the same
transaction, so the order shows in the desk's queue and the orderer and the desk talk in one
conversation, the ticket's. Every step of the order (approval, rejection, cancellation,
delivery) is written into that ticket as a public comment and moves its status. The catalogue
sits below the portal and cannot do this itself; these functions call both apps' services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.models import CatalogueItem, Order, OrderStatus
from samverkan.catalogue.policies import APPROVE_ORDER, DELIVER_ORDER, PLACE_ORDER
from samverkan.core.actors import system_actor
from samverkan.core.permissions import require
from samverkan.core.templatetags.samverkan import qty
from samverkan.domain.ticket_workflow import Party
from samverkan.members.models import Department, Federation
from samverkan.portal.models import Status, Team, Ticket, TicketType
from samverkan.portal.selectors import order_ticket_for
from samverkan.portal.services.comments import comment_add
from samverkan.portal.services.ticket_state import party_of
from samverkan.portal.services.tickets import ticket_create
from samverkan.portal.services.workflow import ticket_change_status


@dataclass(frozen=True)
class OrderTicket:
    """An order and the ticket that is its conversation."""

    order: Order
    ticket: Ticket | None  # None only for an old order in a federation without any desk team

    def as_dict(self) -> dict[str, Any]:
        return {
            "order": self.order.pk,
            "number": self.order.number,
            "status": self.order.status,
            "ticket": self.ticket.pk if self.ticket else None,
            "ticket_status": self.ticket.status if self.ticket else None,
        }


def _team_for(item: CatalogueItem) -> Team:
    """The item's owning team (its code, or its name in older data); else the federation's first."""
    teams = Team.objects.filter(federation_id=item.federation_id)
    team = (
        teams.filter(code=item.owner_team).first() or teams.filter(name=item.owner_team).first()
        if item.owner_team
        else None
    )
    team = team or teams.order_by("name", "pk").first()
    if team is None:
        raise ValidationError(_("Förbundet har inget team som kan ta emot beställningen."))
    return team


def _description(order: Order) -> str:
    lines = [
        _("%(item)s till %(department)s, %(member)s. Antal: %(quantity)s.")
        % {
            "item": order.item.name,
            "department": order.department.name,
            "member": order.member.name,
            "quantity": qty(order.quantity),
        }
    ]
    if order.requested_date:
        lines.append(_("Önskat leveransdatum: %(date)s.") % {"date": order.requested_date.isoformat()})
    lines.extend(f"{label}: {value}" for label, value in order.form_data.items())
    if order.note:
        lines.append(order.note)
    return "\n".join(lines)


def _open_ticket(order: Order, *, acting_user: Any, created_at: datetime | None = None) -> Ticket:
    """The order's ticket, requested by the orderer; it waits (SLA paused) while the member
    contact has not approved the order."""
    ticket = ticket_create(
        acting_user=acting_user,
        member=order.member,
        department=order.department,
        team=_team_for(order.item),
        title=_("Beställning %(number)s: %(item)s") % {"number": order.number, "item": order.item.name},
        description=_description(order),
        type=TicketType.ORDER,
        requester=order.ordered_by,
        order_reference=order.number,
        created_at=created_at,
    )
    if order.status == OrderStatus.AWAITING_APPROVAL:
        ticket = ticket_change_status(
            acting_user=system_actor(), ticket=ticket, status=Status.WAITING_THIRD_PARTY, now=created_at
        )
    return ticket


def _ticket_of(order: Order) -> Ticket | None:
    """The order's ticket; an order placed before orders were tickets gets one now, unless the
    federation has no desk team at all (its steps must not be blocked by that)."""
    ticket = order_ticket_for(order)
    if ticket is None and Team.objects.filter(federation_id=order.federation_id).exists():
        ticket = _open_ticket(order, acting_user=system_actor())
    return ticket


def _write_into_ticket(order: Order, acting_user: Any, sentence: str, status: str | None) -> OrderTicket:
    """A public comment by the person who took the step (so a contact's approval does not count
    as the desk's first response) and, while the ticket is open, its next status, moved by the
    system actor: the contact and the orderer may not move tickets by hand."""
    ticket = _ticket_of(order)
    if ticket is None:
        return OrderTicket(order=order, ticket=None)
    writer = acting_user if ticket.is_open or party_of(acting_user) is Party.DESK else system_actor()
    comment_add(acting_user=writer, ticket=ticket, body=sentence)
    ticket.refresh_from_db()
    if status is not None and ticket.is_open and ticket.status != status:
        ticket = ticket_change_status(acting_user=system_actor(), ticket=ticket, status=status)
    return OrderTicket(order=order, ticket=ticket)


@transaction.atomic
def place_order(
    *,
    acting_user: Any,
    item: CatalogueItem,
    department: Department,
    quantity: Decimal,
    requested_date: date | None = None,
    delivery_address: str = "",
    form_data: dict[str, str] | None = None,
    note: str = "",
    invoice_reference: str = "",
    ordered_on: date | None = None,
) -> OrderTicket:
    """Place an order and open its ticket: both rows or neither."""
    require(acting_user, PLACE_ORDER, obj=department)
    order = catalogue_services.order_create(
        acting_user=acting_user,
        item=item,
        department=department,
        quantity=quantity,
        requested_date=requested_date,
        delivery_address=delivery_address,
        form_data=form_data,
        note=note,
        invoice_reference=invoice_reference,
        ordered_on=ordered_on,
    )
    return OrderTicket(order=order, ticket=_open_ticket(order, acting_user=acting_user, created_at=order.ordered_at))


@transaction.atomic
def approve_order(*, acting_user: Any, order: Order) -> OrderTicket:
    require(acting_user, APPROVE_ORDER, obj=order)
    order = catalogue_services.order_approve(acting_user=acting_user, order=order)
    return _write_into_ticket(order, acting_user, _("Beställningen är godkänd."), Status.IN_PROGRESS)


@transaction.atomic
def reject_order(*, acting_user: Any, order: Order, reason: str = "") -> OrderTicket:
    require(acting_user, APPROVE_ORDER, obj=order)
    order = catalogue_services.order_reject(acting_user=acting_user, order=order, reason=reason)
    sentence = _("Beställningen är avslagen.")
    if reason.strip():
        sentence += " " + _("Skäl: %(reason)s") % {"reason": reason.strip()}
    return _write_into_ticket(order, acting_user, sentence, Status.RESOLVED)


@transaction.atomic
def cancel_order(*, acting_user: Any, order: Order) -> OrderTicket:
    require(acting_user, PLACE_ORDER, obj=order)
    order = catalogue_services.order_cancel(acting_user=acting_user, order=order)
    return _write_into_ticket(order, acting_user, _("Beställningen är makulerad."), Status.RESOLVED)


@transaction.atomic
def deliver_order(*, acting_user: Any, order: Order, delivered_on: date, asset_id: int | None = None) -> OrderTicket:
    require(acting_user, DELIVER_ORDER, obj=order)
    order = catalogue_services.order_deliver(
        acting_user=acting_user, order=order, delivered_on=delivered_on, asset_id=asset_id
    )
    sentence = _("Beställningen är levererad %(date)s.") % {"date": delivered_on.isoformat()}
    return _write_into_ticket(order, acting_user, sentence, Status.RESOLVED)


@transaction.atomic
def open_order_tickets(*, acting_user: Any, federation: Federation) -> int:
    """Tickets for the federation's orders that have none (orders placed before orders were
    tickets; the demo's year of orders): dated when ordered, finished orders resolved."""
    require(acting_user, PLACE_ORDER, federation=federation)
    with_ticket = Ticket.objects.filter(federation=federation, type=TicketType.ORDER).values("order_reference")
    orders = (
        Order.objects.filter(federation=federation)
        .exclude(number__in=with_ticket)
        .select_related("item", "member", "department", "ordered_by")
        .order_by("ordered_at", "pk")
    )
    actor = system_actor()
    count = 0
    for order in orders:
        ticket = _open_ticket(order, acting_user=actor, created_at=order.ordered_at)
        if order.status == OrderStatus.APPROVED:
            ticket_change_status(acting_user=actor, ticket=ticket, status=Status.IN_PROGRESS, now=order.ordered_at)
        elif order.status != OrderStatus.AWAITING_APPROVAL:
            day = order.delivered_on or timezone.localtime(order.ordered_at).date()
            finished = timezone.make_aware(datetime.combine(day, time(15)))
            ticket_change_status(acting_user=actor, ticket=ticket, status=Status.RESOLVED, now=finished)
        count += 1
    return count
