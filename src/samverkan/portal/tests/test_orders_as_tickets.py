"""An order is a ticket (issue 16): placing an order opens a ticket of type order in the same
transaction, the order's steps are written into it, and orderer and desk talk there."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.models import CatalogueItem, Order, OrderStatus
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent
from samverkan.portal import selectors, usecases
from samverkan.portal.models import Comment, Status, Team, Ticket, TicketType

pytestmark = pytest.mark.django_db


@pytest.fixture
def cat(world):
    return make_catalogue(world.federation, valid_from=date(2020, 1, 1))


@pytest.fixture
def desk(world):
    """The team the SITHS card belongs to (owner_team "kundtjanst") and another one."""
    Team.objects.create(federation=world.federation, code="it", name="IT-support")
    return Team.objects.create(federation=world.federation, code="kundtjanst", name="Kundtjänst")


@pytest.fixture
def approval(cat):
    CatalogueItem.objects.filter(pk=cat.mobile.pk).update(requires_approval=True)
    cat.mobile.refresh_from_db()
    return cat.mobile


def _place(world, item, role="orderer", quantity="2", **extra):
    return usecases.place_order(
        acting_user=world.users[role], item=item, department=world.department, quantity=Decimal(quantity), **extra
    )


def test_order_form_places_the_order_and_opens_its_ticket_in_the_queue(world, cat, desk):
    client = world.client("orderer")
    url = reverse("portal:order-create", args=[cat.siths.pk])
    page = client.get(url).content.decode()
    assert "350,00\xa0kr" in page and "Summa (exkl. moms)" in page  # unit price and the total for 1
    response = client.post(url, {"department": world.department.pk, "quantity": "3", "note": "Till nya sköterskor"})
    order = Order.objects.get()
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == reverse("portal:ticket-detail", args=[ticket.pk])
    assert (ticket.type, ticket.order_reference, ticket.requester) == (
        TicketType.ORDER,
        order.number,
        world.users["orderer"],
    )
    assert (ticket.member, ticket.department, ticket.team) == (world.member, world.department, desk)
    assert ticket.status == Status.NEW and order.number in ticket.title and "Till nya sköterskor" in ticket.description
    queue = world.client("agent").get(reverse("portal:ticket-list")).content.decode()
    assert order.number in queue
    # the old catalogue address still leads to the form
    old = client.get(f"/tjanstekatalog/bestall/{cat.siths.pk}/")
    assert old.status_code == 302 and old.url == url


def test_live_total_follows_the_quantity(world, cat, desk):
    url = reverse("portal:order-create", args=[cat.siths.pk])
    htmx = world.client("orderer").get(url, {"quantity": "3"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and "1\xa0050,00\xa0kr" in htmx.content.decode()
    nonsense = world.client("orderer").get(url, {"quantity": "tre"}, headers={"HX-Request": "true"}).content.decode()
    assert "Summa (exkl. moms)" in nonsense and "kr</dd>" not in nonsense.split("Summa")[1]


def test_orderer_comments_on_the_order_ticket_the_one_conversation(world, cat, desk):
    placed = _place(world, cat.siths)
    api = world.api("orderer")
    response = api.post(
        reverse("portal-api:ticket-comments", args=[placed.ticket.pk]), {"body": "Går det fortare?"}, format="json"
    )
    assert response.status_code in (200, 201)
    assert Comment.objects.filter(ticket=placed.ticket, body="Går det fortare?", internal=False).exists()
    # the order's page links to that ticket as its conversation
    order_page = world.client("orderer").get(reverse("catalogue:order-detail", args=[placed.order.pk]))
    assert reverse("portal:order-ticket", args=[placed.order.pk]) in order_page.content.decode()
    follow = world.client("orderer").get(reverse("portal:order-ticket", args=[placed.order.pk]))
    assert follow.url == reverse("portal:ticket-detail", args=[placed.ticket.pk])


def test_approval_and_delivery_are_written_into_the_ticket(world, cat, desk, approval):
    placed = _place(world, approval)
    assert placed.ticket.status == Status.WAITING_THIRD_PARTY  # the SLA waits for the contact
    ticket_url = reverse("portal:ticket-detail", args=[placed.ticket.pk])
    action = reverse("portal:order-action", args=[placed.order.pk, "godkann"])
    assert world.client("orderer").post(action).status_code == 403
    response = world.client("member_contact").post(action, {"next": ticket_url})
    assert response.status_code == 302 and response.url == ticket_url
    ticket = Ticket.objects.get()
    assert ticket.status == Status.IN_PROGRESS
    comment = ticket.comments.get()
    assert (comment.body, comment.author, comment.internal) == (
        "Beställningen är godkänd.",
        world.users["member_contact"],
        False,
    )
    assert ticket.first_response_at is None  # the contact's step is not the desk's answer
    assert AuditEvent.objects.filter(action="approve", object_id=str(placed.order.pk)).exists()
    world.client("agent").post(
        reverse("portal:order-action", args=[placed.order.pk, "leverera"]), {"delivered_on": "2025-03-04"}
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.comments.filter(body__contains="levererad 2025-03-04").exists()
    assert Order.objects.get().status == OrderStatus.DELIVERED


def test_rejection_and_cancellation_resolve_the_ticket(world, cat, desk, approval):
    rejected = usecases.reject_order(
        acting_user=world.users["member_contact"], order=_place(world, approval).order, reason="Budget saknas"
    )
    assert rejected.ticket.status == Status.RESOLVED
    assert rejected.ticket.comments.get().body.endswith("Skäl: Budget saknas")
    cancelled = usecases.cancel_order(acting_user=world.users["orderer"], order=_place(world, cat.siths).order)
    assert cancelled.ticket.status == Status.RESOLVED and "makulerad" in cancelled.ticket.comments.get().body


def test_ticket_order_for_the_sidebar(world, cat, desk):
    placed = _place(world, cat.siths, quantity="3")
    order = selectors.ticket_order(world.users["agent"], placed.ticket)
    assert order == placed.order and order.unit_price == Decimal("350.00") and order.total == Decimal("1050.00")
    assert selectors.ticket_order(world.outsider, placed.ticket) is None
    page = world.client("member_contact").get(reverse("portal:ticket-detail", args=[placed.ticket.pk]))
    assert page.status_code == 200


def test_other_federation_gets_404(world, cat, desk, approval):
    placed = _place(world, approval)
    outsider = world.client(None)
    outsider.force_login(world.outsider)
    assert outsider.get(reverse("portal:order-create", args=[cat.siths.pk])).status_code == 404
    assert outsider.post(reverse("portal:order-action", args=[placed.order.pk, "godkann"])).status_code == 404
    assert outsider.get(reverse("portal:order-ticket", args=[placed.order.pk])).status_code == 404
    api = world.api(None)
    api.force_authenticate(world.outsider)
    assert api.post(reverse("portal-api:order-approve", args=[placed.order.pk])).status_code == 404
    assert Order.objects.get().status == OrderStatus.AWAITING_APPROVAL


def test_refusals_write_neither_order_nor_ticket(world, cat, desk):
    url = reverse("portal:order-create", args=[cat.siths.pk])
    assert world.client("economist").get(url).status_code == 403
    assert world.client("board").post(url, {"department": world.department.pk, "quantity": "1"}).status_code == 403
    response = world.client("orderer").post(url, {"department": world.department.pk, "quantity": "0"})
    assert response.status_code == 200
    CatalogueItem.objects.filter(pk=cat.siths.pk).update(orderable=False)
    page = world.client("orderer").post(url, {"department": world.department.pk, "quantity": "1"})
    assert "Tjänsten går inte att beställa." in page.content.decode()
    assert not Order.objects.exists() and not Ticket.objects.exists()


def test_a_failing_ticket_rolls_the_order_back(world, cat):
    """No desk team at all: the order service succeeds, the ticket cannot open, neither stays."""
    with pytest.raises(ValidationError):
        _place(world, cat.siths)
    assert not Order.objects.exists() and not Ticket.objects.exists()


def test_api_places_and_approves_through_the_ticket(world, cat, desk, approval):
    api = world.api("orderer")
    body = {"item": approval.pk, "department": world.department.pk, "quantity": "2"}
    response = api.post(reverse("portal-api:order-list"), body, format="json")
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["ticket"])
    assert ticket.order_reference == response.json()["number"]
    order_pk = response.json()["id"]
    assert api.post(reverse("portal-api:order-approve", args=[order_pk])).status_code == 403
    approved = world.api("member_contact").post(reverse("portal-api:order-approve", args=[order_pk]))
    assert approved.status_code == 200 and approved.json()["status"] == OrderStatus.APPROVED
    assert ticket.comments.filter(body__contains="godkänd").exists()
    again = world.api("member_contact").post(reverse("portal-api:order-approve", args=[order_pk]))
    assert again.status_code == 400 and ticket.comments.count() == 1
    # the catalogue's API only reads orders now
    old = api.post(reverse("catalogue-api:order-list"), body, format="json")
    assert old.status_code in (403, 405) and Order.objects.count() == 1


def test_existing_orders_get_their_tickets_once(world, cat, desk):
    actor = system_actor()
    delivered = catalogue_services.order_create(
        acting_user=actor, item=cat.siths, department=world.department, quantity=Decimal(1), ordered_on=date(2025, 2, 3)
    )
    catalogue_services.order_deliver(acting_user=actor, order=delivered, delivered_on=date(2025, 2, 5))
    open_order = catalogue_services.order_create(
        acting_user=actor, item=cat.siths, department=world.department, quantity=Decimal(1)
    )
    assert usecases.open_order_tickets(acting_user=actor, federation=world.federation) == 2
    assert usecases.open_order_tickets(acting_user=actor, federation=world.federation) == 0
    assert selectors.order_ticket_for(delivered).status == Status.RESOLVED
    assert selectors.order_ticket_for(open_order).status == Status.IN_PROGRESS


def test_order_tickets_command(world, cat, desk):
    from io import StringIO

    from django.core.management import CommandError, call_command

    catalogue_services.order_create(
        acting_user=system_actor(), item=cat.siths, department=world.department, quantity=Decimal(1)
    )
    out = StringIO()
    call_command("portal", "order-tickets", stdout=out)
    assert f"{world.federation.name}: 1 beställningar fick ärenden" in out.getvalue()
    assert Ticket.objects.filter(type=TicketType.ORDER).count() == 1
    with pytest.raises(CommandError, match="Beställa"):
        call_command("portal", "order-tickets", "--user", world.users["economist"].username, stdout=StringIO())


def test_an_old_order_without_a_desk_is_still_approved(world, cat, approval):
    """A federation with no desk team: an order placed before orders were tickets still moves."""
    order = catalogue_services.order_create(
        acting_user=world.users["orderer"], item=approval, department=world.department, quantity=Decimal(1)
    )
    done = usecases.approve_order(acting_user=world.users["member_contact"], order=order)
    assert done.ticket is None and done.order.status == OrderStatus.APPROVED and not Ticket.objects.exists()
