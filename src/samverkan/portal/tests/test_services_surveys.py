from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from samverkan.portal import selectors
from samverkan.portal.models import Status, SurveyResponse
from samverkan.portal.services.surveys import survey_answer
from samverkan.portal.services.workflow import ticket_change_status


def test_survey_and_nki(world, make_ticket):
    agent, orderer = world.users["agent"], world.users["orderer"]
    scores = [7, 8, 7, 8]
    for score in scores:
        ticket = make_ticket()
        with pytest.raises(ValidationError):
            survey_answer(acting_user=orderer, ticket=ticket, score=score)
        ticket_change_status(acting_user=agent, ticket=ticket, status=Status.RESOLVED)
        survey_answer(acting_user=orderer, ticket=ticket, score=score)
    with pytest.raises(ValidationError):
        survey_answer(acting_user=orderer, ticket=ticket, score=5)
    assert SurveyResponse.objects.count() == 4
    year = ticket.created_at.year
    ((_team, result),) = selectors.nki_per_team(agent, year=year)
    assert result.nki == Decimal("7.5") and result.respondents == 4
