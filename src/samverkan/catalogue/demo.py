"""Lystkom's priced service catalogue (seed 002) and a year (2025) of orders and subscriptions.

Prices are DEMO figures of a plausible size, not Lystkom's real price list. The price list
was revised for 1 January 2025 (seed 002: revised every other year, applied from 1 January),
so 2024 prices exist too and the 2025 invoices use the new ones. Mobile phone as a service is
offered in Lycksele and Storuman only (seed 002); IT items need the IT hand-over, so Åsele
orders IT only from 2025 and Vilhelmina and Dorotea only customer-service items.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from samverkan.catalogue import services
from samverkan.catalogue.models import PriceUnit
from samverkan.catalogue.selectors import item_orderable_by_member
from samverkan.core.actors import system_actor
from samverkan.members.models import Federation

D = Decimal
# code, name, category, unit, price 2023–24, price 2025, VAT, service, team, account, activity, approval, description
ITEMS = [
    (
        "siths",
        "SITHS-kort (e-tjänstekort), nytt kort",
        "E-tjänstekort",
        PriceUnit.ONE_OFF,
        "420",
        "450",
        "25",
        "e-tjanstekort",
        "kundtjanst",
        "3511",
        "81143",
        False,
        "Utfärdande av SITHS-kort med inloggning och underskrift.",
    ),
    (
        "siths-ersattning",
        "SITHS-kort, ersättningskort",
        "E-tjänstekort",
        PriceUnit.ONE_OFF,
        "420",
        "450",
        "25",
        "e-tjanstekort",
        "kundtjanst",
        "3511",
        "81143",
        False,
        "Nytt kort vid förlust eller skada.",
    ),
    (
        "mobil",
        "Mobiltelefon som tjänst",
        "Telefoni och mobil",
        PriceUnit.MONTH,
        "229",
        "249",
        "25",
        "mobiltelefoni",
        "kundtjanst",
        "3512",
        "81143",
        True,
        "Mobiltelefon som ägs och administreras av Lystkom och hyrs av verksamheten, inklusive skal och skydd.",
    ),
    (
        "mobilabonnemang",
        "Mobilabonnemang",
        "Telefoni och mobil",
        PriceUnit.MONTH,
        "89",
        "99",
        "25",
        "mobiltelefoni",
        "kundtjanst",
        "3512",
        "81143",
        False,
        "Abonnemang med obegränsade samtal och 20 GB data.",
    ),
    (
        "vaxelanknytning",
        "Växelanknytning",
        "Telefoni och mobil",
        PriceUnit.QUARTER,
        "150",
        "165",
        "25",
        "kundtjanst",
        "kundtjanst",
        "3515",
        "81143",
        False,
        "Anknytning i växeln med hänvisning.",
    ),
    (
        "pc",
        "PC som tjänst (standardarbetsplats)",
        "IT-arbetsplats",
        PriceUnit.MONTH,
        "420",
        "450",
        "25",
        "it-drift",
        "it",
        "3513",
        "81141",
        True,
        "Bärbar dator med docka och skärm, byts vart fjärde år.",
    ),
    (
        "licens",
        "Microsoft 365-licens",
        "IT-arbetsplats",
        PriceUnit.USER_YEAR,
        "2160",
        "2400",
        "25",
        "it-drift",
        "it",
        "3513",
        "81141",
        False,
        "Licens per användare och år.",
    ),
    (
        "installation",
        "Installation eller flytt av arbetsplats",
        "IT-arbetsplats",
        PriceUnit.ONE_OFF,
        "1100",
        "1200",
        "25",
        "it-drift",
        "it",
        "3514",
        "81141",
        False,
        "Inklusive utkörning.",
    ),
    (
        "headset",
        "Headset",
        "Tillbehör",
        PriceUnit.ITEM,
        "790",
        "890",
        "25",
        None,
        "kundtjanst",
        "3516",
        "81143",
        False,
        "Trådlöst headset för dator och mobil.",
    ),
    (
        "support",
        "IT-support, timme",
        "Support och konsulttid",
        PriceUnit.HOUR,
        "700",
        "750",
        "25",
        "it-drift",
        "it",
        "3514",
        "81141",
        False,
        "Tid utöver paketerad support, rapporterad på ärenden.",
    ),
    (
        "administration",
        "Administrativa tjänster kundtjänst, timme",
        "Support och konsulttid",
        PriceUnit.HOUR,
        "520",
        "550",
        "25",
        "kundtjanst",
        "kundtjanst",
        "3515",
        "81143",
        False,
        "Besöksregistrering, lokalbokning m.m.",
    ),
    (
        "utbildning",
        "Utbildning e-tjänstekort, lärarledd",
        "E-tjänstekort",
        PriceUnit.ONE_OFF,
        "1400",
        "1500",
        "E",
        "e-tjanstekort",
        "kundtjanst",
        "3511",
        "81143",
        False,
        "Utbildning (momsfri).",
    ),
    (
        "samordning",
        "Samordning digitalisering, del av tjänst",
        "Support och konsulttid",
        PriceUnit.MONTH,
        "78000",
        "80000",
        "O",
        None,
        "",
        "3590",
        "81146",
        False,
        "Köpt andel av förbundschefens tjänst; inom den kommunala sektorn, utanför momsens tillämpningsområde.",
    ),
]
CATEGORIES = ["E-tjänstekort", "Telefoni och mobil", "IT-arbetsplats", "Tillbehör", "Support och konsulttid"]


def build_catalogue(federation: Federation, actor) -> dict:
    categories = {
        name: services.category_create(acting_user=actor, federation=federation, name=name, sort_order=i)
        for i, name in enumerate(CATEGORIES)
    }
    member_services = {s.code: s for s in federation.services.all()}
    members = {m.kommunkod: m for m in federation.members.all()}
    items = {}
    for code, name, category, unit, old, new, vat, service, team, account, activity, approval, text in ITEMS:
        item = services.item_create(
            acting_user=actor,
            federation=federation,
            code=code,
            name=name,
            category=categories[category],
            price_unit=unit,
            description=text,
            owner_team=team,
            service=member_services.get(service) if service else None,
            requires_approval=approval,
            revenue_account=account,
            activity=activity,
            order_fields=["Användare"] if code in ("siths", "siths-ersattning", "pc", "mobil") else [],
            unit_price=D(old),
            valid_from=date(2023, 1, 1),
            vat_code=vat,
            allowed_members=[members["2481"], members["2421"]] if code in ("mobil", "samordning") else None,
        )
        services.price_version_create(
            acting_user=actor,
            item=item,
            valid_from=date(2025, 1, 1),
            unit_price=D(new),
            vat_code=vat,
            note="Prislista 2025",
        )
        items[code] = item
    return items


def build_year(federation: Federation, items: dict, actor, year: int = 2025) -> tuple[int, int]:
    """Orders through the year and subscriptions (some starting or ending mid-quarter)."""
    rng = random.Random(year)
    orders = subscriptions = 0
    for member in federation.members.order_by("kommunkod"):
        departments = list(member.departments.order_by("code"))
        for month in range(1, 13):
            for _ in range(rng.randint(1, 3)):
                department = rng.choice(departments)
                code = rng.choice(["siths", "siths", "siths-ersattning", "headset", "installation", "utbildning"])
                day = date(year, month, rng.randint(1, 25))
                order = _order(actor, items[code], department, rng.randint(1, 4), day)
                if order is not None:
                    services.order_deliver(
                        acting_user=actor, order=order, delivered_on=day + timedelta(days=rng.randint(1, 5))
                    )
                    orders += 1
        for department in departments:
            for code, count in (
                ("licens", rng.randint(20, 120)),
                ("vaxelanknytning", rng.randint(5, 40)),
                ("mobilabonnemang", rng.randint(5, 30)),
                ("pc", rng.randint(3, 25)),
            ):
                item = items[code]
                start = (
                    date(year - 1, 1, 1) if rng.random() < 0.7 else date(year, rng.randint(1, 11), rng.randint(1, 28))
                )
                if item_orderable_by_member(item, member, max(start, date(year, 1, 1))):
                    end = date(year, rng.randint(6, 12), 15) if rng.random() < 0.1 else None
                    services.subscription_create(
                        acting_user=actor, item=item, department=department, start=start, end=end, quantity=D(count)
                    )
                    subscriptions += 1
            # mobile phone as a service, ordered through the portal and approved by the member contact
            order = _order(actor, items["mobil"], department, rng.randint(2, 12), date(year, rng.randint(1, 10), 3))
            if order is not None:
                services.order_approve(acting_user=actor, order=order)
                services.order_deliver(
                    acting_user=actor,
                    order=order,
                    delivered_on=order.ordered_at.date() + timedelta(days=7),
                    asset_id=None,
                )
                subscriptions += 1
        share = {"2481": D("0.10"), "2421": D("0.15")}.get(member.kommunkod)
        if share:
            services.subscription_create(
                acting_user=actor,
                item=items["samordning"],
                department=departments[0],
                start=date(year, 1, 1),
                end=date(year, 12, 31),
                quantity=share,
            )
            subscriptions += 1
    return orders, subscriptions


def _order(actor, item, department, quantity, day):
    if not item_orderable_by_member(item, department.member, day):
        return None
    return services.order_create(
        acting_user=actor,
        item=item,
        department=department,
        quantity=D(quantity),
        ordered_on=day,
        form_data=dict.fromkeys(item.order_fields, "Demoanvändare"),
        delivery_address="Kommunhuset",
    )


def build(stdout) -> None:
    lystkom = Federation.objects.get(slug="lystkom")
    actor = system_actor()
    items = build_catalogue(lystkom, actor)
    orders, subscriptions = build_year(lystkom, items, actor)
    stdout.write(
        f"catalogue: {len(items)} tjänster, {orders} levererade beställningar, {subscriptions} abonnemang 2025"
    )
