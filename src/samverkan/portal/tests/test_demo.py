import io
from decimal import Decimal

from samverkan.core.models import User
from samverkan.members import demo as members_demo
from samverkan.portal import demo, selectors
from samverkan.portal.models import Ticket


def test_demo_reproduces_seed_002(db):
    members_demo.build(io.StringIO())
    demo.build(io.StringIO())
    agent = User.objects.get(username="handlaggare")
    channels = {r["key"]: r["n"] for r in selectors.ticket_counts(agent, year=2023, by="channel", team="it")}
    assert sum(channels.values()) == 8600
    assert (channels["phone"], channels["portal"], channels["visit"]) == (4800, 530, 200)
    cs = Ticket.objects.filter(created_at__year=2023, team__code__in=["kundtjanst", "telefoni"]).count()
    assert cs == 2706
    nki = {team.code: result.nki for team, result in selectors.nki_per_team(agent, year=2023)}
    assert nki == {"kundtjanst": Decimal("7.5"), "it": Decimal("6.6")}
    attainment = selectors.sla_attainment(agent, year=2023)
    assert all(Decimal("0.5") < row.ratio < Decimal("1") for row in attainment)
    orderer = User.objects.get(username="bestallare.lycksele")
    assert selectors.ticket_list(orderer, mine=True).exists()
    assert not selectors.tickets_for(orderer).exclude(department=orderer.department).exists()
