import io

import pytest

from samverkan.allocation import demo as allocation_demo
from samverkan.members import demo as members_demo


@pytest.fixture
def demo(db, settings):
    """The members and allocation demo data (Lystkom, GSN, E-dala) with the demo users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # demo users, fast
    members_demo.build(io.StringIO())
    allocation_demo.build(io.StringIO())

