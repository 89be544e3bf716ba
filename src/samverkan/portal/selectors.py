"""Every read of tickets goes through here, scoped by the user's roles and organisation.

Requesters (department orderer, member contact) see their department's / member's tickets
and never internal comments or internal attachments; agents and admins see their
federation's. The same functions serve pages, API, search, attachments and exports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Q, QuerySet, Sum, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, ExtractMonth
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.catalogue.models import Order
from samverkan.catalogue.selectors import orders_for, price_on
from samverkan.core.models import User
from samverkan.core.permissions import has_capability, scope
from samverkan.core.roles import MEMBER_CONTACT, ORDERER
from samverkan.core.selectors import users_with_role
from samverkan.core.todos import DANGER, INFO, WARNING, MemberLink, Todo
from samverkan.domain.invoice_math import line_net
from samverkan.domain.nki import NkiResult
from samverkan.domain.sla import SlaTarget
from samverkan.members.models import Department, Member
from samverkan.portal.models import (
    OPEN_STATUSES,
    Attachment,
    ClosedDay,
    Comment,
    Follower,
    SavedView,
    SlaTargetSetting,
    StandardText,
    Status,
    SurveyResponse,
    Team,
    Ticket,
    TicketPause,
    TicketType,
    TimeEntry,
)
from samverkan.portal.policies import MANAGE_STANDARD_TEXTS, SEE_INTERNAL_COMMENTS, VIEW_TICKETS, WORK_DESK


def tickets_for(user) -> QuerySet[Ticket]:
    if not has_capability(user, VIEW_TICKETS):
        return Ticket.objects.none()
    return scope(user, Ticket.objects.all())


def ticket_get(user, pk: int) -> Ticket:
    return get_object_or_404(
        tickets_for(user).select_related(
            "team", "category", "member", "department", "assignee", "requester", "merged_into"
        ),
        pk=pk,
    )


def comments_for(user, ticket: Ticket) -> QuerySet[Comment]:
    comments = ticket.comments.select_related("author")
    return comments if has_capability(user, SEE_INTERNAL_COMMENTS) else comments.filter(internal=False)


def attachments_for(user, ticket: Ticket) -> QuerySet[Attachment]:
    attachments = ticket.attachments.all()
    return attachments if has_capability(user, SEE_INTERNAL_COMMENTS) else attachments.filter(internal=False)


def attachment_get(user, pk: int) -> Attachment:
    """404 unless the user may see the ticket *and* (for requesters) the file is public."""
    visible = Attachment.objects.filter(ticket__in=tickets_for(user))
    if not has_capability(user, SEE_INTERNAL_COMMENTS):
        visible = visible.filter(internal=False)
    return get_object_or_404(visible, pk=pk)


def ticket_list(user, *, filters: dict | None = None, mine: bool = False) -> QuerySet[Ticket]:
    """The queue / "my tickets" list with the desk's filters (all optional)."""
    filters = filters or {}
    tickets = tickets_for(user).select_related("team", "member", "department", "assignee")
    if mine:
        if has_capability(user, WORK_DESK):
            tickets = tickets.filter(assignee=user)
        else:
            followed = Follower.objects.filter(user=user).values("ticket_id")
            tickets = tickets.filter(Q(requester=user) | Q(pk__in=followed))
    status = filters.get("status")
    if status == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif status:
        tickets = tickets.filter(status=status)
    for field in ("team", "channel", "type", "priority", "member", "department", "category"):
        value = filters.get(field)
        if value:
            tickets = tickets.filter(
                **{f"{field}": value} if field in ("channel", "type", "priority") else {f"{field}_id": value}
            )
    assignee = filters.get("assignee")
    if assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif assignee:
        tickets = tickets.filter(assignee_id=assignee)
    if filters.get("breached"):
        tickets = tickets.filter(Q(response_breached=True) | Q(resolution_breached=True))
    query = (filters.get("q") or "").strip()
    if query:
        tickets = ticket_search(user, tickets, query)
    return tickets.prefetch_related("pauses")


