"""What a municipality pays: two federations sharing Ludvika, credit notes, budget, and scoping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from samverkan.allocation import services as allocation_services
from samverkan.allocation.models import KeyKind
from samverkan.billing.models import DocumentKind, Invoice
from samverkan.core.actors import system_actor
from samverkan.core.models import User
from samverkan.finance.selectors.settlement import settlement_mark
from samverkan.finance.usecases.settlement import member_costs, municipalities_for
from samverkan.testing import make_member

_numbers = iter(range(1, 1000))


def invoice(member, net: str, on: date, *, kind=DocumentKind.INVOICE, credits=None, issued=True) -> Invoice:
    net_amount = Decimal(net)
    vat = (net_amount / 4).quantize(Decimal("0.01"))
    return Invoice.objects.create(
        federation=member.federation,
        member=member,
        kind=kind,
        credits=credits,
        number=f"T{next(_numbers):05d}" if issued else None,
        issued=issued,
        issue_date=on,
        due_date=on,
        net=net_amount,
        vat=vat,
        total=net_amount + vat,
    )


def approved_pool(federation, name: str, total: str, *, start=date(2024, 1, 1), end=date(2024, 12, 31), description=""):
    system = system_actor()
    key, _created = federation.allocation_keys.get_or_create(name="Lika", defaults={"kind": KeyKind.EQUAL})
    pool = allocation_services.pool_create(
        acting_user=system,
        federation=federation,
        name=name,
        kind="service",
        period_start=start,
        period_end=end,
        total=Decimal(total),
        key=key,
        description=description,
    )
    run = allocation_services.run_create(acting_user=system, pool=pool, label=name)
    allocation_services.run_approve(acting_user=system, run=run)
    return pool


@pytest.fixture
def ludvika(world):
    """Ludvika (2085) is a member of both the test federation and the other one."""
    here = make_member(world.federation, "Ludvika kommun", "2085", "212000-2163")
    there = world.foreign_member
    first = invoice(here, "1000.00", date(2024, 2, 1))
    invoice(here, "500.00", date(2024, 5, 1))
    invoice(here, "200.00", date(2024, 6, 1), kind=DocumentKind.CREDIT_NOTE, credits=first)
    invoice(here, "999.00", date(2023, 12, 31))  # another year
    invoice(here, "777.00", date(2024, 3, 1), issued=False)  # a draft is not paid
    invoice(there, "3000.00", date(2024, 3, 1))
    invoice(world.member, "40.00", date(2024, 3, 1))  # Lycksele
    # budget: equal shares of 3 000 (1 000 each of three), then a final run of 3 300 replaces it
    pool = approved_pool(world.federation, "Drift 2024", "3000")
    final = allocation_services.run_create(acting_user=system_actor(), pool=pool, label="Slutlig", total=Decimal(3300))
    allocation_services.run_approve(acting_user=system_actor(), run=final)
    approved_pool(world.federation, "Drift 2025", "9000", start=date(2025, 1, 1), end=date(2025, 12, 31))
    approved_pool(  # a settlement of 2023 billed in 2024 is a result, not budget
        world.federation,
        "Reglering 2023",
        "-600",
        start=date(2024, 3, 15),
        end=date(2024, 3, 15),
        description=settlement_mark(2023, "81141"),
    )
    approved_pool(world.other_federation, "Annat 2024", "2000")
    return here, there


def amounts(costs) -> list[tuple[str, Decimal, Decimal, Decimal, Decimal | None, Decimal | None]]:
    return [(r.federation.slug, r.invoiced, r.credited, r.net, r.budgeted, r.difference) for r in costs.rows]


def test_economist_sees_own_federation_only(world, ludvika):
    costs = member_costs(user=world.users["economist"], kommunkod="2085", year=2024)
    assert costs.name == "Ludvika kommun"
    assert amounts(costs) == [
        (
            "testforbund",
            Decimal("1500.00"),
            Decimal("200.00"),
            Decimal("1300.00"),
            Decimal("1100.00"),
            Decimal("200.00"),
        )
    ]
    assert costs.rows[0].invoice_count == 2 and costs.rows[0].credit_note_count == 1
    data = costs.as_dict()
    assert data["federations"][0]["net"] == "1300.00" and data["total"]["difference"] == "200.00"
    assert "annat" not in str(data)


def test_other_federation_sees_its_own(world, ludvika):
    costs = member_costs(user=world.outsider, kommunkod="2085", year=2024)
    assert amounts(costs) == [
        ("annat", Decimal("3000.00"), Decimal("0"), Decimal("3000.00"), Decimal("2000.00"), Decimal("1000.00"))
    ]


def test_superuser_sees_every_federation(world, ludvika):
    root = User.objects.create_superuser(username="plattform", password="x" * 20, email="p@example.se")
    costs = member_costs(user=root, kommunkod="2085", year=2024)
    assert [r.federation.slug for r in costs.rows] == ["annat", "testforbund"]
    assert costs.totals["net"] == Decimal("4300.00")
    assert costs.totals["budgeted"] == Decimal("3100.00")
    assert costs.totals["difference"] == Decimal("1200.00")
    assert ("2085", "Ludvika kommun") in municipalities_for(root)


def test_member_contact_sees_own_member_only(world, ludvika):
    contact = world.users["member_contact"]  # Lycksele's contact
    own = member_costs(user=contact, kommunkod="2481", year=2024)
    assert amounts(own) == [
        ("testforbund", Decimal("40.00"), Decimal("0"), Decimal("40.00"), Decimal("1100.00"), Decimal("-1060.00"))
    ]
    with pytest.raises(Http404):
        member_costs(user=contact, kommunkod="2085", year=2024)
    assert municipalities_for(contact) == [("2481", "Lycksele kommun")]


def test_board_reads_and_other_roles_refused(world, ludvika):
    assert member_costs(user=world.users["board"], kommunkod="2085", year=2024).rows
    for role in ("agent", "orderer"):
        with pytest.raises(PermissionDenied):
            member_costs(user=world.users[role], kommunkod="2085", year=2024)


def test_other_year_and_unknown_municipality(world, ludvika):
    costs = member_costs(user=world.users["economist"], kommunkod="2085", year=2023)
    assert amounts(costs) == [
        ("testforbund", Decimal("999.00"), Decimal("0"), Decimal("999.00"), Decimal("0"), Decimal("999.00"))
    ]
    with pytest.raises(Http404):
        member_costs(user=world.users["economist"], kommunkod="0180", year=2024)
