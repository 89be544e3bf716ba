"""Catalogue pages: the public price list (HTML, PDF, XLSX), management, ordering, my orders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.catalogue import exporters, selectors, services
from samverkan.catalogue.forms import DeliverForm, EndForm, ItemForm, OrderForm, PriceVersionForm, SubscriptionForm
from samverkan.catalogue.models import OrderStatus
from samverkan.catalogue.policies import (
    APPROVE_ORDER,
    DELIVER_ORDER,
    EDIT_CATALOGUE,
    END_SUBSCRIPTION,
    MANAGE_PRICES,
    MANAGE_SUBSCRIPTIONS,
    PLACE_ORDER,
    VIEW_ORDERS,
    VIEW_PRICE_LIST,
)
from samverkan.core.forms import add_error_messages, add_service_errors
from samverkan.core.permissions import capability_required, has_capability
from samverkan.members.models import Federation
from samverkan.members.selectors import member_from_query


def _federation(request) -> Federation | None:
    slug = request.GET.get("forbund")
    if slug:
        return get_object_or_404(Federation, slug=slug)
    if request.user.is_authenticated and request.user.federation_id:
        return request.user.federation
    with_items = Federation.objects.filter(catalogue_items__active=True).distinct()
    return with_items.first() if with_items.count() == 1 else None


@capability_required(VIEW_PRICE_LIST)
def price_list(request):
    """The members' price list; public, like a published price list should be."""
    federation = _federation(request)
    on = timezone.localdate()
    context = {
        "title": _("Tjänstekatalog och prislista"),
        "federation": federation,
        "on": on,
        "groups": selectors.price_list(federation, on) if federation else [],
        "federations": Federation.objects.filter(catalogue_items__active=True).distinct() if federation is None else [],
        "can_order": has_capability(request.user, PLACE_ORDER),
        "can_manage": has_capability(request.user, MANAGE_PRICES),
    }
    return render(request, "catalogue/price_list.html", context)


