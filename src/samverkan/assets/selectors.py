"""Reads of the register, scoped by role; book values through ``domain.depreciation``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.assets.models import Asset, AssetStatus
from samverkan.assets.policies import VIEW_ASSETS
from samverkan.core.permissions import has_capability, scope
from samverkan.core.todos import MemberLink
from samverkan.domain import depreciation
from samverkan.domain.depreciation import DEPRECIATION_CLASSES


def assets_for(user) -> QuerySet[Asset]:
    if not has_capability(user, VIEW_ASSETS):
        return Asset.objects.none()
    return scope(user, Asset.objects.select_related("member", "department"))


def asset_get(user, pk: int) -> Asset:
    return get_object_or_404(assets_for(user), pk=pk)


def asset_list(user, *, q: str = "", status: str = "", asset_type: str = "", member: str = "") -> QuerySet[Asset]:
    assets = assets_for(user)
    if q:
        assets = assets.filter(
            Q(inventory_number__icontains=q)
            | Q(serial_number__icontains=q)
            | Q(description__icontains=q)
            | Q(holder_name__icontains=q)
        )
    if status:
        assets = assets.filter(status=status)
    if asset_type:
        assets = assets.filter(asset_type=asset_type)
    if member:
        assets = assets.filter(member_id=member)
    return assets


def book_value(asset: Asset, on: date) -> Decimal:
    """Straight line from the purchase month (see domain.depreciation); zero once disposed
    (the remaining value is written off on the disposal date) and before purchase."""
    if on < asset.purchase_date or (asset.disposed_on is not None and on >= asset.disposed_on):
        return Decimal("0.00")
    return depreciation.book_value(asset.purchase_value, asset.depreciation_years, asset.purchase_date, on)


def _scheduled_values(asset: Asset, dates: list[date]) -> list[Decimal]:
    """Schedule book values on several dates (ignoring disposal, which the callers handle)."""
    return depreciation.book_values(asset.purchase_value, asset.depreciation_years, asset.purchase_date, dates)


def schedule(asset: Asset, *, frequency: str = "yearly") -> list[depreciation.DepreciationPeriod]:
    return depreciation.straight_line_schedule(
        asset.purchase_value, asset.depreciation_years, asset.purchase_date, frequency=frequency
    )  # type: ignore[arg-type]


def held_on(assets: QuerySet[Asset], on: date) -> QuerySet[Asset]:
    """Assets owned on ``on``: bought by then and not disposed before."""
    return assets.filter(purchase_date__lte=on).filter(Q(disposed_on__isnull=True) | Q(disposed_on__gt=on))


@dataclass(frozen=True)
class RegisterRow:
    asset: Asset
    accumulated: Decimal
    book_value: Decimal


def register(user, *, member_id: int | None, on: date) -> tuple[list[RegisterRow], dict[str, Decimal]]:
    """The asset register of one member (or the federation's own stock when None) on a date."""
    assets = held_on(assets_for(user), on).filter(member_id=member_id).order_by("asset_type", "inventory_number")
    rows = []
    for asset in assets:
        value = _scheduled_values(asset, [on])[0]
        rows.append(RegisterRow(asset=asset, accumulated=asset.purchase_value - value, book_value=value))
    totals = {
        "cost": sum((r.asset.purchase_value for r in rows), Decimal("0.00")),
        "accumulated": sum((r.accumulated for r in rows), Decimal("0.00")),
        "book_value": sum((r.book_value for r in rows), Decimal("0.00")),
    }
    return rows, totals


@dataclass(frozen=True)
class ClassRow:
    years: int
    assets: int
    cost: Decimal
    depreciation: Decimal
    book_value_end: Decimal


def depreciation_by_class(user, *, year: int) -> list[ClassRow]:
    """Depreciation for a calendar year per class (3/4/5/6 years) and the book value at year end.

    An asset disposed during the year depreciates only for the months before disposal; its
    remaining value is a disposal loss, not depreciation, and it has no year-end value.
    """
    end = date(year, 12, 31)
    start = date(year, 1, 1)
    assets = (
        assets_for(user).filter(purchase_date__lte=end).filter(Q(disposed_on__isnull=True) | Q(disposed_on__gte=start))
    )
    totals: dict[int, dict[str, Decimal | int]] = defaultdict(
        lambda: {"assets": 0, "cost": Decimal("0.00"), "depreciation": Decimal("0.00"), "book": Decimal("0.00")}
    )
    for asset in assets:
        bucket = totals[asset.depreciation_years]
        stop = end if asset.disposed_on is None else min(end, asset.disposed_on)
        opening, closing_before_disposal = _scheduled_values(asset, [date(year - 1, 12, 31), stop])
        bucket["assets"] = int(bucket["assets"]) + 1
        bucket["cost"] = Decimal(bucket["cost"]) + asset.purchase_value
        bucket["depreciation"] = Decimal(bucket["depreciation"]) + (opening - closing_before_disposal)
        bucket["book"] = Decimal(bucket["book"]) + (
            closing_before_disposal if asset.disposed_on is None or asset.disposed_on > end else 0
        )
    return [
        ClassRow(
            years=y,
            assets=int(totals[y]["assets"]),
            cost=Decimal(totals[y]["cost"]),
            depreciation=Decimal(totals[y]["depreciation"]),
            book_value_end=Decimal(totals[y]["book"]),
        )
        for y in DEPRECIATION_CLASSES
    ]


def status_counts(user) -> dict[str, int]:
    from django.db.models import Count

    rows = assets_for(user).values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(AssetStatus.values, 0)
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


# --- The member's page (core.todos)


def member_link_items(user, member) -> list[MemberLink]:
    if not has_capability(user, VIEW_ASSETS):
        return []
    count = assets_for(user).filter(member=member).count()
    url = f"{reverse('assets:asset-list')}?medlem={member.pk}"
    return [MemberLink(label=_("Inventarier"), count=count, url=url, order=50)]
