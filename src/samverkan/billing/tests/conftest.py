from __future__ import annotations

import pytest

from samverkan.billing.tests.peppol import PeppolValidator


@pytest.fixture(scope="session")
def peppol_validator() -> PeppolValidator:
    return PeppolValidator()
