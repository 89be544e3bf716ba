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
from samverkan.catalogue.forms import EndForm, ItemForm, PriceVersionForm, SubscriptionForm
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
from samverkan.core import listing
from samverkan.core.forms import add_error_messages, add_service_errors
from samverkan.core.permissions import capability_required, has_capability
from samverkan.domain.invoice_math import line_net
from samverkan.members.models import Federation
from samverkan.members.selectors import member_from_query, members_for


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


@capability_required(VIEW_ORDERS)
def order_list(request):
    """Orders filtered by status, member and order date, sortable, counted, and as XLSX."""
    orders = selectors.orders_for(request.user)
    status = request.GET.get("status")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    member = member_from_query(request.user, request.GET.get("medlem"))
    if member is not None:
        orders = orders.filter(member=member)
    dates = listing.period_from(request)
    orders = dates.filter_moments(orders, "ordered_at")
    sorting = listing.Sorting(
        request,
        [
            listing.SortColumn("nummer", _("Nummer"), ("number",)),
            listing.SortColumn("tjanst", _("Tjänst"), ("item__name",)),
            listing.SortColumn("forvaltning", _("Förvaltning"), ("member__name", "department__name")),
            listing.SortColumn("antal", _("Antal"), ("quantity",)),
            listing.SortColumn("status", _("Status"), ("status",)),
            listing.SortColumn("bestalld", _("Beställd"), ("ordered_at",)),
            listing.SortColumn("levererad", _("Levererad"), ("delivered_on",)),
        ],
        default="-bestalld",
    )
    orders = orders.order_by(*sorting.order_by())
    if listing.wants_xlsx(request):
        return _order_xlsx(request, orders)
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
            "members": members_for(request.user).order_by("name"),
            "dates": dates,
            "sorting": sorting,
            "xlsx_query": listing.xlsx_query(request),
            "title": _("Beställningar"),
        },
    )


def _order_xlsx(request, orders):
    columns = [
        listing.XlsxColumn(_("Nummer"), width=12),
        listing.XlsxColumn(_("Tjänst"), width=28),
        listing.XlsxColumn(_("Medlem"), width=22),
        listing.XlsxColumn(_("Förvaltning"), width=22),
        listing.XlsxColumn(_("Antal"), "number", 10),
        listing.XlsxColumn(_("Status"), width=16),
        listing.XlsxColumn(_("Beställd"), "datetime", 17),
        listing.XlsxColumn(_("Levererad"), "date", 12),
        listing.XlsxColumn(_("Fakturareferens"), width=20),
    ]
    return listing.xlsx_export(
        request,
        orders,
        title=_("Beställningar"),
        filename="bestallningar.xlsx",
        columns=columns,
        rows=lambda found: (
            (
                o.number,
                o.item.name,
                o.member.name,
                o.department.name,
                o.quantity,
                o.get_status_display(),
                o.ordered_at,
                o.delivered_on,
                o.invoice_reference,
            )
            for o in found
        ),
    )


@capability_required(VIEW_ORDERS)
def order_detail(request, pk):
    order = selectors.order_get(request.user, pk)
    user = request.user
    open_statuses = (OrderStatus.AWAITING_APPROVAL, OrderStatus.APPROVED)
    price = selectors.price_on(order.item, order.delivered_on or timezone.localdate())
    return render(
        request,
        "catalogue/order_detail.html",
        {
            "order": order,
            "title": _("Beställning %(number)s") % {"number": order.number},
            "price": price,
            "total": line_net(order.quantity, price.unit_price) if price else None,
            "today": timezone.localdate(),
            "can_approve": order.status == OrderStatus.AWAITING_APPROVAL and has_capability(user, APPROVE_ORDER),
            "can_deliver": order.status == OrderStatus.APPROVED and has_capability(user, DELIVER_ORDER),
            "can_cancel": order.status in open_statuses and has_capability(user, PLACE_ORDER),
        },
    )


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
