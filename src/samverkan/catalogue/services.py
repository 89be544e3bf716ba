"""Every write of the catalogue: items, price versions, orders and subscriptions.

Each function is one transaction and leaves an audit row. Who-may-order is checked here (not
only in forms), so the API and the portal follow the same rule.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.catalogue.models import (
    ITEM_EDITABLE_FIELDS,
    CatalogueItem,
    Category,
    Counter,
    Order,
    OrderStatus,
    PriceVersion,
    Subscription,
)
from samverkan.catalogue.policies import (
    APPROVE_ORDER,
    DELIVER_ORDER,
    EDIT_CATALOGUE,
    END_SUBSCRIPTION,
    MANAGE_PRICES,
    MANAGE_SUBSCRIPTIONS,
    PLACE_ORDER,
)
from samverkan.catalogue.selectors import item_orderable_by_member, orders_for, subscriptions_for
from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require, require_same_federation
from samverkan.core.services import model_create, model_update
from samverkan.members.models import Department, Federation
from samverkan.members.selectors import departments_for


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _require_in_scope(visible: QuerySet[Any], obj: Model, message: str) -> None:
    """A capability says what a user may do, scoping on which rows: a member contact approves
    its own member's orders, an orderer orders for its own department."""
    if not visible.filter(pk=obj.pk).exists():
        raise PermissionDenied(message)


