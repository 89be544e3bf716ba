"""An invoice or credit note the Peppol rules reject is not issued, and leaves no trace."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from samverkan.billing import services
from samverkan.billing.models import Invoice, InvoiceRun, NumberSeries, RunStatus
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(world) -> InvoiceRun:
    cat = make_catalogue(world.federation)
    system = system_actor()
    for member in (world.member, world.other_member):
        order = catalogue_services.order_create(
            acting_user=system, item=cat.siths, department=member.departments.first(), quantity=Decimal(2)
        )
        catalogue_services.order_deliver(acting_user=system, order=order, delivered_on=date(2025, 2, 2))
    economist = world.users["economist"]
    run = services.invoice_run_create(acting_user=economist, federation=world.federation, period="2025-Q1")
    return services.invoice_run_approve(acting_user=economist, run=run)


def lose_orgnr(member: Member) -> None:
    """As if imported without one: the form's validator never ran."""
    Member.objects.filter(pk=member.pk).update(orgnr="")


def test_a_run_with_an_invalid_invoice_is_refused_whole(world, approved):
    lose_orgnr(world.other_member)
    with pytest.raises(ValidationError) as refused:
        services.invoice_run_issue(acting_user=world.users["economist"], run=approved)
    empty, orgnr = refused.value.messages  # each rule once, though each fails at two places
    named = rf"Fakturan F2025-0000[12] \({world.other_member.name}\) kan inte utfärdas: regel "
    assert re.match(named + r"PEPPOL-EN16931-R008 \(Peppol BIS 3.0\): Document MUST not contain empty", empty)
    assert re.match(named + r"PEPPOL-COMMON-R049 \(Peppol BIS 3.0\): Swedish organization number", orgnr)
    approved.refresh_from_db()
    assert approved.status == RunStatus.APPROVED
    assert not Invoice.objects.filter(issued=True).exists()
    assert set(Invoice.objects.values_list("number", flat=True)) == {None}
    assert NumberSeries.objects.filter(last__gt=0).count() == 0


def test_a_credit_note_for_a_member_now_invalid_is_refused(world, approved):
    economist = world.users["economist"]
    services.invoice_run_issue(acting_user=economist, run=approved)
    invoice = Invoice.objects.get(member=world.member)
    lose_orgnr(world.member)
    with pytest.raises(ValidationError, match=r"Kreditfakturan K2025-00001 .*PEPPOL-COMMON-R049"):
        services.credit_note_create(acting_user=economist, invoice=invoice, issue_date=date(2025, 4, 20))
    assert not Invoice.objects.filter(credits=invoice).exists()
    assert not NumberSeries.objects.filter(series="K", last__gt=0).exists()
