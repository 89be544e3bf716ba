"""Demo asset register for Lystkom (seed 002): IT equipment on 3/4/5/6-year straight-line
depreciation for Lycksele and Storuman, mobile phones for all members, and 2023's returns:
173 phones handed in, 140 recycled (disposed) and 33 reused. Values are DEMO DATA."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from samverkan.assets.models import Asset, AssetEvent, AssetStatus, AssetType
from samverkan.core.actors import system_actor
from samverkan.core.models import User
from samverkan.members.models import Federation

# type, description, price range (kr), depreciation years, share
CATALOGUE = [
    (AssetType.PC, "Bärbar dator Lenovo ThinkPad", (9000, 14000), 4, 34),
    (AssetType.MONITOR, "Skärm 27 tum", (2200, 3500), 5, 14),
    (AssetType.PHONE, "Mobiltelefon iPhone", (6000, 11000), 3, 30),
    (AssetType.TABLET, "Surfplatta iPad", (4000, 7000), 3, 10),
    (AssetType.NETWORK, "Switch/accesspunkt", (8000, 45000), 6, 6),
    (AssetType.PRINTER, "Skrivare", (5000, 15000), 5, 4),
    (AssetType.SITHS, "SITHS-kortläsare", (400, 900), 3, 2),
]


def build(stdout) -> None:
    lystkom = Federation.objects.get(slug="lystkom")
    rng = random.Random(2002)
    members = {m.kommunkod: m for m in lystkom.members.prefetch_related("departments")}
    it_members = [members["2481"], members["2421"]]
    phone_members = [members[k] for k in ("2481", "2421", "2463")]
    weights = [row[4] for row in CATALOGUE]
    assets: list[Asset] = []
    for number in range(1, 1201):
        kind, text, (low, high), years, _share = rng.choices(CATALOGUE, weights)[0]
        member = rng.choice(phone_members if kind == AssetType.PHONE else it_members)
        department = rng.choice(list(member.departments.all()))
        bought = date(2018, 1, 1) + timedelta(days=rng.randrange(6 * 365))
        value = Decimal(rng.randrange(low, high, 50))
        assets.append(
            Asset(
                federation=lystkom,
                inventory_number=f"LK-{number:05d}",
                asset_type=kind,
                description=text,
                serial_number=f"SN{rng.randrange(10**9):09d}",
                purchase_date=bought,
                purchase_value=value,
                depreciation_years=years,
                member=member,
                department=department,
                holder_name=f"Medarbetare {department.code}-{number}"
                if kind in (AssetType.PC, AssetType.PHONE)
                else "",
                status=AssetStatus.IN_USE,
                created_at=datetime(bought.year, bought.month, bought.day, 9, tzinfo=UTC),
            )
        )
    # 2023: 173 phones handed in — 140 recycled, 33 reset and reused.
    old_phones = sorted(
        (a for a in assets if a.asset_type == AssetType.PHONE and a.purchase_date.year <= 2021),
        key=lambda a: a.purchase_date,
    )[:173]
    handed_in = {a.inventory_number: i for i, a in enumerate(old_phones)}
    for asset in assets:
        index = handed_in.get(asset.inventory_number)
        if index is None:
            continue
        returned_on = date(2023, 1, 10) + timedelta(days=(index * 2) % 340)
        asset.member, asset.department, asset.holder_name = None, None, ""
        if index < 140:
            asset.status, asset.disposed_on, asset.status_reason = (
                AssetStatus.DISPOSED,
                returned_on,
                "Inlämnad, säker destruering och återvinning",
            )
        else:
            asset.status, asset.status_reason = AssetStatus.RETURNED, "Inlämnad, raderad för återbruk"
    stock = [a for a in assets if a.asset_type == AssetType.PC and a.purchase_date.year == 2023][:15]
    for asset in stock:
        asset.member, asset.department, asset.holder_name, asset.status = None, None, "", AssetStatus.IN_STOCK
    Asset.objects.bulk_create(assets, batch_size=2000)
    saved = {a.inventory_number: a for a in Asset.objects.filter(federation=lystkom)}
    # the history names real actors: the register was carried over by the system, disposals by the agent
    system = system_actor()
    agent = User.objects.filter(username="handlaggare").first()
    events = []
    for asset in saved.values():
        events.append(
            AssetEvent(
                asset=asset,
                at=asset.created_at,
                actor=system,
                actor_repr=system.get_username(),
                action="imported",
                changes={"status": [None, "in_use"]},
                reason="Överfört från tidigare register",
            )
        )
        if asset.status in (AssetStatus.DISPOSED, AssetStatus.RETURNED):
            when = asset.disposed_on or date(2023, 11, 30)
            events.append(
                AssetEvent(
                    asset=asset,
                    at=datetime(when.year, when.month, when.day, 10, tzinfo=UTC),
                    actor=agent,
                    actor_repr="handlaggare",
                    action="status",
                    changes={"status": ["in_use", asset.status]},
                    reason=asset.status_reason,
                )
            )
    AssetEvent.objects.bulk_create(events, batch_size=5000)
    stdout.write(f"assets: {len(saved)} inventarier, {len(old_phones)} mobiler inlämnade 2023\n")
