"""Reads of the agreement register, scoped to the user's federation, with the computed dates
(next notice deadline, review date) every door shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from samverkan.core.models import User
from samverkan.core.permissions import scope
from samverkan.domain.agreement_dates import NoticeDates, next_notice, parse_renewal
from samverkan.domain.errors import DomainError
from samverkan.governance.models import Agreement, AgreementRevision, Case, Paragraph

UPCOMING_DAYS = 90  # a deadline this close is highlighted in the list


def agreements_for(user) -> QuerySet[Agreement]:
    return scope(user, Agreement.objects.all(), member=None, department=None).select_related(
        "host_member", "responsible", "case"
    )


def agreement_get(user, pk: int) -> Agreement:
    revisions = Prefetch("revisions", queryset=AgreementRevision.objects.select_related("paragraph__body"))
    return get_object_or_404(agreements_for(user).prefetch_related(revisions), pk=pk)


def paragraphs_for(user) -> QuerySet[Paragraph]:
    """Paragraphs a revision may cite (any body of the federation)."""
    return scope(user, Paragraph.objects.all(), federation="body__federation", member=None, department=None)


def cases_for(user) -> QuerySet[Case]:
    return scope(user, Case.objects.all(), member=None, department=None)


def staff_for(user) -> QuerySet[User]:
    """Active users of the federation, who may be responsible for an agreement."""
    return scope(user, User.objects.filter(is_active=True, is_system=False), member=None, department=None).order_by(
        "first_name", "last_name", "username"
    )


@dataclass(frozen=True)
class AgreementDates:
    notice: NoticeDates | None  # the next term end and the last day to give notice for it
    review_by: date | None  # "bör revideras senast": the agreement's, else its latest revision's
    problem: str = ""  # a renewal text the domain could not read

    def deadlines(self) -> list[tuple[str, date]]:
        found = []
        if self.notice is not None:
            found.append(("notice", self.notice.deadline))
        if self.review_by is not None:
            found.append(("review", self.review_by))
        return found


def agreement_dates(agreement: Agreement, today: date) -> AgreementDates:
    """The agreement's coming deadlines. A notice deadline entered by hand wins over the computed one."""
    review_by = agreement.review_by
    if review_by is None:
        dated = [r.review_by for r in agreement.revisions.all() if r.review_by is not None]
        review_by = max(dated) if dated else None
    try:
        renewal = parse_renewal(agreement.renewal) if agreement.renewal else None
    except DomainError as exc:
        return AgreementDates(notice=None, review_by=review_by, problem=str(exc))
    if agreement.notice_deadline is not None:
        end = agreement.valid_to or agreement.notice_deadline
        notice = NoticeDates(term_end=end, deadline=agreement.notice_deadline)
        return AgreementDates(notice=notice if notice.deadline >= today else None, review_by=review_by)
    notice = next_notice(
        valid_from=agreement.valid_from,
        valid_to=agreement.valid_to,
        notice_months=agreement.notice_months,
        renewal=renewal,
        today=today,
    )
    return AgreementDates(notice=notice, review_by=review_by)


@dataclass(frozen=True)
class AgreementRow:
    agreement: Agreement
    dates: AgreementDates
    upcoming: bool  # a deadline within UPCOMING_DAYS


def agreement_rows(user, today: date) -> list[AgreementRow]:
    rows = []
    for agreement in agreements_for(user).prefetch_related("revisions"):
        dates = agreement_dates(agreement, today)
        upcoming = any(0 <= (d - today).days <= UPCOMING_DAYS for _, d in dates.deadlines())
        rows.append(AgreementRow(agreement, dates, upcoming))
    return rows
