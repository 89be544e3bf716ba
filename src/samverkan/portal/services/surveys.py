"""The requester's 1–10 answer on a finished ticket, which feeds NKI."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.permissions import require
from samverkan.portal.models import SurveyResponse, Ticket
from samverkan.portal.policies import ANSWER_SURVEY


@transaction.atomic
def survey_answer(*, acting_user, ticket: Ticket, score: int, comment: str = "") -> SurveyResponse:
    require(acting_user, ANSWER_SURVEY, obj=ticket)
    ticket = Ticket.objects.get(pk=ticket.pk)
    if not ticket.state.finished:
        raise ValidationError(_("Enkäten kan besvaras när ärendet är löst."))
    if not 1 <= int(score) <= 10:
        raise ValidationError(_("Betyget ska vara 1–10."))
    if SurveyResponse.objects.filter(ticket=ticket).exists():
        raise ValidationError(_("Enkäten är redan besvarad."))
    return SurveyResponse.objects.create(
        ticket=ticket, team=ticket.team, respondent=acting_user, score=int(score), comment=comment
    )