class ListTeam(NamedTuple):
    """The team of a list row: its name for the row, its hours for the SLA calendar."""

    federation_id: int
    name: str
    opens: time
    closes: time


class ListTicket(NamedTuple):
    """A list row's ticket: exactly what the row and its SLA badge read (views.lists,
    sla.SlaContext.list_state), as a plain tuple; building 50 model instances cost more than
    the query."""

    pk: int
    title: str
    status: str
    priority: int
    created_at: datetime
    federation_id: int
    team_id: int
    department_id: int | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    response_due_at: datetime | None
    resolution_due_at: datetime | None
    response_breached: bool | None
    resolution_breached: bool | None
    member_name: str
    department_name: str | None
    assignee_username: str | None
    team: ListTeam

    @property
    def reference(self) -> str:
        return f"#{self.pk}"


# The ticket's own columns only, in ListTicket's order, then the member and the assignee.
# No join: joining team, member, department and user made PostgreSQL spend 1,2 ms planning
# each page's query (0,1 ms without); their names come with the SLA inputs (list_page).
LIST_COLUMNS = (
    "pk",
    "title",
    "status",
    "priority",
    "created_at",
    "federation_id",
    "team_id",
    "department_id",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "response_due_at",
    "resolution_due_at",
    "response_breached",
    "resolution_breached",
    "member_id",
    "assignee_id",
)
# Read as text and parsed by datetime.fromisoformat: Django's timestamptz loader for psycopg
# parses in Python (5 µs a value, 1,4 ms for a page's 306), fromisoformat in C (0,4 µs).
_MOMENTS = frozenset(
    {"created_at", "first_response_at", "resolved_at", "closed_at", "response_due_at", "resolution_due_at"}
)
_MOMENT_AT = tuple(at for at, name in enumerate(LIST_COLUMNS) if name in _MOMENTS)
_AT = {name: at for at, name in enumerate(LIST_COLUMNS)}


def _narrow(tickets: QuerySet[Ticket]) -> QuerySet:
    columns = [Cast(name, TextField()) if name in _MOMENTS else name for name in LIST_COLUMNS]
    return tickets.select_related(None).prefetch_related(None).values_list(*columns)


# Columns of the list page's second statement, each branch filling some (SQLite ignores the types).
_PAGE_COLUMNS = (
    ("a", "bigint"),
    ("b", "bigint"),
    ("t1", "timestamp with time zone"),
    ("t2", "timestamp with time zone"),
    ("day", "date"),
    ("n1", "integer"),
    ("n2", "integer"),
    ("n3", "integer"),
    ("label", "text"),
    ("h1", "time"),
    ("h2", "time"),
)


def _branch(kind: str, table: str, key: str, count: int, **columns: str) -> str:
    """One SELECT of the statement: ``kind`` tags its rows, ``key IN (…count placeholders)``."""
    values = [columns.get(name, f"CAST(NULL AS {sql_type})") for name, sql_type in _PAGE_COLUMNS]
    return f"SELECT '{kind}', {', '.join(values)} FROM {table} WHERE {key} IN ({', '.join(['%s'] * count)})"  # noqa: S608


