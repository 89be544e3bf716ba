"""Every write of the catalogue: items, price versions, orders and subscriptions.

Each function is one transaction and leaves an audit row. Who-may-order is checked here (not
only in forms), so the API and the portal follow the same rule.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.catalogue.models import (
    CatalogueItem,
    Category,
    Counter,
    Order,
    OrderStatus,
    PriceVersion,
    Subscription,
)
from samverkan.catalogue.selectors import item_orderable_by_member
from samverkan.core.audit import audit_record, snapshot
from samverkan.core.roles import ADMIN, AGENT, MEMBER_CONTACT, ORDERER
from samverkan.core.services import model_create, model_update
from samverkan.members.models import Department, Federation


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def next_number(federation: Federation, series: str) -> int:
    """Next number of a series; the row lock makes concurrent callers queue (no duplicates, no gaps)."""
    counter, _created = Counter.objects.select_for_update().get_or_create(federation=federation, series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def category_create(*, acting_user: Any, federation: Federation, name: str, sort_order: int = 0) -> Category:
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
    _require(
        data.get("category") is None or data["category"].federation_id == federation.pk,
        _("Kategorin tillhör ett annat förbund."),
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
    CatalogueItem.objects.select_for_update().get(pk=item.pk)
    _require(unit_price >= 0, _("Priset får inte vara negativt."))
    _require(valid_to is None or valid_to >= valid_from, _("Slutdatum före startdatum."))
    earlier_open = item.prices.filter(valid_from__lt=valid_from, valid_to__isnull=True).first()
    if earlier_open is not None:
        model_update(instance=earlier_open, acting_user=acting_user, data={"valid_to": valid_from - timedelta(days=1)})
    overlapping = item.prices.filter(valid_from__lte=valid_to or date.max).exclude(valid_to__lt=valid_from)
    _require(not overlapping.exists(), _("Prisversionen överlappar en befintlig version."))
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


def _may_order_for(user: Any, department: Department) -> bool:
    if user is None or user.is_superuser or user.has_role(ADMIN, AGENT):
        return user is None or user.is_superuser or user.federation_id == department.member.federation_id
    if user.has_role(ORDERER):
        return user.department_id == department.pk
    if user.has_role(MEMBER_CONTACT):
        return user.member_id == department.member_id
    return False


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
    member = department.member
    _require(_may_order_for(acting_user, department), _("Du får inte beställa åt den här förvaltningen."))
    _require(item.active and item.orderable, _("Tjänsten går inte att beställa."))
    _require(item.federation_id == member.federation_id, _("Tjänsten tillhör ett annat förbund."))
    on = requested_date or ordered_on or timezone.localdate()
    _require(
        item_orderable_by_member(item, member, on),
        _("%(member)s får inte beställa %(item)s.") % {"member": member, "item": item},
    )
    _require(quantity > 0, _("Antalet måste vara större än noll."))
    missing = [label for label in item.order_fields if not (form_data or {}).get(label, "").strip()]
    _require(not missing, _("Fyll i: %(fields)s") % {"fields": ", ".join(missing)})
    year = (ordered_on or timezone.localdate()).year
    number = f"B{year}-{next_number(member.federation, f'order-{year}'):05d}"
    order = Order(
        federation=member.federation,
        number=number,
        item=item,
        member=member,
        department=department,
        ordered_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
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
    _require(
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


def _may_approve(user: Any, order: Order) -> bool:
    if user is None or user.is_superuser:
        return True
    if user.federation_id != order.federation_id:
        return False
    return user.has_role(ADMIN) or (user.has_role(MEMBER_CONTACT) and user.member_id == order.member_id)


@transaction.atomic
def order_approve(*, acting_user: Any, order: Order) -> Order:
    _require(_may_approve(acting_user, order), _("Bara medlemmens kontaktperson kan godkänna beställningen."))
    return _transition(
        order,
        acting_user,
        "approve",
        (OrderStatus.AWAITING_APPROVAL,),
        status=OrderStatus.APPROVED,
        approved_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        approved_at=timezone.now(),
    )


@transaction.atomic
def order_reject(*, acting_user: Any, order: Order, reason: str = "") -> Order:
    _require(_may_approve(acting_user, order), _("Bara medlemmens kontaktperson kan avslå beställningen."))
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
    _require(_may_order_for(acting_user, order.department), _("Du får inte makulera beställningen."))
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
    _require(
        acting_user is None
        or acting_user.is_superuser
        or (acting_user.has_role(ADMIN, AGENT) and acting_user.federation_id == order.federation_id),
        _("Bara förbundets handläggare kan leverera."),
    )
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
    _require(item.is_recurring, _("Tjänsten har inget återkommande pris."))
    _require(item.federation_id == department.member.federation_id, _("Tjänsten tillhör ett annat förbund."))
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
    _require(
        acting_user is None
        or acting_user.is_superuser
        or (
            acting_user.federation_id == subscription.federation_id
            and (
                acting_user.has_role(ADMIN, AGENT)
                or (acting_user.has_role(MEMBER_CONTACT) and acting_user.member_id == subscription.member_id)
            )
        ),
        _("Du får inte avsluta abonnemanget."),
    )
    _require(end >= subscription.start, _("Slutdatum före startdatum."))
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    return model_update(instance=locked, acting_user=acting_user, data={"end": end})[0]
