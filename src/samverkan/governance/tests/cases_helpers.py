"""Shared set-up of the case register tests."""

from datetime import date

import pytest

from samverkan.governance.models import Agreement
from samverkan.governance.services.cases import case_open, document_register

SECRET_TITLE = "Hemlig ärendemening om skyddad person"
SECRET_DOC = "Hemlig handling om sårbarhet i brandvägg"
SECRET_PARTY = "Hemlig avsändare AB"


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


def make_register(world):
    """An open case with a public and a secret document, a case with a secret title, and an agreement."""
    admin = world.users["admin"]
    case = case_open(
        acting_user=admin, federation=world.federation, title="Ny fördelningsnyckel", opened=date(2024, 3, 1)
    )
    public_doc = document_register(
        acting_user=admin,
        case=case,
        kind="incoming",
        date=date(2024, 3, 2),
        title="Skrivelse från Lycksele",
        counterparty="Lycksele kommun",
    )
    secret_doc = document_register(
        acting_user=admin,
        case=case,
        kind="incoming",
        date=date(2024, 3, 3),
        title=SECRET_DOC,
        counterparty=SECRET_PARTY,
        secrecy="OSL 18 kap. 8 §",
    )
    secret_case = case_open(
        acting_user=admin, federation=world.federation, title=SECRET_TITLE, opened=date(2024, 4, 1), secret_title=True
    )
    agreement = Agreement.objects.create(
        federation=world.federation, kind="cooperation", title="Samverkansavtal", valid_from=date(2020, 1, 1)
    )
    return case, public_doc, secret_doc, secret_case, agreement