def _moment(value) -> datetime | None:
    """A timestamp read as text (PostgreSQL: with its UTC offset; SQLite: UTC without one)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def _plain(value, parse):
    return parse(value) if isinstance(value, str) else value


class ListPage(NamedTuple):
    tickets: list[ListTicket]
    closed_days: dict[int, frozenset[date]]  # by federation
    targets: dict[int, dict[tuple[int | None, int], SlaTarget]]  # by federation: (team or None, priority)
    pauses: dict[int, list[tuple[datetime, datetime]]]  # finished pauses by ticket


def list_page(rows) -> ListPage:
    """A ticket_list_rows() slice as ListTickets, with what their SLA badges need: their
    federations' closed days and targets (for sla.SlaContext) and their finished pauses.

    All of it — teams, member, department and assignee names, pauses, closed days, targets —
    in one statement: through the ORM these were six round trips or joins. Nothing is kept
    between requests, so a target, closed day or name changed by an admin shows on the next
    page view in every worker process. ``rows`` are already scoped.
    """
    if not rows:
        return ListPage([], {}, {}, {})
    federations = sorted({row[_AT["federation_id"]] for row in rows})
    parts: list[tuple[str, list]] = [
        (
            _branch(
                "p", TicketPause._meta.db_table, "ticket_id", len(rows), a="ticket_id", t1="started_at", t2="ended_at"
            )
            + " AND ended_at IS NOT NULL",
            [row[0] for row in rows],
        ),
        (
            _branch("c", ClosedDay._meta.db_table, "federation_id", len(federations), a="federation_id", day="day"),
            federations,
        ),
        (
            _branch(
                "t",
                SlaTargetSetting._meta.db_table,
                "federation_id",
                len(federations),
                a="federation_id",
                b="team_id",
                n1="priority",
                n2="response_minutes",
                n3="resolution_minutes",
            ),
            federations,
        ),
    ]
    for kind, model, column, field in (
        ("T", Team, "team_id", "name"),
        ("m", Member, "member_id", "name"),
        ("d", Department, "department_id", "name"),
        ("u", User, "assignee_id", "username"),
    ):
        ids = sorted({row[_AT[column]] for row in rows} - {None})
        if ids:
            extra = {"b": "federation_id", "h1": "opens", "h2": "closes"} if kind == "T" else {}
            parts.append((_branch(kind, model._meta.db_table, "id", len(ids), a="id", label=field, **extra), ids))
    pauses: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    closed: dict[int, set[date]] = {federation: set() for federation in federations}
    targets: dict[int, dict[tuple[int | None, int], SlaTarget]] = {federation: {} for federation in federations}
    teams: dict[int, ListTeam] = {}
    names: dict[str, dict[int, str]] = {"m": {}, "d": {}, "u": {}}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql for sql, _ in parts), [value for _, values in parts for value in values])
        for kind, a, b, t1, t2, day, n1, n2, n3, label, h1, h2 in cursor.fetchall():
            if kind == "p":
                pauses[a].append((_moment(t1), _moment(t2)))
            elif kind == "c":
                closed[a].add(_plain(day, date.fromisoformat))
            elif kind == "t":
                targets[a][(b, n1)] = SlaTarget(response_minutes=n2, resolution_minutes=n3)
            elif kind == "T":
                teams[a] = ListTeam(b, label, _plain(h1, time.fromisoformat), _plain(h2, time.fromisoformat))
            else:
                names[kind][a] = label
    members, departments, users = names["m"], names["d"], names["u"]
    member, department, assignee, team = _AT["member_id"], _AT["department_id"], _AT["assignee_id"], _AT["team_id"]
    tickets = []
    for row in rows:
        values = list(row[:member])  # ListTicket's own columns come first
        for at in _MOMENT_AT:
            values[at] = _moment(values[at])
        names_and_team = (
            members[row[member]],
            departments.get(row[department]),
            users.get(row[assignee]),
            teams[row[team]],
        )
        tickets.append(ListTicket(*values, *names_and_team))
    return ListPage(tickets, {f: frozenset(days) for f, days in closed.items()}, targets, pauses)


def ticket_list_rows(user, *, filters: dict | None = None, mine: bool = False):
    """ticket_list() for the list pages: the same rows in the same order, sliced like a queryset.

    A slice is a list of plain tuples of LIST_COLUMNS, the ticket's own columns (list_page()
    adds the names and SLA inputs): no model instances, no joins. A requester's
    "my tickets" is read as two index-ordered streams (see RequesterTickets).
    """
    if mine and user.is_authenticated and not has_capability(user, WORK_DESK):
        return RequesterTickets(user, ticket_list(user, filters=filters))
    return _narrow(ticket_list(user, filters=filters, mine=mine))


class RequesterTickets:
    """A requester's tickets (requested or followed), newest first, sliceable like a queryset.

    ``requester = me OR id IN (followed)`` cannot be read from an index in order: PostgreSQL
    walks the whole department's tickets, newest first, filtering by requester — tens of ms
    for someone with few tickets in a busy department. Instead the two sets are read
    separately, each in index order (indexes portal_ticket_dept_requester /
    portal_ticket_member_requester match scope + requester + order), merged here, and only
    the page's rows are then fetched by primary key.
    """

    ORDER = ("-created_at", "-id")

    def __init__(self, user, scoped: QuerySet[Ticket]) -> None:
        scoped = scoped.select_related(None).prefetch_related(None)
        followed = Follower.objects.filter(user=user).values("ticket_id")
        self._sources = (
            scoped.filter(requester=user),
            scoped.filter(pk__in=followed).exclude(requester=user),
        )

    def __getitem__(self, window: slice) -> list[tuple]:
        if not isinstance(window, slice) or window.step is not None or window.stop is None:
            raise TypeError("RequesterTickets supports bounded slices only")
        start = window.start or 0
        if window.stop <= start:
            return []
        # One statement: each stream read in index order up to the window's end, merged and
        # cut to the window by the database, the page's rows joined to that (three round
        # trips through the ORM cost a requester's page 2 ms).
        streams, params = [], []
        for source in self._sources:
            stream = source.order_by(*self.ORDER).values_list("created_at", "id")[: window.stop]
            sql, source_params = stream.query.sql_with_params()
            streams.append(f"SELECT * FROM ({sql}) AS s{len(streams)}")  # noqa: S608 (compiled by the ORM)
            params.extend(source_params)
        window_sql = (
            f"SELECT id FROM ({' UNION ALL '.join(streams)}) AS merged "  # noqa: S608 (compiled SQL, bound params)
            f"ORDER BY created_at DESC, id DESC LIMIT {window.stop - start:d} OFFSET {start:d}"
        )
        page = Ticket.objects.filter(pk__in=RawSQL(window_sql, params))  # noqa: S611
        return list(_narrow(page).order_by(*self.ORDER))


TICKET_TSVECTOR = (
    "to_tsvector('swedish'::regconfig, coalesce(portal_ticket.title, '') || ' ' || "
    "coalesce(portal_ticket.description, ''))"
)
COMMENT_TSVECTOR = "to_tsvector('swedish'::regconfig, c.body)"


def ticket_search(user, tickets: QuerySet[Ticket], query: str) -> QuerySet[Ticket]:
    """Full text over title, description and the comments the user may see.

    PostgreSQL: Swedish full-text search (stemming, so "skrivare" finds "skrivaren");
    elsewhere a case-insensitive substring match. A number finds the ticket with that id.
    """
    sees_internal = has_capability(user, SEE_INTERNAL_COMMENTS)
    comments = Comment.objects.filter(ticket=OuterRef("pk"))
    if not sees_internal:
        comments = comments.filter(internal=False)
    if connection.vendor == "postgresql":
        # Same expressions as the GIN indexes of migration 0002, so PostgreSQL can use them.
        # Only constant SQL is interpolated; the user's text is always a bound parameter.
        internal = "" if sees_internal else " AND NOT c.internal"
        in_text = RawSQL(  # noqa: S611
            f"{TICKET_TSVECTOR} @@ websearch_to_tsquery('swedish', %s)", [query], output_field=BooleanField()
        )
        in_comments = RawSQL(  # noqa: S611
            f"SELECT c.ticket_id FROM portal_comment c WHERE {COMMENT_TSVECTOR} "  # noqa: S608
            f"@@ websearch_to_tsquery('swedish', %s){internal}",
            [query],
        )
        matches = tickets.filter(Q(in_text) | Q(pk__in=in_comments))
    else:
        matches = tickets.filter(
            Q(title__icontains=query) | Q(description__icontains=query) | Exists(comments.filter(body__icontains=query))
        )
    if query.lstrip("#").isdigit():
        matches = matches | tickets.filter(pk=int(query.lstrip("#")))
    return matches


def follower_candidates(ticket: Ticket) -> list:
    """Active users who may see the ticket: the desk, the member's contacts, the department's orderers."""
    federation = ticket.federation_id
    users = users_with_role(federation, *WORK_DESK.roles) | users_with_role(federation, MEMBER_CONTACT).filter(
        member_id=ticket.member_id
    )
    if ticket.department_id:
        users = users | users_with_role(federation, ORDERER).filter(department_id=ticket.department_id)
    return list(users.exclude(followed_tickets__ticket=ticket).order_by("first_name", "username"))


def standard_texts_for(user, team: Team | None = None) -> QuerySet[StandardText]:
    if not has_capability(user, MANAGE_STANDARD_TEXTS):
        return StandardText.objects.none()
    texts = scope(user, StandardText.objects.filter(active=True), member=None, department=None)
    if team is not None:
        texts = texts.filter(Q(team=team) | Q(team__isnull=True))
    return texts


def saved_views_for(user) -> QuerySet[SavedView]:
    return SavedView.objects.filter(user=user) if user.is_authenticated else SavedView.objects.none()


def teams_for(user) -> QuerySet[Team]:
    if not user.is_authenticated or (user.federation_id is None and not user.is_superuser):
        return Team.objects.none()
    teams = Team.objects.all()
    return teams if user.is_superuser else teams.filter(federation_id=user.federation_id)


# ---- statistics -----------------------------------------------------------------------------


def _year(tickets: QuerySet[Ticket], year: int) -> QuerySet[Ticket]:
    return tickets.filter(created_at__year=year)


def ticket_counts(user, *, year: int, by: str, team: str | None = None) -> list[dict]:
    """Counts per channel / type / team / member / month for one year (created date)."""
    tickets = _year(tickets_for(user), year)
    if team:
        tickets = tickets.filter(team__code=team)
    if by == "month":
        rows = tickets.annotate(month=ExtractMonth("created_at")).values("month").annotate(n=Count("id"))
        return sorted(rows, key=lambda r: r["month"])
    field = {"channel": "channel", "type": "type", "team": "team__name", "member": "member__name"}[by]
    return list(tickets.values(key=F(field)).annotate(n=Count("id")).order_by("-n", "key"))


@dataclass(frozen=True)
class SlaAttainmentRow:
    team: str
    measured: int
    met: int

    @property
    def ratio(self) -> Decimal | None:
        from samverkan.domain.sla import Attainment

        return Attainment(met=self.met, breached=self.measured - self.met).ratio


def sla_attainment(user, *, year: int, kind: str = "resolution") -> list[SlaAttainmentRow]:
    """Share of tickets whose timer stopped within target, per team (stored breach flags)."""
    flag = f"{kind}_breached"
    rows = (
        _year(tickets_for(user), year)
        .filter(**{f"{flag}__isnull": False})
        .values("team__name")
        .annotate(measured=Count("id"), met=Count("id", filter=Q(**{flag: False})))
        .order_by("team__name")
    )
    return [SlaAttainmentRow(team=r["team__name"], measured=r["measured"], met=r["met"]) for r in rows]


def nki_per_team(user, *, year: int) -> list[tuple[Team, NkiResult]]:
    """NKI per team for a year (see domain.nki): one answer per ticket, mean of 1–10 scores."""
    answers = SurveyResponse.objects.filter(ticket__in=tickets_for(user), answered_at__year=year)
    rows = answers.values("team").annotate(n=Count("id"), total=Sum("score"))
    teams = {t.pk: t for t in Team.objects.filter(pk__in=[r["team"] for r in rows])}
    return [
        (teams[r["team"]], NkiResult(respondents=r["n"], exact=Decimal(r["total"]) / Decimal(r["n"])))
        for r in sorted(rows, key=lambda r: teams[r["team"]].name)
    ]


# ---- billing hand-off -----------------------------------------------------------------------


@dataclass(frozen=True)
class BillableTimeRow:
    member_id: int
    member_name: str
    department_id: int | None
    department_name: str
    invoice_reference: str
    team_code: str
    minutes: int
    entries: int


def billable_time(federation, start: date, end: date) -> list[BillableTimeRow]:
    """Billable minutes reported on tickets with ``start <= day <= end``, for invoicing.

    One row per member × department × team (``team_code`` is the portal team's code, matched
    to the catalogue's hourly item by its ``owner_team``). Tickets without a department give a
    row with ``department_id=None`` and the empty invoice reference: bill them to the member.
    Not scoped by user — the caller is the invoice run, which works on the whole federation.
    """
    rows = (
        TimeEntry.objects.filter(ticket__federation=federation, billable=True, day__gte=start, day__lte=end)
        .values(
            "ticket__member_id",
            "ticket__member__name",
            "ticket__department_id",
            "ticket__department__name",
            "ticket__department__invoice_reference",
            "ticket__team__code",
        )
        .annotate(minutes=Sum("minutes"), entries=Count("id"))
        .order_by("ticket__member__name", "ticket__department__name", "ticket__team__code")
    )
    return [
        BillableTimeRow(
            member_id=r["ticket__member_id"],
            member_name=r["ticket__member__name"],
            department_id=r["ticket__department_id"],
            department_name=r["ticket__department__name"] or "",
            invoice_reference=r["ticket__department__invoice_reference"] or "",
            team_code=r["ticket__team__code"],
            minutes=r["minutes"],
            entries=r["entries"],
        )
        for r in rows
    ]


# --- The start page and the member's page (core.todos)


def overdue_condition(now) -> Q:
    """Late on its SLA: a stopped timer that was breached, or a running one past its due time
    (a ticket waiting for the requester or a third party has its timer paused)."""
    running = ~Q(status__in=(Status.WAITING_REQUESTER, Status.WAITING_THIRD_PARTY))
    late = Q(resolution_due_at__lt=now) | Q(first_response_at__isnull=True, response_due_at__lt=now)
    return Q(response_breached=True) | Q(resolution_breached=True) | (running & late)


def todo_counts(user) -> dict[str, int]:
    """The desk's backlog (own late tickets, the others' late ones, new unassigned) or, for a
    requester, the organisation's open tickets and those waiting for its answer: one query."""
    if not has_capability(user, VIEW_TICKETS):
        return {}
    open_tickets = tickets_for(user).filter(status__in=OPEN_STATUSES)
    if has_capability(user, WORK_DESK):
        overdue = overdue_condition(timezone.now())
        return open_tickets.aggregate(
            own_overdue=Count("pk", filter=overdue & Q(assignee=user)),
            other_overdue=Count("pk", filter=overdue & ~Q(assignee=user)),
            unassigned_new=Count("pk", filter=Q(status=Status.NEW, assignee__isnull=True)),
        )
    return open_tickets.aggregate(open=Count("pk"), waiting=Count("pk", filter=Q(status=Status.WAITING_REQUESTER)))