@capability_required(VIEW_PRICE_LIST)
def price_list_pdf(request):
    federation = _federation(request)
    if federation is None:
        raise Http404
    response = HttpResponse(exporters.price_list_pdf(federation, timezone.localdate()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="prislista-{federation.slug}.pdf"'
    return response


@capability_required(VIEW_PRICE_LIST)
def price_list_xlsx(request):
    federation = _federation(request)
    if federation is None:
        raise Http404
    response = HttpResponse(
        exporters.price_list_xlsx(federation, timezone.localdate()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="prislista-{federation.slug}.xlsx"'
    return response


@capability_required(MANAGE_PRICES)
def item_list(request):
    items = selectors.items_for(request.user).prefetch_related("prices")
    return render(
        request,
        "catalogue/item_list.html",
        {
            "items": items,
            "title": _("Hantera tjänstekatalogen"),
            "can_edit": has_capability(request.user, EDIT_CATALOGUE),
        },
    )


@capability_required(EDIT_CATALOGUE)
def item_create(request):
    form = ItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        allowed = list(data.pop("allowed_members", []))
        try:
            item = services.item_create(
                acting_user=request.user, federation=request.user.federation, allowed_members=allowed, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Tjänsten har lagts till."))
            return redirect("catalogue:item-detail", pk=item.pk)
    return render(request, "core/form.html", {"form": form, "title": _("Ny tjänst")})


@capability_required(MANAGE_PRICES)
def item_detail(request, pk):
    item = selectors.item_get(request.user, pk)
    return render(
        request,
        "catalogue/item_detail.html",
        {
            "item": item,
            "title": item.name,
            "prices": item.prices.order_by("-valid_from"),
            "price_form": PriceVersionForm(),
            "can_edit": has_capability(request.user, EDIT_CATALOGUE),
        },
    )


@capability_required(EDIT_CATALOGUE)
def item_edit(request, pk):
    item = selectors.item_get(request.user, pk)
    form = ItemForm(request.POST or None, instance=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.item_update(acting_user=request.user, item=selectors.item_get(request.user, pk), data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna har sparats."))
            return redirect("catalogue:item-detail", pk=pk)
    return render(request, "core/form.html", {"form": form, "title": _("Ändra %(name)s") % {"name": item}})


@capability_required(MANAGE_PRICES)
def price_create(request, pk):
    item = selectors.item_get(request.user, pk)
    form = PriceVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.price_version_create(acting_user=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Det nya priset har sparats."))
            return redirect("catalogue:item-detail", pk=pk)
    return render(request, "core/form.html", {"form": form, "title": _("Nytt pris för %(name)s") % {"name": item}})


@capability_required(PLACE_ORDER)
def order_create(request, item_pk):
    item = selectors.item_get(request.user, item_pk)
    form = OrderForm(request.POST or None, user=request.user, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.order_create(
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
            messages.success(request, _("Beställning %(number)s är skickad.") % {"number": order.number})
            return redirect("catalogue:order-detail", pk=order.pk)
    return render(
        request,
        "catalogue/order_form.html",
        {"form": form, "item": item, "title": _("Beställ %(name)s") % {"name": item}},
    )


@capability_required(VIEW_ORDERS)
def order_list(request):
    orders = selectors.orders_for(request.user)
    status = request.GET.get("status")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    member = member_from_query(request.user, request.GET.get("medlem"))
    if member is not None:
        orders = orders.filter(member=member)
    page = Paginator(orders, 50).get_page(request.GET.get("sida"))
    return render(
        request,
        "catalogue/order_list.html",
        {
            "page": page,
            "orders": page.object_list,
            "statuses": OrderStatus.choices,
            "status": status,
            "member": member,
            "title": _("Beställningar"),
        },
    )


@capability_required(VIEW_ORDERS)
def order_detail(request, pk):
    order = selectors.order_get(request.user, pk)
    user = request.user
    open_statuses = (OrderStatus.AWAITING_APPROVAL, OrderStatus.APPROVED)
    return render(
        request,
        "catalogue/order_detail.html",
        {
            "order": order,
            "title": _("Beställning %(number)s") % {"number": order.number},
            "deliver_form": DeliverForm(initial={"delivered_on": timezone.localdate()}),
            "can_approve": order.status == OrderStatus.AWAITING_APPROVAL and has_capability(user, APPROVE_ORDER),
            "can_deliver": order.status == OrderStatus.APPROVED and has_capability(user, DELIVER_ORDER),
            "can_cancel": order.status in open_statuses and has_capability(user, PLACE_ORDER),
        },
    )


@require_POST
@capability_required(VIEW_ORDERS)
def order_action(request, pk, action):
    """One workflow step on an order; the service checks the step's own capability (403 if not held)."""
    order = selectors.order_get(request.user, pk)
    try:
        if action == "godkann":
            services.order_approve(acting_user=request.user, order=order)
        elif action == "avsla":
            services.order_reject(acting_user=request.user, order=order, reason=request.POST.get("reason", ""))
        elif action == "makulera":
            services.order_cancel(acting_user=request.user, order=order)
        elif action == "leverera":
            form = DeliverForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Ange ett giltigt leveransdatum."))
            services.order_deliver(acting_user=request.user, order=order, **form.cleaned_data)
        else:
            raise Http404
    except ValidationError as exc:
        add_error_messages(request, exc)
    else:
        messages.success(request, _("Beställningen är uppdaterad."))
    return redirect("catalogue:order-detail", pk=pk)


@capability_required(VIEW_ORDERS)
def subscription_list(request):
    subscriptions = selectors.subscriptions_for(request.user)
    if request.GET.get("visa") != "alla":
        today = timezone.localdate()
        subscriptions = subscriptions.exclude(end__lt=today)
    page = Paginator(subscriptions, 50).get_page(request.GET.get("sida"))
    return render(
        request,
        "catalogue/subscription_list.html",
        {
            "page": page,
            "subscriptions": page.object_list,
            "title": _("Abonnemang"),
            "can_create": has_capability(request.user, MANAGE_SUBSCRIPTIONS),
            "can_end": has_capability(request.user, END_SUBSCRIPTION),
            "end_form": EndForm(),
        },
    )


@capability_required(MANAGE_SUBSCRIPTIONS)
def subscription_create(request):
    form = SubscriptionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Abonnemanget har lagts till."))
            return redirect("catalogue:subscription-list")
    return render(request, "core/form.html", {"form": form, "title": _("Nytt abonnemang")})


@require_POST
@capability_required(END_SUBSCRIPTION)
def subscription_end(request, pk):
    subscription = selectors.subscription_get(request.user, pk)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Ange ett giltigt slutdatum."))
        services.subscription_end(acting_user=request.user, subscription=subscription, end=form.cleaned_data["end"])
    except ValidationError as exc:
        add_error_messages(request, exc)
    else:
        messages.success(request, _("Abonnemanget avslutas %(date)s.") % {"date": form.cleaned_data["end"]})
    return redirect("catalogue:subscription-list")
