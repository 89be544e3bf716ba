"""Ordering from the catalogue and the order's workflow steps, as pages of the portal.

An order is a ticket (issue 16): these doors call ``portal.usecases``, which places the order
and opens its ticket (or writes a step into it) in one transaction. The catalogue's own pages
(the price list, the order list and page) link here; the catalogue may not import the portal.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.catalogue import selectors as catalogue_selectors
from samverkan.catalogue.policies import PLACE_ORDER, VIEW_ORDERS
from samverkan.core.forms import add_error_messages, add_service_errors
from samverkan.core.permissions import capability_required
from samverkan.portal import usecases
from samverkan.portal.forms import OrderDeliverForm, OrderForm
from samverkan.portal.policies import VIEW_TICKETS
from samverkan.portal.selectors import order_ticket_for, order_total, ticket_get

MAX_QUANTITY = Decimal("99999999")


def _quantity(raw: str | None) -> Decimal | None:
    """The quantity typed so far, for the live total; None while it is not a usable number."""
    try:
        quantity = Decimal((raw or "").replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except InvalidOperation:
        return None
    return quantity if quantity.is_finite() and 0 < quantity <= MAX_QUANTITY else None


@capability_required(PLACE_ORDER)
def order_create(request, item_pk: int):
    """The order form with the unit price and the total (redrawn by htmx as the quantity
    changes); sending it places the order and opens its ticket, where the orderer follows it."""
    item = catalogue_selectors.item_get(request.user, item_pk)
    price = catalogue_selectors.price_on(item, timezone.localdate())
    unit_price = price.unit_price if price else None
    if request.htmx and request.method == "GET":
        total = order_total(unit_price, _quantity(request.GET.get("quantity")))
        return render(request, "catalogue/_order_total.html", {"item": item, "price": price, "total": total})
    form = OrderForm(request.POST or None, user=request.user, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placed = usecases.place_order(
                acting_user=request.user,
                item=item,
                department=data["department"],
                quantity=data["quantity"],
                requested_date=data["requested_date"],
                delivery_address=data["delivery_address"],
                invoice_reference=data["invoice_reference"],
                note=data["note"],
                form_data=form.form_data(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Beställning %(number)s är skickad. Här följer du den och skriver till kundtjänst.")
                % {"number": placed.order.number},
            )
            return redirect("portal:ticket-detail", pk=placed.ticket.pk)
    quantity = form.cleaned_data.get("quantity") if form.is_bound else None
    return render(
        request,
        "catalogue/order_form.html",
        {
            "form": form,
            "item": item,
            "price": price,
            "total": order_total(unit_price, quantity or Decimal(1)),
            "title": _("Beställ %(name)s") % {"name": item},
        },
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@require_POST
@capability_required(VIEW_ORDERS)
def order_action(request, pk: int, action: str):
    """One workflow step on an order, written into its ticket; the use case checks the step's
    own capability (403 if not held). Returns to the page the button was on."""
    order = catalogue_selectors.order_get(request.user, pk)
    try:
        if action == "godkann":
            usecases.approve_order(acting_user=request.user, order=order)
        elif action == "avsla":
            usecases.reject_order(acting_user=request.user, order=order, reason=request.POST.get("reason", ""))
        elif action == "makulera":
            usecases.cancel_order(acting_user=request.user, order=order)
        elif action == "leverera":
            form = OrderDeliverForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Ange ett giltigt leveransdatum."))
            usecases.deliver_order(acting_user=request.user, order=order, **form.cleaned_data)
        else:
            raise Http404
    except ValidationError as exc:
        add_error_messages(request, exc)
    else:
        messages.success(request, _("Beställningen är uppdaterad."))
    return redirect(_back(request, reverse("catalogue:order-detail", args=[pk])))


@capability_required(VIEW_TICKETS)
def order_ticket(request, pk: int):
    """From the catalogue's order page to the order's conversation: its ticket."""
    ticket = order_ticket_for(catalogue_selectors.order_get(request.user, pk))
    if ticket is None:
        raise Http404
    return redirect("portal:ticket-detail", pk=ticket_get(request.user, ticket.pk).pk)