def todo_cards(user) -> list[Todo]:
    counts = todo_counts(user)
    if not counts:
        return []
    if "own_overdue" in counts:
        desk = reverse("portal:desk")
        return [
            Todo(
                _("Mina försenade ärenden"),
                counts["own_overdue"],
                DANGER,
                f"{desk}?status=open&assignee=me",
                _("Ärenden tilldelade dig som har passerat eller överskridit sin SLA-tid. Ta dem först."),
                order=10,
            ),
            Todo(
                _("Försenade ärenden hos andra"),
                counts["other_overdue"],
                WARNING,
                f"{desk}?status=open",
                _("Öppna ärenden hos kollegor eller utan handläggare som har passerat sin SLA-tid."),
                order=20,
            ),
            Todo(
                _("Nya ärenden utan handläggare"),
                counts["unassigned_new"],
                WARNING,
                f"{desk}?status=new&assignee=none",
                _("Ärenden som ingen har tagit ännu."),
                order=30,
            ),
        ]
    tickets = reverse("portal:ticket-list")
    return [
        Todo(
            _("Ärenden som väntar på ert svar"),
            counts["waiting"],
            WARNING,
            f"{tickets}?status={Status.WAITING_REQUESTER}",
            _("Handläggaren behöver mer information innan ärendet kan lösas."),
            order=20,
        ),
        Todo(
            _("Öppna ärenden"),
            counts["open"],
            INFO,
            f"{tickets}?status=open",
            _("Era ärenden som inte är lösta ännu."),
            order=30,
        ),
    ]


