"""Reads of the case register (diarium): staff lists and search, what a case is linked to, and
the public register, whose rows are masked here (never in a template) so that a secret title,
a secrecy-marked document's title, counterparty or file cannot reach a public page or the
public API by mistake."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from samverkan.allocation.models import AllocationRun, CostPool
from samverkan.allocation.selectors import pools_for
from samverkan.allocation.selectors import runs_for as allocation_runs_for
from samverkan.billing.models import InvoiceRun
from samverkan.billing.selectors import runs_for as invoice_runs_for
from samverkan.catalogue.models import PriceVersion
from samverkan.catalogue.selectors import items_for
from samverkan.core.models import User
from samverkan.core.permissions import has_capability, scope
from samverkan.core.roles import ADMIN, AGENT, ECONOMIST, SECRETARY
from samverkan.core.selectors import users_with_role
from samverkan.governance.models import Agreement, Case, CaseDocument, CaseLink, GovernanceSettings
from samverkan.governance.policies import VIEW_CASES
from samverkan.members.models import Federation, HandOver
from samverkan.members.selectors import members_for

DEFAULT_PATTERN = "{year}-{n:02}"
MAX_QUERY_LENGTH = 100
MAX_SEARCH_RESULTS = 100
MAX_LINK_CHOICES = 200  # per link type in the form's select


# ---- staff reads ------------------------------------------------------------------------------


def cases_for(user: Any) -> QuerySet[Case]:
    if not has_capability(user, VIEW_CASES):
        return Case.objects.none()
    return scope(user, Case.objects.select_related("officer", "federation"), member=None, department=None)


def case_get(user: Any, pk: int) -> Case:
    return get_object_or_404(cases_for(user), pk=pk)


def documents_for(user: Any) -> QuerySet[CaseDocument]:
    return CaseDocument.objects.filter(case__in=cases_for(user)).select_related("case", "registered_by")


def document_get(user: Any, pk: int) -> CaseDocument:
    return get_object_or_404(documents_for(user), pk=pk)


def links_for(user: Any) -> QuerySet[CaseLink]:
    return CaseLink.objects.filter(case__in=cases_for(user)).select_related("case", "content_type")


def link_get(user: Any, pk: int) -> CaseLink:
    return get_object_or_404(links_for(user), pk=pk)


def officers_for(user: Any) -> QuerySet[User]:
    """Staff of the user's federation who may be a case's responsible officer."""
    if not has_capability(user, VIEW_CASES) or user.federation_id is None:
        return User.objects.none()
    return users_with_role(user.federation_id, ADMIN, SECRETARY, ECONOMIST, AGENT).order_by("username")


def case_number_pattern(federation: Any) -> str:
    federation_id = getattr(federation, "pk", federation)
    found = GovernanceSettings.objects.filter(federation_id=federation_id).values_list("case_number_pattern", flat=True)
    return next(iter(found), DEFAULT_PATTERN)


def case_years(cases: QuerySet[Case]) -> list[int]:
    return sorted(set(cases.values_list("year", flat=True)), reverse=True)


def case_search(user: Any, query: str) -> QuerySet[Case]:
    """Cases whose number or title, or one of whose documents' title or counterparty, contains
    `query` (case-insensitive; one code path on SQLite and PostgreSQL). The query is cut to
    MAX_QUERY_LENGTH characters and the result to MAX_SEARCH_RESULTS cases."""
    text = query.strip()[:MAX_QUERY_LENGTH]
    words = text.split()[:10]
    cases = cases_for(user)
    if not words:
        return cases.none()
    substring = Q()
    for word in words:
        substring &= Q(
            pk__in=Case.objects.filter(
                Q(number__icontains=word)
                | Q(title__icontains=word)
                | Q(documents__title__icontains=word)
                | Q(documents__counterparty__icontains=word)
            ).values("pk")
        )
    return cases.filter(substring | _stemmed(text)).order_by("-year", "-sequence")[:MAX_SEARCH_RESULTS]


def _stemmed(text: str) -> Q:
    """On PostgreSQL also Swedish full-text matching ("skrivelser" finds "Skrivelse"); elsewhere
    nothing more than the substring match."""
    if connection.vendor != "postgresql":
        return Q(pk__in=[])
    from django.contrib.postgres.search import SearchQuery, SearchVector

    vector = SearchVector("title", "documents__title", "documents__counterparty", config="swedish")
    found = Case.objects.annotate(search=vector).filter(search=SearchQuery(text, config="swedish"))
    return Q(pk__in=found.values("pk"))


# ---- what a case may be linked to -------------------------------------------------------------


def _url(name: str, pk: int | None) -> str | None:
    try:
        return reverse(name, args=[pk]) if pk is not None else None
    except NoReverseMatch:  # a page that does not exist (yet) — show the label without a link
        return None


@dataclass(frozen=True)
class LinkType:
    code: str
    label: Any  # Swedish, lazy
    model: type
    federation_path: str  # lookup from the target to its federation
    choices: Callable[[Any], QuerySet]  # the user's rows, scoped
    describe: Callable[[Any], str]
    url: Callable[[Any], str | None]


def _agreements_for(user: Any) -> QuerySet[Agreement]:
    return scope(user, Agreement.objects.all(), member=None, department=None)


def _price_versions_for(user: Any) -> QuerySet[PriceVersion]:
    return PriceVersion.objects.filter(item__in=items_for(user)).select_related("item").order_by("-valid_from")


def _handovers_for(user: Any) -> QuerySet[HandOver]:
    return HandOver.objects.filter(member__in=members_for(user)).select_related("member", "service")


LINK_TYPES: dict[str, LinkType] = {
    t.code: t
    for t in (
        LinkType(
            "allocation_run",
            _("Fördelningskörning"),
            AllocationRun,
            "pool__federation",
            allocation_runs_for,
            lambda o: f"{o.label} ({o.pool.name})",
            lambda o: _url("allocation:run-detail", o.pk),
        ),
        LinkType(
            "allocation_pool",
            _("Kostnadspool"),
            CostPool,
            "federation",
            pools_for,
            lambda o: o.name,
            lambda o: _url("allocation:pool-detail", o.pk),
        ),
        LinkType(
            "price_version",
            _("Prisversion"),
            PriceVersion,
            "item__federation",
            _price_versions_for,
            lambda o: f"{o.item.name} från {o.valid_from:%Y-%m-%d}",
            lambda o: _url("catalogue:item-detail", o.item_id),
        ),
        LinkType(
            "agreement",
            _("Avtal"),
            Agreement,
            "federation",
            _agreements_for,
            lambda o: o.title,
            lambda o: _url("governance:agreement_detail", o.pk),
        ),
        LinkType(
            "handover",
            _("Överlämnad verksamhet"),
            HandOver,
            "member__federation",
            _handovers_for,
            lambda o: f"{o.member.name}: {o.service.name} från {o.start:%Y-%m-%d}",
            lambda o: _url("members:member-detail", o.member_id),
        ),
        LinkType(
            "invoice_run",
            _("Fakturakörning"),
            InvoiceRun,
            "federation",
            invoice_runs_for,
            lambda o: f"{o.period} ({o.issue_date:%Y-%m-%d})",
            lambda o: _url("billing:run-detail", o.pk),
        ),
    )
}


def link_type_of(model: type) -> LinkType | None:
    return next((t for t in LINK_TYPES.values() if t.model is model), None)


def link_target_get(user: Any, type_code: str, object_id: int) -> Any:
    """The user's object of a link type (404 for another federation's id or an unknown type)."""
    link_type = LINK_TYPES.get(type_code)
    if link_type is None:
        raise Http404
    return get_object_or_404(link_type.choices(user), pk=object_id)


def link_choices(user: Any) -> list[tuple[Any, list[tuple[str, str]]]]:
    """Grouped choices for the link form: (type label, [("type:id", label), …])."""
    groups = []
    for link_type in LINK_TYPES.values():
        rows = link_type.choices(user)[:MAX_LINK_CHOICES]
        options = [(f"{link_type.code}:{row.pk}", link_type.describe(row)) for row in rows]
        if options:
            groups.append((link_type.label, options))
    return groups


@dataclass(frozen=True)
class ShownLink:
    link: CaseLink
    type_label: str
    label: str
    url: str | None


def case_links(case: Case) -> list[ShownLink]:
    """A case's links with a readable label and, where a page exists, its URL."""
    shown = []
    for link in case.links.select_related("content_type").order_by("pk"):
        model = link.content_type.model_class()
        link_type = link_type_of(model) if model else None
        target = link.target if model else None
        if link_type is None or target is None:
            label = f"{link.content_type.name} {link.object_id}"
            shown.append(ShownLink(link, str(_("Borttaget objekt")), label, None))
        else:
            shown.append(ShownLink(link, str(link_type.label), link_type.describe(target), link_type.url(target)))
    return shown


