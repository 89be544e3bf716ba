"""The current value of an indicator for a year, computed at read time from the other modules.

A bound indicator is never stored: it is recomputed on every read, so a new call import, a
ticket or a corrected ledger shows at once. What the board was told lives in the Assessment's
snapshot instead. The figures are aggregates of one federation, authorised by
VIEW_PERFORMANCE on it (checked by the caller), so the computations read the source tables
filtered by that federation rather than through the viewer's own ticket/call scope (a board
member holds no ticket capability but may see the SLA attainment).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum

from samverkan.core.actors import system_actor
from samverkan.domain.errors import DomainError
from samverkan.performance.models import Employment, Indicator, IndicatorSource, ManualValue, SurveyResult

ONE = Decimal("0.1")
HUNDRED = Decimal(100)


def _pct(num, den) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * HUNDRED / Decimal(den)).quantize(ONE, ROUND_HALF_UP)


def _int(parameters: dict, key: str) -> int | None:
    try:
        return int(parameters[key])
    except (KeyError, TypeError, ValueError):
        return None


def _service_level(indicator: Indicator, federation, year: int) -> Decimal | None:
    from samverkan.telephony.models import Queue
    from samverkan.telephony.selectors import service_level_report

    # One queue ("queue") or several answered as one service ("queues": customer service is a
    # queue per member's switchboard)
    ids = indicator.parameters.get("queues") or [_int(indicator.parameters, "queue")]
    queues = list(Queue.objects.filter(federation=federation, pk__in=[i for i in ids if i]))
    if not queues:
        return None
    report = service_level_report(system_actor(), per="queue", year=year, queues=queues, compare_previous_year=False)
    level = report.total.service_level if report.total else None
    return None if level is None else (level * HUNDRED).quantize(ONE, ROUND_HALF_UP)


def _tickets(indicator: Indicator, federation, year: int):
    from samverkan.portal.models import Ticket

    tickets = Ticket.objects.filter(federation=federation, created_at__year=year)
    team = _int(indicator.parameters, "team")
    return tickets.filter(team_id=team) if team else tickets


def _sla(indicator: Indicator, federation, year: int) -> Decimal | None:
    flag = "response_breached" if indicator.parameters.get("kind") == "response" else "resolution_breached"
    row = (
        _tickets(indicator, federation, year)
        .filter(**{f"{flag}__isnull": False})
        .aggregate(measured=Count("id"), met=Count("id", filter=Q(**{flag: False})))
    )
    return _pct(row["met"], row["measured"])


def _ticket_volume(indicator: Indicator, federation, year: int) -> Decimal | None:
    return Decimal(_tickets(indicator, federation, year).count())


def _nki_tickets(indicator: Indicator, federation, year: int) -> Decimal | None:
    from samverkan.portal.models import SurveyResponse

    answers = SurveyResponse.objects.filter(ticket__federation=federation, answered_at__year=year)
    team = _int(indicator.parameters, "team")
    if team:
        answers = answers.filter(team_id=team)
    row = answers.aggregate(n=Count("id"), total=Sum("score"))
    if not row["n"]:
        return None
    return (Decimal(row["total"]) / Decimal(row["n"])).quantize(ONE, ROUND_HALF_UP)


def _nki_survey(indicator: Indicator, federation, year: int) -> Decimal | None:
    result = SurveyResult.objects.filter(
        area__federation=federation, area_id=_int(indicator.parameters, "area"), year=year, question=""
    ).first()
    return None if result is None else result.value


def _surplus_ratio(indicator: Indicator, federation, year: int) -> Decimal | None:
    from samverkan.finance.usecases.statements import financial_goal_report

    try:
        report = financial_goal_report(user=system_actor(), federation=federation, year=year)
    except (DomainError, PermissionDenied):
        return None
    ratio = report.current.ratio
    return None if ratio is None else (ratio * HUNDRED).quantize(ONE, ROUND_HALF_UP)


def _sick_leave(indicator: Indicator, federation, year: int) -> Decimal | None:
    row = Employment.objects.filter(staff_import__federation=federation, staff_import__year=year).aggregate(
        sick=Sum("sick_hours"), worked=Sum("worked_hours")
    )
    return None if row["sick"] is None else _pct(row["sick"], row["worked"])


def _manual(indicator: Indicator, federation, year: int) -> Decimal | None:
    value = ManualValue.objects.filter(indicator=indicator, year=year).values_list("value", flat=True).first()
    return None if value is None else plain(value)


def plain(value: Decimal | None) -> Decimal | None:
    """A stored Decimal(14, 4) without its trailing zeros (90.0000 → 90, 2.5000 → 2.5)."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


COMPUTATIONS = {
    IndicatorSource.MANUAL: _manual,
    IndicatorSource.SERVICE_LEVEL: _service_level,
    IndicatorSource.SLA: _sla,
    IndicatorSource.TICKET_VOLUME: _ticket_volume,
    IndicatorSource.NKI_TICKETS: _nki_tickets,
    IndicatorSource.NKI_SURVEY: _nki_survey,
    IndicatorSource.SURPLUS_RATIO: _surplus_ratio,
    IndicatorSource.SICK_LEAVE: _sick_leave,
}


def indicator_value(indicator: Indicator, year: int) -> Decimal | None:
    """The indicator's value for `year` (None when there is nothing to compute it from)."""
    federation = indicator.goal.area.federation
    return COMPUTATIONS[IndicatorSource(indicator.source)](indicator, federation, year)