def member_link_items(user, member) -> list[MemberLink]:
    if not has_capability(user, VIEW_TICKETS):
        return []
    count = tickets_for(user).filter(member=member, status__in=OPEN_STATUSES).count()
    url = f"{reverse('portal:ticket-list')}?medlem={member.pk}&status=open"
    return [MemberLink(label=_("Öppna ärenden"), count=count, url=url, order=20)]


# --- An order is a ticket (issue 16): the ticket's order, for the ticket page's sidebar


def order_ticket_for(order: Order) -> Ticket | None:
    """The ticket that is the order's conversation (type order, the order number as reference).

    Unscoped: callers hold an order they may see, and the ticket is the same member's."""
    return (
        Ticket.objects.filter(federation_id=order.federation_id, type=TicketType.ORDER, order_reference=order.number)
        .order_by("pk")
        .first()
    )


def ticket_order(user, ticket: Ticket) -> Order | None:
    """The catalogue order a ticket of type order is about, if ``user`` may see it, with
    ``unit_price`` (the price valid on delivery, or today for an open order) and ``total``
    (öre-rounded, half up) set on it; ``None`` for other tickets."""
    if ticket.type != TicketType.ORDER or not ticket.order_reference:
        return None
    order = (
        orders_for(user)
        .filter(federation_id=ticket.federation_id, number=ticket.order_reference)
        .select_related("approved_by", "ordered_by")
        .first()
    )
    if order is None:
        return None
    price = price_on(order.item, order.delivered_on or timezone.localdate())
    order.unit_price = price.unit_price if price else None
    order.total = order_total(order.unit_price, order.quantity)
    return order