def _reject_unknown(data: dict[str, Any]) -> None:
    unknown = set(data) - set(ITEM_EDITABLE_FIELDS)
    _check(not unknown, _("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})


def next_number(federation: Federation, series: str) -> int:
    """Next number of a series; the row lock makes concurrent callers queue (no duplicates, no gaps)."""
    counter, _created = Counter.objects.select_for_update().get_or_create(federation=federation, series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def category_create(*, acting_user: Any, federation: Federation, name: str, sort_order: int = 0) -> Category:
    require(acting_user, EDIT_CATALOGUE, federation=federation)
    return model_create(
        model=Category, acting_user=acting_user, federation=federation, name=name, sort_order=sort_order
    )


@transaction.atomic
def item_create(
    *,
    acting_user: Any,
    federation: Federation,
    unit_price: Decimal | None = None,
    valid_from: date | None = None,
    vat_code: str = "25",
    allowed_members: list[Any] | None = None,
    **data: Any,
) -> CatalogueItem:
    """Create an item, optionally with its first price version."""
    require(acting_user, EDIT_CATALOGUE, federation=federation)
    _reject_unknown(data)
    require_same_federation(
        acting_user,
        federation=federation,
        category=data.get("category"),
        service=data.get("service"),
        allowed_members=allowed_members,
    )
    item = model_create(model=CatalogueItem, acting_user=acting_user, federation=federation, **data)
    if allowed_members:
        item.allowed_members.set(allowed_members)
    if unit_price is not None:
        price_version_create(
            acting_user=acting_user,
            item=item,
            valid_from=valid_from or date(timezone.localdate().year, 1, 1),
            unit_price=unit_price,
            vat_code=vat_code,
        )
    return item


@transaction.atomic
def item_update(*, acting_user: Any, item: CatalogueItem, data: dict[str, Any]) -> CatalogueItem:
    require(acting_user, EDIT_CATALOGUE, obj=item)
    _reject_unknown(data)
    require_same_federation(
        acting_user,
        federation=item.federation_id,
        **{name: data[name] for name in ("category", "service", "allowed_members") if name in data},
    )
    allowed = data.pop("allowed_members", None)
    item, _changed = model_update(instance=item, acting_user=acting_user, data=data)
    if allowed is not None:
        item.allowed_members.set(allowed)
    return item


@transaction.atomic
def price_version_create(
    *,
    acting_user: Any,
    item: CatalogueItem,
    valid_from: date,
    unit_price: Decimal,
    vat_code: str = "25",
    valid_to: date | None = None,
    note: str = "",
) -> PriceVersion:
    """Add a price from ``valid_from``; an open-ended earlier version is closed the day before.

    Versions never overlap, so every date has at most one price. Closing the old version
    does not touch issued invoices: their lines keep the price they were billed with.
    """
    require(acting_user, MANAGE_PRICES, obj=item)
    CatalogueItem.objects.select_for_update().get(pk=item.pk)
    _check(unit_price >= 0, _("Priset får inte vara negativt."))
    _check(valid_to is None or valid_to >= valid_from, _("Slutdatum före startdatum."))
    earlier_open = item.prices.filter(valid_from__lt=valid_from, valid_to__isnull=True).first()
    if earlier_open is not None:
        model_update(instance=earlier_open, acting_user=acting_user, data={"valid_to": valid_from - timedelta(days=1)})
    overlapping = item.prices.filter(valid_from__lte=valid_to or date.max).exclude(valid_to__lt=valid_from)
    _check(not overlapping.exists(), _("Prisversionen överlappar en befintlig version."))
    return model_create(
        model=PriceVersion,
        acting_user=acting_user,
        item=item,
        valid_from=valid_from,
        valid_to=valid_to,
        unit_price=unit_price,
        vat_code=vat_code,
        note=note,
    )


@transaction.atomic
def order_create(
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
) -> Order:
    """``ordered_on`` back-dates an order (imports, demo); it also decides the number's year."""
    require(acting_user, PLACE_ORDER, obj=department)
    _require_in_scope(departments_for(acting_user), department, _("Du får inte beställa åt den här förvaltningen."))
    member = department.member
    _check(item.active and item.orderable, _("Tjänsten går inte att beställa."))
    require_same_federation(acting_user, federation=member.federation_id, item=item)
    on = requested_date or ordered_on or timezone.localdate()
    _check(
        item_orderable_by_member(item, member, on),
        _("%(member)s får inte beställa %(item)s.") % {"member": member, "item": item},
    )
    _check(quantity > 0, _("Antalet måste vara större än noll."))
    missing = [label for label in item.order_fields if not (form_data or {}).get(label, "").strip()]
    _check(not missing, _("Fyll i: %(fields)s") % {"fields": ", ".join(missing)})
    year = (ordered_on or timezone.localdate()).year
    number = f"B{year}-{next_number(member.federation, f'order-{year}'):05d}"
    order = Order(
        federation=member.federation,
        number=number,
        item=item,
        member=member,
        department=department,
        ordered_by=acting_user,
        quantity=quantity,
        requested_date=requested_date,
        delivery_address=delivery_address,
        form_data=form_data or {},
        note=note,
        invoice_reference=invoice_reference or department.invoice_reference,
        status=OrderStatus.AWAITING_APPROVAL if item.requires_approval else OrderStatus.APPROVED,
    )
    order.full_clean()
    order.save()
    if ordered_on is not None:
        Order.objects.filter(pk=order.pk).update(ordered_at=timezone.make_aware(datetime.combine(ordered_on, time(9))))
        order.refresh_from_db(fields=["ordered_at"])
    audit_record(actor=acting_user, action="create", instance=order, after=snapshot(order))
    return order


def _transition(order: Order, acting_user: Any, action: str, allowed_from: tuple[str, ...], **changes: Any) -> Order:
    locked = Order.objects.select_for_update().get(pk=order.pk)
    _check(
        locked.status in allowed_from,
        _("Beställningen har fel status (%(status)s).") % {"status": locked.get_status_display()},
    )
    before = snapshot(locked)
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save()
    audit_record(actor=acting_user, action=action, instance=locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def order_approve(*, acting_user: Any, order: Order) -> Order:
    require(acting_user, APPROVE_ORDER, obj=order)
    _require_in_scope(orders_for(acting_user), order, _("Bara medlemmens kontaktperson kan godkänna beställningen."))
    return _transition(
        order,
        acting_user,
        "approve",
        (OrderStatus.AWAITING_APPROVAL,),
        status=OrderStatus.APPROVED,
        approved_by=acting_user,
        approved_at=timezone.now(),
    )


@transaction.atomic
def order_reject(*, acting_user: Any, order: Order, reason: str = "") -> Order:
    require(acting_user, APPROVE_ORDER, obj=order)
    _require_in_scope(orders_for(acting_user), order, _("Bara medlemmens kontaktperson kan avslå beställningen."))
    return _transition(
        order,
        acting_user,
        "reject",
        (OrderStatus.AWAITING_APPROVAL,),
        status=OrderStatus.REJECTED,
        note=(order.note + "\n" + reason).strip(),
    )


@transaction.atomic
def order_cancel(*, acting_user: Any, order: Order) -> Order:
    require(acting_user, PLACE_ORDER, obj=order)
    _require_in_scope(orders_for(acting_user), order, _("Du får inte makulera beställningen."))
    return _transition(
        order,
        acting_user,
        "cancel",
        (OrderStatus.AWAITING_APPROVAL, OrderStatus.APPROVED),
        status=OrderStatus.CANCELLED,
    )


@transaction.atomic
def order_deliver(*, acting_user: Any, order: Order, delivered_on: date, asset_id: int | None = None) -> Order:
    """Delivered orders become billable; a recurring service also starts a subscription."""
    require(acting_user, DELIVER_ORDER, obj=order)
    order = _transition(
        order, acting_user, "deliver", (OrderStatus.APPROVED,), status=OrderStatus.DELIVERED, delivered_on=delivered_on
    )
    if order.item.is_recurring:
        subscription_create(
            acting_user=acting_user,
            item=order.item,
            department=order.department,
            start=delivered_on,
            quantity=order.quantity,
            order=order,
            asset_id=asset_id,
            invoice_reference=order.invoice_reference,
        )
    return order


@transaction.atomic
def subscription_create(
    *,
    acting_user: Any,
    item: CatalogueItem,
    department: Department,
    start: date,
    quantity: Decimal = Decimal(1),
    end: date | None = None,
    order: Order | None = None,
    asset_id: int | None = None,
    invoice_reference: str = "",
    note: str = "",
) -> Subscription:
    require(acting_user, MANAGE_SUBSCRIPTIONS, obj=department)
    _check(item.is_recurring, _("Tjänsten har inget återkommande pris."))
    require_same_federation(acting_user, federation=department.member.federation_id, item=item)
    return model_create(
        model=Subscription,
        acting_user=acting_user,
        federation=item.federation,
        item=item,
        member=department.member,
        department=department,
        start=start,
        end=end,
        quantity=quantity,
        order=order,
        asset_id=asset_id,
        invoice_reference=invoice_reference or department.invoice_reference,
        note=note,
    )


@transaction.atomic
def subscription_end(*, acting_user: Any, subscription: Subscription, end: date) -> Subscription:
    """End a subscription; already billed months stay billed (a credit note corrects them)."""
    require(acting_user, END_SUBSCRIPTION, obj=subscription)
    _require_in_scope(subscriptions_for(acting_user), subscription, _("Du får inte avsluta abonnemanget."))
    _check(end >= subscription.start, _("Slutdatum före startdatum."))
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    return model_update(instance=locked, acting_user=acting_user, data={"end": end})[0]