def cases_linked_to(user: Any, target: Any) -> QuerySet[Case]:
    """Cases the user may see that are linked to `target` (for other apps' pages, wired by the lead)."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(type(target))
    return cases_for(user).filter(links__content_type=content_type, links__object_id=target.pk).distinct()


# ---- the public register ----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicDocument:
    sequence: int
    kind: str
    kind_label: str
    date: date
    secret: bool
    secrecy: str  # the OSL reference when secret
    title: str | None  # None when secret
    counterparty: str | None  # None when secret

    def as_dict(self) -> dict[str, Any]:
        return {
            "sequence": self.sequence,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "secret": self.secret,
            "secrecy": self.secrecy,
            "title": self.title,
            "counterparty": self.counterparty,
        }


@dataclass(frozen=True)
class PublicCase:
    number: str
    title: str | None  # None when the title is secret
    opened: date
    closed: date | None
    status: str
    status_label: str
    documents: list[PublicDocument] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "opened": self.opened.isoformat(),
            "closed": self.closed.isoformat() if self.closed else None,
            "status": self.status,
            "documents": [d.as_dict() for d in self.documents],
        }


def public_federation_get(slug: str) -> Federation:
    return get_object_or_404(Federation, slug=slug)


def public_register_years(federation: Federation) -> list[int]:
    return case_years(Case.objects.filter(federation=federation))


def _public_document(doc: CaseDocument) -> PublicDocument:
    secret = bool(doc.secrecy)
    return PublicDocument(
        sequence=doc.sequence,
        kind=doc.kind,
        kind_label=str(doc.get_kind_display()),
        date=doc.date,
        secret=secret,
        secrecy=doc.secrecy if secret else "",
        title=None if secret else doc.title,
        counterparty=None if secret else doc.counterparty,
    )


def public_register(federation: Federation, year: int) -> list[PublicCase]:
    """The public register of one year: every case and document, masked where secret."""
    cases = (
        Case.objects.filter(federation=federation, year=year)
        .order_by("-sequence")
        .prefetch_related(Prefetch("documents", queryset=CaseDocument.objects.order_by("sequence")))
    )
    return [
        PublicCase(
            number=case.number,
            title=None if case.secret_title else case.title,
            opened=case.opened,
            closed=case.closed,
            status=case.status,
            status_label=str(case.get_status_display()),
            documents=[_public_document(doc) for doc in case.documents.all()],
        )
        for case in cases
    ]
