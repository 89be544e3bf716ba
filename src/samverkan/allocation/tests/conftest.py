import io
from decimal import Decimal

import pytest

from samverkan.allocation import demo as allocation_demo
from samverkan.allocation import services
from samverkan.allocation.models import KeyKind, PoolKind
from samverkan.core.actors import system_actor
from samverkan.members import demo as members_demo


@pytest.fixture
def demo(db, settings):
    """The members and allocation demo data (Lystkom, GSN, E-dala) with the demo users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # demo users, fast
    members_demo.build(io.StringIO())
    allocation_demo.build(io.StringIO())


@pytest.fixture
def make_pool(world):
    """A 2025 service pool on a population key (1 Nov 2023) over world.service."""

    def make(total: Decimal, **extra):
        key = services.key_create(
            acting_user=system_actor(),
            federation=world.federation,
            name="Invånare",
            kind=KeyKind.POPULATION,
            reference_date="2023-11-01",
        )
        return services.pool_create(
            acting_user=system_actor(),
            federation=world.federation,
            name="Telefoni 2025",
            kind=PoolKind.SERVICE,
            period_start="2025-01-01",
            period_end="2025-12-31",
            total=total,
            key=key,
            services=[world.service],
            **extra,
        )

    return make
