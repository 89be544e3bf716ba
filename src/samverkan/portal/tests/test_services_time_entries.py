from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.portal import selectors
from samverkan.portal.services.time_entries import time_entry_add


def test_time_and_billable_time(world, make_ticket):
    agent = world.users["agent"]
    ticket = make_ticket()
    time_entry_add(acting_user=agent, ticket=ticket, minutes=45, day=date(2023, 3, 1))
    time_entry_add(acting_user=agent, ticket=ticket, minutes=30, day=date(2023, 3, 2))
    time_entry_add(acting_user=agent, ticket=ticket, minutes=99, day=date(2023, 3, 2), billable=False)
    time_entry_add(acting_user=agent, ticket=ticket, minutes=10, day=date(2023, 4, 1))
    rows = selectors.billable_time(world.federation, date(2023, 3, 1), date(2023, 3, 31))
    assert len(rows) == 1
    assert (rows[0].minutes, rows[0].entries, rows[0].invoice_reference) == (75, 2, "2481-SOC")
    assert selectors.billable_time(world.other_federation, date(2023, 1, 1), date(2023, 12, 31)) == []
    with pytest.raises(ValidationError):
        time_entry_add(acting_user=agent, ticket=ticket, minutes=0)
    with pytest.raises(PermissionDenied):
        time_entry_add(acting_user=world.users["orderer"], ticket=ticket, minutes=5)
