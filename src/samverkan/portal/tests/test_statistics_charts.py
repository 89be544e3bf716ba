"""Ticket statistics: volume per month by channel and SLA attainment per month as charts, months by
name, each chart's figures in a table under a "Visa tabell" disclosure; refused for other roles."""

import re

from django.urls import reverse

from samverkan.portal.models import Ticket
from samverkan.testing import assert_roles


def test_statistics_charts_and_tables(world, make_ticket):
    for channel in ["phone", "phone", "portal", "email"]:
        make_ticket(acting_user=world.users["agent"], channel=channel)
    Ticket.objects.filter(channel="email").update(resolution_breached=True)
    Ticket.objects.filter(channel="phone").update(resolution_breached=False)
    ticket = Ticket.objects.first()
    year, month = ticket.created_at.year, ticket.created_at.month
    response = world.client("agent").get(reverse("portal:statistics"), {"ar": year})
    page = response.content.decode()
    assert page.count('role="img"') == 2 and page.count("aria-labelledby=") == 2
    assert page.count('<details class="table"><summary>Visa tabell') == 2
    names = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    label, counts, total = response.context["volume_rows"][month - 1]
    assert label == names[month - 1] and total == 4 and counts[:3] == [2, 1, 1]  # phone, portal, email
    assert all(f">{name}<" in page for name in names)
    _label, _response, resolution = response.context["sla_rows"][month - 1]
    assert (resolution.measured, resolution.met) == (3, 2)
    assert "66,7\u00a0%" in page and "Mål 90,0\u00a0%" in page
    assert re.search(r"jan, Telefon: 0</title>", page) or month == 1


def test_statistics_refused_for_other_roles(world):
    assert_roles(world, "get", reverse("portal:statistics"), allowed={"admin", "agent"})
