from datetime import date
from decimal import Decimal

import pytest

from samverkan.assets import services


@pytest.fixture
def make_asset(world):
    counter = iter(range(1, 10_000))

    def make(**kwargs):
        data = {
            "acting_user": world.users["agent"],
            "federation": world.federation,
            "inventory_number": f"INV-{next(counter):04d}",
            "asset_type": "pc",
            "description": "Bärbar dator",
            "serial_number": "SN123",
            "purchase_date": date(2023, 1, 15),
            "purchase_value": Decimal("12000.00"),
            "depreciation_years": 4,
            "member": world.member,
            "department": world.department,
            "holder_name": "Anna Berg",
            "status": "in_use",
        }
        data.update(kwargs)
        return services.asset_create(**data)

    return make
