"""Reads of the catalogue, scoped by the asking user; the public price list needs no user."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samverkan.catalogue.models import CatalogueItem, Category, Order, OrderStatus, PriceVersion, Subscription
from samverkan.catalogue.policies import APPROVE_ORDER, VIEW_CATALOGUE, VIEW_ORDERS
from samverkan.core.permissions import has_capability, scope
from samverkan.core.todos import WARNING, MemberLink, Todo
from samverkan.members.models import Federation, HandOver, Member


def _valid_on(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def price_on(item: CatalogueItem, on: date) -> PriceVersion | None:
    return item.prices.filter(_valid_on(on)).first()


def price_list(
    federation: Federation, on: date
) -> list[tuple[Category, list[tuple[CatalogueItem, PriceVersion | None]]]]:
    """The members' price list on a date: active items by category with the price then valid."""
    prices = PriceVersion.objects.filter(_valid_on(on))
    items = (
        CatalogueItem.objects.filter(federation=federation, active=True)
        .select_related("category")
        .prefetch_related(Prefetch("prices", queryset=prices, to_attr="current_prices"))
    )
    grouped: dict[int, tuple[Category, list[tuple[CatalogueItem, PriceVersion | None]]]] = {}
    for item in items:
        entry = grouped.setdefault(item.category_id, (item.category, []))
        entry[1].append((item, item.current_prices[0] if item.current_prices else None))
    return sorted(grouped.values(), key=lambda c: (c[0].sort_order, c[0].name))


def _in_federation(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Catalogue data is the federation's shared price list: every role of the federation reads it."""
    if not has_capability(user, VIEW_CATALOGUE):
        return queryset.none()
    if user.is_superuser or user.is_system:
        return queryset
    return queryset.filter(federation_id=user.federation_id)


def items_for(user: Any) -> QuerySet[CatalogueItem]:
    return _in_federation(user, CatalogueItem.objects.select_related("category", "service"))


def item_get(user: Any, pk: int) -> CatalogueItem:
    return get_object_or_404(items_for(user), pk=pk)


def categories_for(user: Any) -> QuerySet[Category]:
    return _in_federation(user, Category.objects.all())


def item_orderable_by_member(item: CatalogueItem, member: Member, on: date) -> bool:
    """Allowed members if listed; otherwise members that have handed over the item's service."""
    if item.allowed_members.exists():
        return item.allowed_members.filter(pk=member.pk).exists()
    if item.service_id is None:
        return True
    return (
        HandOver.objects.filter(member=member, service_id=item.service_id, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .exists()
    )


def orders_for(user: Any) -> QuerySet[Order]:
    return scope(user, Order.objects.select_related("item", "member", "department"), federation="federation")


def order_get(user: Any, pk: int) -> Order:
    return get_object_or_404(orders_for(user), pk=pk)


def subscriptions_for(user: Any) -> QuerySet[Subscription]:
    return scope(user, Subscription.objects.select_related("item", "member", "department"), federation="federation")


def subscription_get(user: Any, pk: int) -> Subscription:
    return get_object_or_404(subscriptions_for(user), pk=pk)


# --- The start page and the member's page (core.todos)


def todo_cards(user: Any) -> list[Todo]:
    """Orders waiting for this user's approval: how many, and the oldest one to open and approve."""
    if not has_capability(user, APPROVE_ORDER):
        return []
    waiting = orders_for(user).filter(status=OrderStatus.AWAITING_APPROVAL)
    count = waiting.count()
    if not count:
        return []
    oldest = waiting.select_related(None).select_related("item", "department").order_by("ordered_at", "pk").first()
    if oldest is None:  # approved by someone else between the two queries
        return []
    list_url = reverse("catalogue:order-list") + "?status=" + OrderStatus.AWAITING_APPROVAL
    text = _("Äldst: %(number)s, %(item)s för %(department)s, beställd %(date)s.") % {
        "number": oldest.number,
        "item": oldest.item.name,
        "department": oldest.department.name,
        "date": date_format(timezone.localtime(oldest.ordered_at), "j F Y"),
    }
    return [
        Todo(
            title=_("Beställningar att godkänna"),
            count=count,
            severity=WARNING,
            url=reverse("catalogue:order-detail", args=[oldest.pk]),
            text=text,
            order=10,
            more_url=list_url if count > 1 else "",
        )
    ]


def member_link_items(user: Any, member: Member) -> list[MemberLink]:
    if not has_capability(user, VIEW_ORDERS):
        return []
    count = orders_for(user).filter(member=member).count()
    url = f"{reverse('catalogue:order-list')}?medlem={member.pk}"
    return [MemberLink(label=_("Beställningar"), count=count, url=url, order=40)]
