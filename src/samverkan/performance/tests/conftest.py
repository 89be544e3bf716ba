"""The performance demo (Lystkom 2023, seed 002) built once per test module, for the tests that
check the demo and the annual report against the seed."""

from __future__ import annotations

from io import StringIO

import pytest

from samverkan.performance import demo


@pytest.fixture(scope="module")
def _demo_db(django_db_setup, django_db_blocker):
    """The demos built once for the module inside a transaction rolled back at its end."""
    from django.db import transaction
    from django.test import override_settings

    from samverkan.finance import demo as finance_demo
    from samverkan.governance import demo as governance_demo
    from samverkan.members import demo as members_demo

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        for module in (members_demo, finance_demo, governance_demo):
            module.build(StringIO())
        out = StringIO()
        demo.build(out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def built(_demo_db, db):
    return _demo_db