def order_total(unit_price: Decimal | None, quantity: Decimal | None) -> Decimal | None:
    """Price × quantity in kronor, rounded to the öre as the invoice line will be."""
    if unit_price is None or quantity is None:
        return None
    return line_net(quantity, unit_price)


def ticket_counts_by_month(user, *, year: int, by: str = "channel") -> dict[int, dict[str, int]]:
    """month (1–12) → {channel (or type): tickets created that month}, for the statistics' charts."""
    rows = (
        _year(tickets_for(user), year)
        .annotate(month=ExtractMonth("created_at"))
        .values("month", key=F(by))
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[int, dict[str, int]] = {m: {} for m in range(1, 13)}
    for row in rows:
        out[row["month"]][row["key"]] = row["n"]
    return out


def sla_attainment_by_month(user, *, year: int, kind: str = "resolution") -> dict[int, SlaAttainmentRow]:
    """month (1–12, of creation) → attainment over all the user's tickets with a stopped timer."""
    flag = f"{kind}_breached"
    rows = (
        _year(tickets_for(user), year)
        .filter(**{f"{flag}__isnull": False})
        .annotate(month=ExtractMonth("created_at"))
        .values("month")
        .annotate(measured=Count("id"), met=Count("id", filter=Q(**{flag: False})))
        .order_by()
    )
    found = {r["month"]: SlaAttainmentRow(team="", measured=r["measured"], met=r["met"]) for r in rows}
    return {m: found.get(m, SlaAttainmentRow(team="", measured=0, met=0)) for m in range(1, 13)}
