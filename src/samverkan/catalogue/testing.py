"""Test helpers: a small priced catalogue on top of ``core.testing.make_world``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from samverkan.catalogue import services
from samverkan.catalogue.models import CatalogueItem, Category, PriceUnit
from samverkan.core.actors import system_actor


@dataclass
class Catalogue:
    category: Category
    siths: CatalogueItem  # one-off, 25 %
    mobile: CatalogueItem  # per month
    licence: CatalogueItem  # per user and year
    support: CatalogueItem  # per hour, owner team "it"
    course: CatalogueItem  # exempt
    membership: CatalogueItem  # outside scope, per quarter


def make_catalogue(federation, valid_from: date = date(2025, 1, 1)) -> Catalogue:
    actor = system_actor()
    category = services.category_create(acting_user=actor, federation=federation, name="IT och telefoni")

    def item(code, name, unit, price, vat="25", **extra):
        return services.item_create(
            acting_user=actor,
            federation=federation,
            code=code,
            name=name,
            category=category,
            price_unit=unit,
            unit_price=Decimal(price),
            valid_from=valid_from,
            vat_code=vat,
            **extra,
        )

    return Catalogue(
        category=category,
        siths=item(
            "siths",
            "SITHS-kort (e-tjänstekort)",
            PriceUnit.ONE_OFF,
            "350.00",
            activity="81143",
            revenue_account="3511",
            owner_team="kundtjanst",
        ),
        mobile=item("mobil", "Mobil som tjänst", PriceUnit.MONTH, "199.00", activity="81143", revenue_account="3512"),
        licence=item(
            "licens", "Licens kontorsprogram", PriceUnit.USER_YEAR, "1200.00", activity="81141", revenue_account="3513"
        ),
        support=item(
            "support",
            "IT-support per timme",
            PriceUnit.HOUR,
            "725.00",
            activity="81141",
            revenue_account="3514",
            owner_team="it",
        ),
        course=item("kurs", "Utbildning", PriceUnit.ONE_OFF, "1500.00", vat="E", activity="81141"),
        membership=item("vaxel", "Växelavgift", PriceUnit.QUARTER, "3000.00", vat="O", activity="81143"),
    )
